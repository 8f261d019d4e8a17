/** The stations table as the stations page and GET /api/stations see it. */
import type { HubHeartbeat, HubStation } from '../../shared/api.js';
import type { HubPool } from './db/hub-database.js';
import { STATION_ONLINE_WINDOW_MS } from './limits.js';
import type { VerifiedStation } from './server/station-auth.js';

export async function recordHeartbeat(pool: HubPool, who: VerifiedStation, beat: HubHeartbeat): Promise<void> {
  await pool.query('UPDATE stations SET last_seen_at = now(), clock_skew_ms = $2, last_status = $3, name = $4 WHERE id = $1', [
    who.stationId,
    Math.round(who.skewMs),
    JSON.stringify(beat),
    beat.stationName || 'station',
  ]);
}

/** A station seen by the hub on any signed request counts as online (uploads too, not only heartbeats). */
export async function touchStation(pool: HubPool, who: VerifiedStation): Promise<void> {
  await pool.query('UPDATE stations SET last_seen_at = now(), clock_skew_ms = $2 WHERE id = $1', [who.stationId, Math.round(who.skewMs)]);
}

interface Row {
  id: string;
  name: string;
  fingerprint: string;
  paired_at: Date;
  last_seen_at: Date | null;
  clock_skew_ms: string | null;
  last_status: Partial<HubHeartbeat> | null;
}

export async function listStations(pool: HubPool): Promise<HubStation[]> {
  const r = await pool.query<Row>('SELECT id, name, fingerprint, paired_at, last_seen_at, clock_skew_ms, last_status FROM stations ORDER BY name, id');
  const now = Date.now();
  return r.rows.map((s) => ({
    id: Number(s.id),
    name: s.name,
    fingerprint: s.fingerprint,
    pairedAt: s.paired_at.toISOString(),
    lastSeenAt: s.last_seen_at?.toISOString() ?? null,
    online: s.last_seen_at !== null && now - s.last_seen_at.getTime() < STATION_ONLINE_WINDOW_MS,
    recording: s.last_status?.recording ?? null,
    backlog: s.last_status?.backlog ?? null,
    diskDaysLeft: s.last_status?.diskDaysLeft ?? null,
    clockSkewMs: s.clock_skew_ms === null ? null : Number(s.clock_skew_ms),
  }));
}
