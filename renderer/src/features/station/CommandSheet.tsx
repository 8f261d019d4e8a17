import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CommandCodes } from '../../api/client';
import { PrintSheet, useCode128 } from '../print/PrintSheet';

const COMMANDS = ['stop', 'cancel', 'pack', 'return', 'ship'] as const;
type Command = (typeof COMMANDS)[number];

const DETAIL = {
  stop: 'commandSheet.stopDetail',
  cancel: 'commandSheet.cancelDetail',
  pack: 'commandSheet.packDetail',
  return: 'commandSheet.returnDetail',
  ship: 'commandSheet.shipDetail',
} as const;

/**
 * The printable sheet of command barcodes (Code128), so the packer controls recording without
 * touching the keyboard. The codes come from the station's scan settings, so a merchant who changed
 * them prints the codes the station actually obeys. Captions are in both languages: the sheet stays
 * on the bench whoever works there.
 */
export function CommandSheet({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [codes, setCodes] = useState<CommandCodes | null>(null);
  const [error, setError] = useState(false);
  const zh = i18n.getFixedT('zh-CN');
  const en = i18n.getFixedT('en');

  useEffect(() => {
    let live = true;
    api.commandCodes().then(
      (c) => live && setCodes(c),
      () => live && setError(true),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <PrintSheet id="command-sheet" titleKey="commandSheet.title" hintKey="commandSheet.hint" onClose={onClose} printDisabled={!codes}>
      {error && <p className="command-sheet__error">{t('commandSheet.loadError')}</p>}
      {!codes && !error && <p className="command-sheet__hint">{t('commandSheet.loading')}</p>}
      {codes && (
        <div className="command-sheet__grid">
          {COMMANDS.map((c) => (
            <CommandCard key={c} command={c} code={codes[c]} caption={`${zh(`commandSheet.${c}`)} ${en(`commandSheet.${c}`)}`} detail={[zh(DETAIL[c]), en(DETAIL[c])]} />
          ))}
        </div>
      )}
    </PrintSheet>
  );
}

function CommandCard({ command, code, caption, detail }: { command: Command; code: string; caption: string; detail: [string, string] }) {
  const svg = useCode128(code);
  return (
    <figure className={`command-card command-card--${command}`} data-testid="command-card" data-command={command} data-code={code}>
      <figcaption className="command-card__caption">{caption}</figcaption>
      <svg ref={svg} className="command-card__barcode" data-testid="command-barcode" role="img" aria-label={code} />
      <div className="command-card__detail">
        <span lang="zh-CN">{detail[0]}</span>
        <br />
        <span lang="en">{detail[1]}</span>
      </div>
    </figure>
  );
}
