import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { describeScanFlash, useScanFlashLifetime } from './scan-outcome';
import { FLASH_MS, useScanStore } from './scan-store';

/**
 * What the last scan did, big, for a few seconds, with its beep. The colour says the outcome before
 * the words do; a duplicate warning and a scan the station never received are the loudest, and a
 * clip that is not being filmed (camera down, disk full) stays up, red, until the station records again.
 */
export function ScanFlash() {
  const { t } = useTranslation();
  const flash = useScanStore((s) => s.flash);
  useScanFlashLifetime(flash, FLASH_MS);

  if (!flash) return null;
  const o = describeScanFlash(flash, t, currentLanguage());
  return (
    <div
      className={`scan-flash scan-flash--${o.tone}`}
      role="status"
      aria-live="assertive"
      data-testid="scan-flash"
      data-tone={o.tone}
      data-duplicate={String(o.duplicate)}
      data-filmed={String(!o.notFilmed)}
    >
      {o.duplicate && <div className="scan-flash__badge">⚠ {t('scans.duplicate')}</div>}
      <div className="scan-flash__text">
        {o.notFilmed && '⚠ '}
        {o.text}
      </div>
      {o.otherLanguage && (
        <div className="scan-flash__other" lang={o.otherLanguage.lang}>
          {o.otherLanguage.text}
        </div>
      )}
      {o.detail && <div className="scan-flash__detail">{o.detail}</div>}
    </div>
  );
}
