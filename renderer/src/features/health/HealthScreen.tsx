import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthReport } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { clipHash } from '../../app/routing';
import { languageFor } from '../../i18n';
import { formatDateTime } from '../library/format';
import { LibraryLayout } from '../library/LibraryLayout';
import { formatBytes, formatSpan } from './format-bytes';
import { CrashPanel } from './CrashPanel';
import { Count, Tile } from './tiles';
import { StationKeyFingerprint, useStationKey } from '../station-key/StationKeyFingerprint';

/** Often enough to see a restart or a warning appear while looking; the report costs a few indexed queries. */
const REFRESH_MS = 3_000;

/**
 * The station's health for whoever looks after it: how long the disk lasts, what is kept, and what
 * went wrong lately. Big tiles, readable from across the packing bench.
 */
export function HealthScreen() {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const stationKey = useStationKey();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await api.healthReport();
        if (stopped) return;
        setReport(r);
        setError(null);
      } catch (err) {
        if (!stopped) setError(err instanceof ApiError ? err : new ApiError('unreachable', String(err)));
      }
      if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const lng = i18n.language;
  const ui = languageFor(lng, undefined);
  return (
    <LibraryLayout current="health" title={t('health.title')} unauthorized={error?.kind === 'unauthorized'}>
      {error && (
        <p className="health__error" role="alert" data-testid="health-error">
          {t('health.error', { message: error.message })}
        </p>
      )}
      {!report ? (
        !error && <p className="health__loading">{t('health.loading')}</p>
      ) : (
        <>
          <p className="health__updated" data-testid="health-updated">
            {t('health.updated', { time: formatDateTime(report.at, lng) })}
          </p>
          <div className="health__tiles">
            <Tile title={t('health.forecastTitle')} testId="tile-forecast" tone={report.forecast.state === 'at-floor' ? 'danger' : report.forecast.state === 'days' && report.forecast.daysLeft! < 7 ? 'warn' : undefined}>
              <div className="health__big" data-testid="forecast-value" data-state={report.forecast.state}>
                {forecastText(report, t)}
              </div>
              {report.forecast.state === 'not-enough-data' && (
                <div className="health__sub" data-testid="forecast-why">
                  {t('health.needHour', { duration: formatSpan(report.rate.windowMs, ui) })}
                </div>
              )}
              {report.rate.bytesPerDay !== null && (
                <div className="health__sub">
                  {t('health.rate', {
                    size: formatBytes(report.rate.bytesPerDay, ui),
                    basis: report.rate.basis === 'last-24h' ? t('health.basisLast24h') : t('health.basisSinceFirst', { duration: formatSpan(report.rate.windowMs, ui) }),
                  })}
                </div>
              )}
            </Tile>
            <Tile title={t('health.diskTitle')} testId="tile-disk">
              <div className="health__big" data-testid="disk-free">
                {t('health.diskFree', { free: formatBytes(report.disk.freeBytes, ui), total: formatBytes(report.disk.totalBytes, ui) })}
              </div>
              <div className="health__sub" data-testid="disk-footage">
                {t('health.diskFootage', { size: formatBytes(report.disk.footageBytes, ui) })}
              </div>
              <div className="health__sub">{t('health.diskFloor', { size: formatBytes(report.disk.floorBytes, ui) })}</div>
            </Tile>
            <Tile title={t('health.countsTitle')} testId="tile-counts">
              <dl className="health__counts">
                <Count label={t('health.segments')} value={report.counts.segments} testId="count-segments" />
                <Count label={t('health.clips')} value={report.counts.clips} testId="count-clips" />
                <Count label={t('health.protectedClips')} value={report.counts.protectedClips} testId="count-protected" />
                <Count label={t('health.gaps')} value={report.counts.gaps} testId="count-gaps" />
              </dl>
            </Tile>
            <Tile title={t('health.oldestTitle')} testId="tile-oldest">
              {report.oldestClip ? (
                <a className="health__big health__link" href={clipHash(report.oldestClip.id)} data-testid="oldest-clip">
                  {formatDateTime(report.oldestClip.startedAt, lng)}
                  {report.oldestClip.code && <span className="health__sub health__code">{report.oldestClip.code}</span>}
                </a>
              ) : (
                <div className="health__big">{t('health.oldestNone')}</div>
              )}
            </Tile>
            <Tile title={t('health.restartsTitle')} testId="tile-restarts" tone={report.ffmpegRestartsToday > 0 ? 'warn' : undefined}>
              <div className="health__big" data-testid="restarts-today">
                {report.ffmpegRestartsToday}
              </div>
              <div className="health__sub">{t('health.restartsHint')}</div>
            </Tile>
            <Tile title={t('health.uptimeTitle')} testId="tile-uptime">
              <div className="health__big" data-testid="uptime">
                {formatSpan(report.uptimeMs, ui)}
              </div>
              <div className="health__sub" data-testid="memory-rss">
                {t('health.memory', { rss: formatBytes(report.memory.rssBytes, ui) })}
              </div>
              <div className="health__sub health__ffmpeg">{t('health.ffmpeg', { version: /^ffmpeg version (\S+)/.exec(report.ffmpegVersion)?.[1] ?? report.ffmpegVersion })}</div>
            </Tile>
            {stationKey && (
              <Tile title={t('stationKey.title')} testId="tile-station-key">
                <StationKeyFingerprint stationKey={stationKey} layout="block" testId="health-station-key" />
                <div className="health__sub">{t('stationKey.help')}</div>
              </Tile>
            )}
          </div>
          <section className="health__errors" data-testid="last-errors">
            <h2>{t('health.errorsTitle')}</h2>
            {report.lastErrors.length === 0 ? (
              <p>{t('health.errorsNone')}</p>
            ) : (
              <ol>
                {report.lastErrors.map((e, i) => (
                  <li key={`${e.at}-${i}`} data-level={e.level}>
                    <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time> <span className="health__level">{e.level.toUpperCase()}</span> {e.message}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <CrashPanel />
        </>
      )}
    </LibraryLayout>
  );
}

function forecastText(r: HealthReport, t: ReturnType<typeof useTranslation>['t']): string {
  switch (r.forecast.state) {
    case 'days':
      return t('health.daysLeft', { count: Math.floor(r.forecast.daysLeft!) });
    case 'not-enough-data':
      return t('health.notEnoughData');
    case 'nothing-recorded':
      return t('health.nothingRecorded');
    case 'at-floor':
      return t('health.atFloor');
  }
}
