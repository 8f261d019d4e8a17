import JsBarcode from 'jsbarcode';
import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

/**
 * A printable sheet of barcodes for the bench (the command sheet, the packers' badges): a dialog with
 * print and close, a title and a hint in both languages (the sheet stays on the bench whoever works
 * there), Escape closes. `onBody` renders it on the page's body, so printing shows the sheet alone.
 */
export function PrintSheet(props: {
  id: string;
  titleKey: string;
  hintKey: string;
  onClose: () => void;
  printDisabled?: boolean;
  onBody?: boolean;
  children: ReactNode;
}) {
  const { id, titleKey, hintKey, onClose } = props;
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

  const sheet = (
    <div className={`command-sheet-backdrop ${id}-backdrop`} data-testid={`${id}-backdrop`}>
      <div className="command-sheet" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={id}>
        <div className="command-sheet__toolbar">
          <button type="button" className="toolbar-button" onClick={() => window.print()} disabled={props.printDisabled} data-testid={`print-${id}`}>
            {t('commandSheet.print')}
          </button>
          <button type="button" className="toolbar-button" onClick={onClose} ref={closeButton}>
            {t('commandSheet.close')}
          </button>
        </div>
        <div className="command-sheet__page">
          <h1 id={`${id}-title`} className="command-sheet__title">
            <span lang="zh-CN">{zh(titleKey)}</span> <span lang="en">{en(titleKey)}</span>
          </h1>
          <p className="command-sheet__hint">
            <span lang="zh-CN">{zh(hintKey)}</span>
            <br />
            <span lang="en">{en(hintKey)}</span>
          </p>
          {props.children}
        </div>
      </div>
    </div>
  );
  return props.onBody ? createPortal(sheet, document.body) : sheet;
}

/**
 * A Code128 barcode drawn into the returned SVG ref. Black on white and a wide module (about 0.5 mm
 * at 96 dpi): reads at arm's length from a cheap printer; the line under the bars is the exact code.
 */
export function useCode128(code: string) {
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!svg.current) return;
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
  return svg;
}
