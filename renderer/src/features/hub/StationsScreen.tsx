import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubStation } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../library/format';
import { LibraryLayout } from '../library/LibraryLayout';

/** How often the stations page asks again: a station is offline after three missed 10-s heartbeats. */
const REFRESH_MS = 5_000;

/**
 * The warehouse hub's stations page: every paired station, online or not, when it was last
 * heard from, whether it records, its upload backlog, days of disk left and its clock's skew.
 * Names come from the stations: rendered as text, never as markup.
 */
export function StationsScreen() {
  const { t } = useTranslation();
  const [stations, setStations] = useState<HubStation[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    const load = async (): Promise<void> => {
      try {
        setStations((await api.hubStations(abort.signal)).stations);
        setError(null);
      } catch (err) {
        if (!abort.signal.aborted) setError(err instanceof ApiError ? err.message : String(err));
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, []);

  const lng = currentLanguage();
  return (
    <LibraryLayout current="stations" title={t('hub.stations')}>
      <main className="health" data-testid="stations-page" data-status={stations ? 'ready' : 'loading'}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {stations && stations.length === 0 && <p data-testid="no-stations">{t('hub.noStations')}</p>}
        {stations && stations.length > 0 && (
          <table className="stations-table">
            <thead>
              <tr>
                <th>{t('hub.station')}</th>
                <th>{t('hub.state')}</th>
                <th>{t('hub.lastSeen')}</th>
                <th>{t('hub.recording')}</th>
                <th>{t('hub.backlog')}</th>
                <th>{t('hub.diskDays')}</th>
                <th>{t('hub.clockSkew')}</th>
              </tr>
            </thead>
            <tbody>
              {stations.map((s) => (
                <tr key={s.id} data-testid="station-row" data-station-id={s.id} data-online={String(s.online)}>
                  <td title={s.fingerprint}>{s.name}</td>
                  <td>{s.online ? t('hub.online') : t('hub.offline')}</td>
                  <td>{s.lastSeenAt ? formatDateTime(s.lastSeenAt, lng) : t('hub.never')}</td>
                  <td>{s.recording === null ? '—' : s.recording ? t('hub.yes') : t('hub.no')}</td>
                  <td data-testid="station-backlog">{s.backlog ?? '—'}</td>
                  <td>{s.diskDaysLeft === null ? '—' : Math.floor(s.diskDaysLeft)}</td>
                  <td>{s.clockSkewMs === null ? '—' : t('hub.seconds', { count: Math.round(s.clockSkewMs / 1000) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </LibraryLayout>
  );
}
