/**
 * The hub's audit log (hub_events): pairings, refused requests and what the admins did. A refusal is
 * also a warning on stderr, so an operator tailing the log sees it at once.
 */
import { log } from '../station/log.js';
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
