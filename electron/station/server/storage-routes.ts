/** Storage settings over HTTP: retention (operator-only, like every setting). */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { msg, errorBody, refusal } from '../localized-error.js';
import { checkMoveTarget, MoveDataError } from '../storage/move-data.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { loadRetentionSettings, RetentionSettingsError, saveRetentionSettings } from '../storage/retention-settings.js';

export interface StorageRouteDeps {
  settings: SettingsStore;
  /** Told after a change, so retention applies new limits at once rather than at its next tick. */
  changed?: () => void;
  /** Storage folder move; absent, the route refuses. */
  move?: StorageMoveDeps;
}

export interface StorageMoveDeps {
  dataDir: () => string;
  /**
   * Starts the move: called once the 202 has gone out (the move stops this server). Null when the
   * station runs without a host that can restart it (then a move is the CLI's `move-data`).
   */
  request: ((to: string, requestedAt: string) => void) | null;
  /** Whether the host is moving the data folder (copying while the station records, or stopped for the rest). */
  busy: () => boolean;
}

const MOVE_UNDER_WAY = msg('storage.moveUnderWay');

export function registerStorageRoutes(app: FastifyInstance, d: StorageRouteDeps): void {
  addRoute(app, r.retentionSettings, async () => loadRetentionSettings(d.settings));
  addRoute(app, r.saveRetentionSettings, async (req, reply) => {
    try {
      const saved = saveRetentionSettings(d.settings, req.body);
      d.changed?.();
      return saved;
    } catch (err) {
      if (err instanceof RetentionSettingsError) return reply.code(400).send(errorBody(err));
      throw err;
    }
  });

  // ---- Storage folder move ----
  let moveAccepted = false;
  addRoute(app, r.moveStorage, async (_req, reply, { body }) => {
    const m = d.move;
    if (!m?.request) return reply.code(409).send(refusal(msg('storage.moveUnavailable')));
    if (moveAccepted || m.busy()) return reply.code(409).send(refusal(MOVE_UNDER_WAY));
    const from = m.dataDir();
    try {
      await checkMoveTarget(from, body.to);
    } catch (err) {
      if (err instanceof MoveDataError) return reply.code(400).send(errorBody(err));
      throw err;
    }
    // Checked again: a second request may have passed its checks meanwhile.
    if (moveAccepted || m.busy()) return reply.code(409).send(refusal(MOVE_UNDER_WAY));
    moveAccepted = true;
    const to = resolve(body.to);
    const requestedAt = new Date().toISOString();
    const request = m.request;
    // After the answer is out: stopping the station closes this server, which would cut the reply short.
    // From then on the host says whether a move is under way (one that fails while copying leaves the station running).
    reply.raw.once('close', () => {
      request(to, requestedAt);
      moveAccepted = false;
    });
    return reply.code(202).send({ from, to, requestedAt });
  });
}
