/**
 * The packer statistics over the hub's stations (all, or one): the station's `GET /api/stats` answer
 * (stats/packer-stats.ts), computed in PostgreSQL from the facts each station sent with its clips
 * (packing time, duplicate scan) so a month of a warehouse's clips is not read into the hub.
 *
 * One query with grouping sets: the totals, per packer, per packer and day, per packer and hour; then
 * the packers' latest names.
 * Days and hours are the hub's own time zone (IANA name, PostgreSQL's tz database), as the office
 * reads its shifts; a station in the same zone answers the same buckets. The median is
 * percentile_cont(0.5), the mean of the two middle values for an even count, as the station's.
 * The few result rows are sorted in JavaScript with the station's comparators, not a database
 * collation, so both orders are the same.
 */
import type { PackerCount, StatsResponse } from '../../shared/api.js';
import { toIso } from '../station/catalog/time.js';
import { byPacker, byPeriod } from '../station/stats/packer-stats.js';
import type { HubPool } from './db/hub-database.js';

interface GroupRow {
  /** GROUPING(packer, day, hour): 7 the totals, 3 a packer, 1 a packer's day, 2 a packer's hour. */
  g: number;
  packer: string | null;
  day: string | null;
  hour: string | null;
  parcels: number;
  median: number | null;
  duplicate: number;
  interrupted: number;
  too_long: number;
  warned: number;
}

const STATS_SQL = `
  WITH parcels AS (
    SELECT packer, packing_ms, duplicate_scan, status, end_reason,
           to_char(started_at AT TIME ZONE $4::text, 'YYYY-MM-DD') AS day,
           to_char(started_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24') || ':00' AS hour
      FROM clips
     WHERE started_at >= $1 AND started_at < $2 AND mode = 'pack' AND status <> 'cancelled'
       AND ($3::bigint IS NULL OR station_id = $3::bigint)
  )
  SELECT GROUPING(packer, day, hour)::int AS g, packer, day, hour,
         count(*)::int AS parcels,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY packing_ms::float8) AS median,
         count(*) FILTER (WHERE duplicate_scan)::int AS duplicate,
         count(*) FILTER (WHERE status = 'interrupted')::int AS interrupted,
         count(*) FILTER (WHERE end_reason = 'max-length')::int AS too_long,
         count(*) FILTER (WHERE duplicate_scan OR status = 'interrupted' OR end_reason = 'max-length')::int AS warned
    FROM parcels
   GROUP BY GROUPING SETS ((), (packer), (packer, day), (packer, hour))`;

/**
 * Each badge's latest name: the one its most recent clip (of the station asked about, or of any)
 * was recorded under, as the station's list had it then; the code when none was sent. The hub has no
 * packers list of its own. One probe per packer down clips_packer_started, whatever the period.
 */
const NAMES_SQL = `
  SELECT p.code,
         (SELECT packer_name FROM clips
           WHERE packer = p.code AND ($2::bigint IS NULL OR station_id = $2::bigint)
           ORDER BY started_at DESC, id DESC LIMIT 1) AS name
    FROM unnest($1::text[]) AS p(code)`;

async function latestNames(pool: HubPool, codes: string[], stationId: number | null): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = (await pool.query<{ code: string; name: string | null }>(NAMES_SQL, [codes, stationId])).rows;
  return new Map(rows.map((r) => [r.code, r.name ?? r.code]));
}

export async function hubPackerStats(pool: HubPool, q: { fromMs: number; toMs: number; stationId?: number; timeZone: string }): Promise<StatsResponse> {
  const rows = (await pool.query<GroupRow>(STATS_SQL, [new Date(q.fromMs), new Date(q.toMs), q.stationId ?? null, q.timeZone])).rows;
  const total = rows.find((r) => r.g === 7);
  const names = await latestNames(
    pool,
    rows.filter((r) => r.g === 3 && r.packer !== null).map((r) => r.packer!),
    q.stationId ?? null,
  );
  const count = (r: GroupRow, period: string): PackerCount => ({ packer: r.packer, period, parcels: r.parcels });
  return {
    from: toIso(q.fromMs),
    to: toIso(q.toMs),
    packers: rows
      .filter((r) => r.g === 3)
      .map((r) => ({ packer: r.packer, name: r.packer === null ? null : (names.get(r.packer) ?? r.packer), parcels: r.parcels, medianPackingMs: r.median }))
      .sort((a, b) => byPacker(a.packer, b.packer)),
    hourly: rows
      .filter((r) => r.g === 2)
      .map((r) => count(r, r.hour!))
      .sort(byPeriod),
    daily: rows
      .filter((r) => r.g === 1)
      .map((r) => count(r, r.day!))
      .sort(byPeriod),
    // With no parcels the totals' row still comes (an empty grouping set always yields one row).
    medianPackingMs: total?.median ?? null,
    warnings: { duplicate: total?.duplicate ?? 0, interrupted: total?.interrupted ?? 0, tooLong: total?.too_long ?? 0, clips: total?.warned ?? 0 },
  };
}

/** Whether a station id is one of the hub's (paired, whatever its state). */
export async function hubStationExists(pool: HubPool, stationId: number): Promise<boolean> {
  return (await pool.query('SELECT 1 FROM stations WHERE id = $1', [stationId])).rowCount === 1;
}
