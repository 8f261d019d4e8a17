import JsBarcode from 'jsbarcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CommandCodes } from '../../api/client';

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
  const closeButton = useRef<HTMLButtonElement>(null);
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

  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="command-sheet-backdrop" data-testid="command-sheet-backdrop">
      <div className="command-sheet" role="dialog" aria-modal="true" aria-labelledby="command-sheet-title" data-testid="command-sheet">
        <div className="command-sheet__toolbar">
          <button type="button" className="toolbar-button" onClick={() => window.print()} disabled={!codes} data-testid="print-command-sheet">
            {t('commandSheet.print')}
          </button>
          <button type="button" className="toolbar-button" onClick={onClose} ref={closeButton}>
            {t('commandSheet.close')}
          </button>
        </div>
        <div className="command-sheet__page">
          <h1 id="command-sheet-title" className="command-sheet__title">
            <span lang="zh-CN">{zh('commandSheet.title')}</span> <span lang="en">{en('commandSheet.title')}</span>
          </h1>
          <p className="command-sheet__hint">
            <span lang="zh-CN">{zh('commandSheet.hint')}</span>
            <br />
            <span lang="en">{en('commandSheet.hint')}</span>
          </p>
          {error && <p className="command-sheet__error">{t('commandSheet.loadError')}</p>}
          {!codes && !error && <p className="command-sheet__hint">{t('commandSheet.loading')}</p>}
          {codes && (
            <div className="command-sheet__grid">
              {COMMANDS.map((c) => (
                <CommandCard key={c} command={c} code={codes[c]} caption={`${zh(`commandSheet.${c}`)} ${en(`commandSheet.${c}`)}`} detail={[zh(DETAIL[c]), en(DETAIL[c])]} />
              ))}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function CommandCard({ command, code, caption, detail }: { command: Command; code: string; caption: string; detail: [string, string] }) {
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!svg.current) return;
    // Black on white and a wide module (about 0.5 mm at 96 dpi): reads at arm's length from a
    // cheap printer. The human-readable line under the bars is the exact code.
    JsBarcode(svg.current, code, {
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
  }, [code]);
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
