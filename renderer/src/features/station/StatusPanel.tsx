import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';
import { currentLanguage } from '../../i18n';
import { formatBytes, formatCount, formatTime } from './format';

/** The numbers behind the indicator. `stale`: shown dimmed, as what was last known. */
export function StatusPanel({ status, stale }: { status: StatusResponse | null; stale: boolean }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  if (!status) return null;
  const { camera } = status;
  const gap = camera.lastGap;
  return (
    <dl className="status-panel" data-stale={String(stale)}>
      <Row label={t('stats.camera')} testId="camera-state">
        <span className={`camera-state camera-state--${camera.state}`}>{t(`cameraState.${camera.state}`)}</span>
      </Row>
      <Row label={t('stats.restarts')}>{formatCount(camera.restarts, lng)}</Row>
      <Row label={t('stats.segments')}>{formatCount(status.segmentCount, lng)}</Row>
      <Row label={t('stats.freeDisk')}>{formatBytes(status.freeDiskBytes, lng)}</Row>
      <Row label={t('stats.lastGap')}>
        {gap ? (
          <>
            {gap.endedAt ? `${formatTime(gap.startedAt, lng)} – ${formatTime(gap.endedAt, lng)}` : t('stats.gapOngoing', { start: formatTime(gap.startedAt, lng) })}
            <span className="status-panel__detail">{gap.reason}</span>
          </>
        ) : (
          t('stats.none')
        )}
      </Row>
      <Row label={t('stats.lastError')}>
        {camera.lastError ? (
          <span className="status-panel__error" title={camera.lastError}>
            {camera.lastError}
          </span>
        ) : (
          t('stats.none')
        )}
      </Row>
    </dl>
  );
}

function Row({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="status-panel__row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
