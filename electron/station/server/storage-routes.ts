/** Storage settings over HTTP: retention (operator-only, like every setting). */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { routes, StorageMoveRequest, type ErrorResponse, type RetentionSettings, type StorageMoveAccepted } from '../../../shared/api.js';
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

const MOVE_UNDER_WAY = msg('storage.moveDataFolderAlready');

export function registerStorageRoutes(app: FastifyInstance, d: StorageRouteDeps): void {
  app.get(routes.retentionSettings, async (): Promise<RetentionSettings> => loadRetentionSettings(d.settings));
  app.put(routes.retentionSettings, async (req, reply): Promise<RetentionSettings | ErrorResponse> => {
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
  app.post(routes.storageMove, async (req, reply): Promise<StorageMoveAccepted | ErrorResponse> => {
    const m = d.move;
    const parsed = StorageMoveRequest.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(refusal(msg('storage.nameNewFolderFull')));
    if (!m?.request) return reply.code(409).send(refusal(msg('storage.stationCannotMoveData')));
    if (moveAccepted || m.busy()) return reply.code(409).send(refusal(MOVE_UNDER_WAY));
    const from = m.dataDir();
    try {
      await checkMoveTarget(from, parsed.data.to);
    } catch (err) {
      if (err instanceof MoveDataError) return reply.code(400).send(errorBody(err));
      throw err;
    }
    // Checked again: a second request may have passed its checks meanwhile.
    if (moveAccepted || m.busy()) return reply.code(409).send(refusal(MOVE_UNDER_WAY));
    moveAccepted = true;
    const to = resolve(parsed.data.to);
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
