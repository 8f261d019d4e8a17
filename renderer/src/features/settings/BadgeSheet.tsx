import JsBarcode from 'jsbarcode';
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Packer } from '../../../../shared/api';

/**
 * The printable sheet of packers' badges: each the barcode of the badge code (Code128, drawn like the
 * command sheet's so the same scanners read it at the same distance) under the packer's name in large
 * type, to cut out and keep in a badge holder. Rendered on the page's body so printing shows the
 * sheet alone (styles.css). Names are text React escapes.
 */
export function BadgeSheet({ packers, onClose }: { packers: readonly Packer[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const closeButton = useRef<HTMLButtonElement>(null);
  const zh = i18n.getFixedT('zh-CN');
  const en = i18n.getFixedT('en');

  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return createPortal(
    <div className="command-sheet-backdrop badge-sheet-backdrop" data-testid="badge-sheet-backdrop">
      <div className="command-sheet" role="dialog" aria-modal="true" aria-labelledby="badge-sheet-title" data-testid="badge-sheet">
        <div className="command-sheet__toolbar">
          <button type="button" className="toolbar-button" onClick={() => window.print()} data-testid="print-badge-sheet">
            {t('commandSheet.print')}
          </button>
          <button type="button" className="toolbar-button" onClick={onClose} ref={closeButton}>
            {t('commandSheet.close')}
          </button>
        </div>
        <div className="command-sheet__page">
          <h1 id="badge-sheet-title" className="command-sheet__title">
            <span lang="zh-CN">{zh('packers.sheetTitle')}</span> <span lang="en">{en('packers.sheetTitle')}</span>
          </h1>
          <p className="command-sheet__hint">
            <span lang="zh-CN">{zh('packers.sheetHint')}</span>
            <br />
            <span lang="en">{en('packers.sheetHint')}</span>
          </p>
          <div className="command-sheet__grid">
            {packers.map((p) => (
              <Badge key={p.code} packer={p} />
            ))}
          </div>
        </div>
      </div>
    </div>,
    document.body,
  );
}

function Badge({ packer }: { packer: Packer }) {
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!svg.current) return;
    // The command sheet's settings: about 0.5 mm modules at 96 dpi, the exact code printed under the bars.
    JsBarcode(svg.current, packer.code, {
      format: 'CODE128',
      width: 2,
      height: 90,
      margin: 16,
      displayValue: true,
      font: 'monospace',
      fontSize: 20,
      textMargin: 6,
      background: '#ffffff',
      lineColor: '#000000',
    });
  }, [packer.code]);
  return (
    <figure className="command-card badge-card" data-testid="badge-card" data-code={packer.code}>
      <figcaption className="badge-card__name" data-testid="badge-name">
        {packer.name}
      </figcaption>
      <svg ref={svg} className="command-card__barcode" data-testid="badge-barcode" role="img" aria-label={packer.code} />
    </figure>
  );
}
