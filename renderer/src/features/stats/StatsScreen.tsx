import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type HubStation, type StatsResponse } from '../../../../shared/api';
import { api, ApiError, isAbort } from '../../api/client';
import { useSession } from '../auth/session-store';
import { formatDuration } from '../library/format';
import { LibraryLayout } from '../library/LibraryLayout';
import { Count, Tile } from '../health/tiles';
import { periodQuery, presetPeriod, type DayPeriod, type PeriodPreset } from './stats-period';

const PRESETS: PeriodPreset[] = ['today', 'week', 'month'];

/**
 * Packer throughput for a chosen period of whole local days: parcels and median packing
 * time per packer, parcels per packer per day and per hour, the clips with warnings, and the same
 * numbers as CSV for a spreadsheet. Packer names come from scanned badges: React renders them as text.
 * On the warehouse hub the same page counts over every station, or the one chosen (station names come
 * from the stations: text too).
 */
export function StatsScreen() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<DayPeriod>(() => presetPeriod('week', new Date()));
  const [stats, setStats] = useState<StatsResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const hub = useSession((s) => s.session?.hub === true);
  const [stations, setStations] = useState<HubStation[]>([]);
  // '' = all stations.
  const [stationId, setStationId] = useState('');
  const q = useMemo(() => periodQuery(period), [period]);
  const query = 'query' in q ? withStation(q.query, stationId) : null;

  useEffect(() => {
    if (!hub) return;
    const ctl = new AbortController();
    api
      .hubStations(ctl.signal)
      .then((r) => setStations(r.stations))
      .catch((err: unknown) => {
        if (!isAbort(err, ctl.signal)) setError(err instanceof ApiError ? err : new ApiError('unreachable', String(err)));
      });
    return () => ctl.abort();
  }, [hub]);

  useEffect(() => {
    if (query === null) return;
    const ctl = new AbortController();
    setLoading(true);
    api
      .stats(new URLSearchParams(query), ctl.signal)
      .then((s) => {
        setStats(s);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err, ctl.signal)) setError(err instanceof ApiError ? err : new ApiError('unreachable', String(err)));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [query]);

  const packerName = (p: StatsResponse['packers'][number]): ReactNode => <PackerLabel packer={p.packer} name={p.name} nobody={t('packerStats.nobody')} />;
  return (
    <LibraryLayout current="stats" title={t('packerStats.title')} unauthorized={error?.kind === 'unauthorized'}>
      <form className="stats__period" data-testid="stats-period" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('packerStats.from')}
          <input type="date" value={period.from} data-testid="stats-from" onChange={(e) => setPeriod({ ...period, from: e.target.value })} />
        </label>
        <label>
          {t('packerStats.to')}
          <input type="date" value={period.to} data-testid="stats-to" onChange={(e) => setPeriod({ ...period, to: e.target.value })} />
        </label>
        {PRESETS.map((p) => (
          <button key={p} type="button" className="button" data-testid={`stats-preset-${p}`} onClick={() => setPeriod(presetPeriod(p, new Date()))}>
            {t(`packerStats.preset.${p}`)}
          </button>
        ))}
        {hub && (
          <label>
            {t('hub.station')}
            <select value={stationId} data-testid="stats-station" onChange={(e) => setStationId(e.target.value)}>
              <option value="">{t('hub.allStations')}</option>
              {stations.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {query !== null && (
          <a className="button" href={`${routes.statsCsv}?${query}`} download data-testid="stats-csv">
            {t('packerStats.csv')}
          </a>
        )}
      </form>
      {'error' in q && (
        <p className="health__error" role="alert" data-testid="stats-period-error">
          {t(`packerStats.periodError.${q.error}`)}
        </p>
      )}
      {error && (
        <p className="health__error" role="alert" data-testid="stats-error">
          {t('packerStats.error', { message: error.message })}
        </p>
      )}
      {!stats ? (
        !error && <p className="health__loading">{t('health.loading')}</p>
      ) : (
        <div data-testid="stats" aria-busy={loading}>
          <div className="health__tiles">
            <Tile title={t('packerStats.parcels')} testId="stats-tile-parcels">
              <div className="health__big" data-testid="stats-parcels">
                {stats.packers.reduce((n, p) => n + p.parcels, 0).toLocaleString()}
              </div>
            </Tile>
            <Tile title={t('packerStats.median')} testId="stats-tile-median">
              <div className="health__big" data-testid="stats-median">
                {stats.medianPackingMs === null ? '—' : formatDuration(stats.medianPackingMs)}
              </div>
              <div className="health__sub">{t('packerStats.medianHint')}</div>
            </Tile>
            <Tile title={t('packerStats.warnings')} testId="stats-tile-warnings" tone={stats.warnings.clips > 0 ? 'warn' : undefined}>
              <div className="health__big" data-testid="stats-warning-clips">
                {stats.warnings.clips.toLocaleString()}
              </div>
              <dl className="health__counts">
                <Count label={t('packerStats.duplicate')} value={stats.warnings.duplicate} testId="stats-duplicate" />
                <Count label={t('packerStats.interrupted')} value={stats.warnings.interrupted} testId="stats-interrupted" />
                <Count label={t('packerStats.tooLong')} value={stats.warnings.tooLong} testId="stats-too-long" />
              </dl>
            </Tile>
          </div>
          {stats.packers.length === 0 ? (
            <p data-testid="stats-empty">{t('packerStats.empty')}</p>
          ) : (
            <>
              <section className="stats__section">
                <h2>{t('packerStats.byPacker')}</h2>
                <table className="stats__table" data-testid="stats-packers">
                  <thead>
                    <tr>
                      <th scope="col">{t('packerStats.packer')}</th>
                      <th scope="col">{t('packerStats.parcels')}</th>
                      <th scope="col">{t('packerStats.median')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...stats.packers]
                      .sort((a, b) => b.parcels - a.parcels)
                      .map((p) => (
                        <tr key={p.packer ?? ''} data-packer={p.packer ?? ''}>
                          <th scope="row">{packerName(p)}</th>
                          <td data-testid="packer-parcels">{p.parcels}</td>
                          <td data-testid="packer-median">{p.medianPackingMs === null ? '—' : formatDuration(p.medianPackingMs)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </section>
              <PeriodTable title={t('packerStats.byDay')} rows={stats.daily} packers={stats.packers} name={packerName} testId="stats-daily" />
              <PeriodTable title={t('packerStats.byHour')} rows={stats.hourly} packers={stats.packers} name={packerName} testId="stats-hourly" />
            </>
          )}
        </div>
      )}
    </LibraryLayout>
  );
}

/**
 * A packer as the office knows them: the name, with the badge code small beside it (counting is by
 * the code, so two badges under one name stay apart). A badge without a name shows its code once.
 */
function PackerLabel({ packer, name, nobody }: { packer: string | null; name: string | null; nobody: string }) {
  if (packer === null) return <>{nobody}</>;
  return (
    <>
      <span data-testid="packer-name">{name ?? packer}</span>
      {name !== null && name !== packer && (
        <>
          {' '}
          <small className="stats__badge" data-testid="packer-code">
            {packer}
          </small>
        </>
      )}
    </>
  );
}

/** The period's query, narrowed to one hub station when one is chosen. */
function withStation(query: URLSearchParams, stationId: string): string {
  const q = new URLSearchParams(query);
  if (stationId) q.set('stationId', stationId);
  return q.toString();
}

/** One row per period, one column per packer, and a bar for the period's total (the busy hours stand out). */
function PeriodTable({
  title,
  rows,
  packers,
  name,
  testId,
}: {
  title: string;
  rows: StatsResponse['daily'];
  packers: StatsResponse['packers'];
  name: (p: StatsResponse['packers'][number]) => ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  const periods = new Map<string, Map<string | null, number>>();
  for (const r of rows) {
    const m = periods.get(r.period) ?? new Map<string | null, number>();
    m.set(r.packer, r.parcels);
    periods.set(r.period, m);
  }
  const totals = [...periods.values()].map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  return (
    <section className="stats__section">
      <h2>{title}</h2>
      <table className="stats__table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('packerStats.period')}</th>
            {packers.map((p) => (
              <th scope="col" key={p.packer ?? ''}>
                {name(p)}
              </th>
            ))}
            <th scope="col">{t('packerStats.total')}</th>
          </tr>
        </thead>
        <tbody>
          {[...periods].map(([period, m], i) => (
            <tr key={period} data-period={period}>
              <th scope="row">{period}</th>
              {packers.map((p) => (
                <td key={p.packer ?? ''} data-packer={p.packer ?? ''}>
                  {m.get(p.packer) ?? 0}
                </td>
              ))}
              <td className="stats__total" data-testid="period-total">
                <span className="stats__bar" style={{ width: `${(totals[i]! / max) * 100}%` }} aria-hidden="true" />
                <span>{totals[i]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
