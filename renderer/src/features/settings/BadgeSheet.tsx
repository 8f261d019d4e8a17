import type { Packer } from '../../../../shared/api';
import { PrintSheet, useCode128 } from '../print/PrintSheet';

/**
 * The printable sheet of packers' badges: each the barcode of the badge code (Code128, drawn like the
 * command sheet's so the same scanners read it at the same distance) under the packer's name in large
 * type, to cut out and keep in a badge holder. Rendered on the page's body so printing shows the
 * sheet alone (styles.css). Names are text React escapes.
 */
export function BadgeSheet({ packers, onClose }: { packers: readonly Packer[]; onClose: () => void }) {
  return (
    <PrintSheet id="badge-sheet" titleKey="packers.sheetTitle" hintKey="packers.sheetHint" onClose={onClose} onBody>
      <div className="command-sheet__grid">
        {packers.map((p) => (
          <Badge key={p.code} packer={p} />
        ))}
      </div>
    </PrintSheet>
  );
}

function Badge({ packer }: { packer: Packer }) {
  const svg = useCode128(packer.code);
  return (
    <figure className="command-card badge-card" data-testid="badge-card" data-code={packer.code}>
      <figcaption className="badge-card__name" data-testid="badge-name">
        {packer.name}
      </figcaption>
      <svg ref={svg} className="command-card__barcode" data-testid="badge-barcode" role="img" aria-label={packer.code} />
    </figure>
  );
}
