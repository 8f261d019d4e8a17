/** Storage settings over HTTP: retention (operator-only, like every setting). */
import type { FastifyInstance } from 'fastify';
import { routes, type ErrorResponse, type RetentionSettings } from '../../../shared/api.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { loadRetentionSettings, RetentionSettingsError, saveRetentionSettings } from '../storage/retention-settings.js';

export interface StorageRouteDeps {
  settings: SettingsStore;
  /** Told after a change, so retention applies new limits at once rather than at its next tick. */
  changed?: () => void;
}

export function registerStorageRoutes(app: FastifyInstance, d: StorageRouteDeps): void {
  app.get(routes.retentionSettings, async (): Promise<RetentionSettings> => loadRetentionSettings(d.settings));
  app.put(routes.retentionSettings, async (req, reply): Promise<RetentionSettings | ErrorResponse> => {
    try {
      const saved = saveRetentionSettings(d.settings, req.body);
      d.changed?.();
      return saved;
    } catch (err) {
      if (err instanceof RetentionSettingsError) return reply.code(400).send({ error: err.message });
      throw err;
    }
  });
}
