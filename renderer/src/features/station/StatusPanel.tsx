import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';
import { currentLanguage } from '../../i18n';
import { StationKeyFingerprint } from '../station-key/StationKeyFingerprint';
import { formatBytes, formatCount, formatTime } from './format';

/**
 * The numbers behind the indicator. `lastKnownAt` is set when these are no longer current: they
 * stay readable (what the station said last helps whoever fixes it) but are marked as old.
 */
export function StatusPanel({ status, lastKnownAt }: { status: StatusResponse | null; lastKnownAt: number | null }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  if (!status) return null;
  const { camera } = status;
  // Several cameras: each its own run, so each its own state (one may be restarting while the others record).
  const others = (status.cameras ?? []).slice(1);
  return (
    <section className="status-panel" data-stale={String(lastKnownAt !== null)}>
      {lastKnownAt !== null && <p className="status-panel__caption">{t('stats.lastKnown', { time: formatTime(lastKnownAt, lng) })}</p>}
      <dl>
        <Row label={others.length ? t('stats.mainCamera') : t('stats.camera')} testId="camera-state">
          <span className={`camera-state camera-state--${camera.state}`}>{t(`cameraState.${camera.state}`)}</span>
        </Row>
        {others.map((c, i) => (
          <Row key={c.id} label={t('stats.otherCamera', { n: i + 2 })} testId={`camera-state-${c.id}`}>
            <span className={`camera-state camera-state--${c.state}`} title={c.lastError ?? c.spec}>
              {t(`cameraState.${c.state}`)}
            </span>
            <span className="status-panel__detail">{c.name ? `${c.name} · ${c.spec}` : c.spec}</span>
          </Row>
        ))}
        <Row label={t('stats.restarts')}>{formatCount(camera.restarts, lng)}</Row>
        <Row label={t('stats.segments')}>{formatCount(status.segmentCount, lng)}</Row>
        <Row label={t('stats.freeDisk')}>{formatBytes(status.freeDiskBytes, lng)}</Row>
        <Row label={t('stats.lastGap')}>
          <LastGap gap={camera.lastGap} lng={lng} />
        </Row>
        {status.stationKey && (
          // Whole, across the panel: it is what a recipient compares a bundle with, read off this screen.
          <Row label={t('stats.stationKey')} testId="station-key" wide>
            <StationKeyFingerprint stationKey={status.stationKey} layout="compact" testId="status-station-key" />
          </Row>
        )}
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
    </section>
  );
}

function LastGap({ gap, lng }: { gap: StatusResponse['camera']['lastGap']; lng: string }) {
  const { t } = useTranslation();
  if (!gap) return <>{t('stats.none')}</>;
  const when = gap.endedAt ? `${formatTime(gap.startedAt, lng)} – ${formatTime(gap.endedAt, lng)}` : t('stats.gapOngoing', { start: formatTime(gap.startedAt, lng) });
  return (
    <>
      {when}
      <span className="status-panel__detail">{gap.reason}</span>
    </>
  );
}

function Row({ label, testId, wide, children }: { label: string; testId?: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`status-panel__row${wide ? ' status-panel__row--wide' : ''}`} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
