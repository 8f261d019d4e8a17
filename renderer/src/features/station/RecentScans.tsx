import { useTranslation } from 'react-i18next';
import type { ScanLogEntry } from '../../../../shared/api';
import { currentLanguage } from '../../i18n';
import { formatClock } from './format';
import { useScanStore } from './scan-store';

/** The last scans and what each did, newest first: the packer checks here that a scan was taken. */
export function RecentScans() {
  const { t } = useTranslation();
  const recent = useScanStore((s) => s.recent);
  const error = useScanStore((s) => s.recentError);
  const lng = currentLanguage();
  return (
    <section className="recent-scans" aria-labelledby="recent-scans-title" data-testid="recent-scans">
      <h2 id="recent-scans-title" className="recent-scans__title">
        {t('scans.title')}
        {error && <span className="recent-scans__error">{t('scans.loadError')}</span>}
      </h2>
      {recent.length === 0 ? (
        <p className="recent-scans__empty">{t('scans.empty')}</p>
      ) : (
        <ol className="recent-scans__list">
          {recent.map((s, i) => (
            <ScanRow key={`${s.at}-${i}-${s.raw}`} scan={s} lng={lng} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ScanRow({ scan, lng }: { scan: ScanLogEntry; lng: 'zh-CN' | 'en' }) {
  const { t } = useTranslation();
  const duplicate = scan.duplicateOf.length > 0;
  return (
    <li className={`scan-row scan-row--${scan.action}`} data-testid="scan-row" data-action={scan.action} data-code={scan.code} data-duplicate={String(duplicate)}>
      <time className="scan-row__time" dateTime={scan.at}>
        {formatClock(scan.at, lng)}
      </time>
      <span className="scan-row__code">{scan.code || t('scans.noCode')}</span>
      <span className="scan-row__action">{t(`action.${scan.action}`)}</span>
      <span className="scan-row__message">
        {duplicate && (
          <span className="scan-row__duplicate" title={t('scans.duplicateTitle', { count: scan.duplicateOf.length })}>
            ⚠ {t('scans.duplicate')}
          </span>
        )}
        {scan.message[lng]}
      </span>
    </li>
  );
}
