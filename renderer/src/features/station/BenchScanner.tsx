import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { STATION_HASH } from '../../app/routing';
import { currentLanguage } from '../../i18n';
import { useSession } from '../auth/session-store';
import { describeScanFlash, useScanFlashLifetime } from './scan-outcome';
import { useScanStore } from './scan-store';
import { prepareAudio } from './sounds';
import { useWedgeScanner } from './use-wedge-scanner';

/** How long a scan's result stays in the corner of a screen that is not the station screen. */
export const TOAST_MS = 8_000;

/**
 * The scanner on every screen of the operator's UI that is not the station screen: bench
 * PCs are often left on the library, where a scan used to land in the search box, and on health and
 * settings went nowhere. A burst is sent as a scan, with the usual sound, and its result shown in
 * the corner with the way back. Viewers (LAN) have no scanner: their typing stays typing.
 */
export function BenchScanner() {
  const operator = useSession((s) => s.session?.role === 'operator');
  return operator ? <OperatorScanner /> : null;
}

function OperatorScanner() {
  const submit = useScanStore((s) => s.submit);
  useEffect(() => {
    const id = setTimeout(prepareAudio, 0);
    return () => clearTimeout(id);
  }, []);
  useWedgeScanner(
    useCallback((scan) => void submit(scan.code), [submit]),
    { fields: 'catch' },
  );
  return <ScanToast />;
}

function ScanToast() {
  const { t } = useTranslation();
  const flash = useScanStore((s) => s.flash);
  const clearFlash = useScanStore((s) => s.clearFlash);
  useScanFlashLifetime(flash, TOAST_MS);
  if (!flash) return null;
  const o = describeScanFlash(flash, t, currentLanguage());
  const code = flash.kind === 'result' ? flash.response.code : flash.code;
  return (
    <aside className={`scan-toast scan-toast--${o.tone}`} role="status" aria-live="assertive" data-testid="scan-toast" data-tone={o.tone} data-duplicate={String(o.duplicate)} data-filmed={String(!o.notFilmed)}>
      <div className="scan-toast__head">
        <span className="scan-toast__title">{t('benchScan.title')}</span>
        <button type="button" className="scan-toast__close" data-testid="scan-toast-close" aria-label={t('benchScan.close')} title={t('benchScan.close')} onClick={() => clearFlash(flash.id)}>
          ×
        </button>
      </div>
      <div className="scan-toast__code" data-testid="scan-toast-code">
        {code}
      </div>
      {o.duplicate && <div className="scan-toast__badge">⚠ {t('scans.duplicate')}</div>}
      <div className="scan-toast__text" data-testid="scan-toast-text">
        {o.notFilmed && '⚠ '}
        {o.text}
      </div>
      {o.otherLanguage && (
        <div className="scan-toast__other" lang={o.otherLanguage.lang}>
          {o.otherLanguage.text}
        </div>
      )}
      {o.detail && <div className="scan-toast__detail">{o.detail}</div>}
      <a className="scan-toast__back" href={STATION_HASH} data-testid="scan-toast-back">
        {t('benchScan.back')}
      </a>
    </aside>
  );
}
