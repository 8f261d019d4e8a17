/**
 * The hub's audit log (hub_events): pairings, refused requests and what the admins did. A refusal is
 * also a warning on stderr, so an operator tailing the log sees it at once.
 */
import { log } from '../station/log.js';
import type { HubAuditResponse } from '../../shared/api.js';
import type { HubPool } from './db/hub-database.js';

export interface HubEvent {
  kind: string;
  stationId?: number | null;
  actor?: string | null;
  address?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordEvent(pool: HubPool, e: HubEvent): Promise<void> {
  if (/refused|rejected/.test(e.kind)) log.warn(`hub: ${e.kind}`, { stationId: e.stationId ?? null, address: e.address ?? null, ...(e.detail ?? {}) });
  await pool.query('INSERT INTO hub_events (kind, station_id, actor, address, detail) VALUES ($1, $2, $3, $4, $5)', [
    e.kind,
    e.stationId ?? null,
    e.actor ?? null,
    e.address ?? null,
    JSON.stringify(e.detail ?? {}),
  ]);
}

/** The latest events, newest first. */
export async function latestEvents(pool: HubPool, limit: number): Promise<HubAuditResponse> {
  const rows = (
    await pool.query<{ at: Date; kind: string; actor: string | null; station_id: string | null; address: string | null; detail: Record<string, unknown> }>(
      'SELECT at, kind, actor, station_id, address, detail FROM hub_events ORDER BY at DESC, id DESC LIMIT $1',
      [limit],
    )
  ).rows;
  return { events: rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, actor: r.actor, stationId: r.station_id === null ? null : Number(r.station_id), address: r.address, detail: r.detail })) };
}
