/**
 * Retention settings (key 'retention' in the settings table). Defaults: clips 90 days,
 * footage of no clip 24 hours, free space at least 10 GB or 10 % of the volume, whichever is larger;
 * finished exports 14 days (two weeks covers a platform's appeal window of a few days
 * with room for a slow reply; a protected clip keeps its exports as long as it stays protected); on a
 * station joined to a hub, nothing is deleted before the hub confirmed its copy (waitForHubCopy).
 */
import { RetentionSettings } from '../../../shared/api.js';
import type { SettingsStore } from '../scans/settings-store.js';

export const RETENTION_SETTINGS_KEY = 'retention';

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 10, keepExportsDays: 14, waitForHubCopy: true };

export class RetentionSettingsError extends Error {
  override name = 'RetentionSettingsError';
}

export function loadRetentionSettings(store: SettingsStore): RetentionSettings {
  return store.get(RETENTION_SETTINGS_KEY, DEFAULT_RETENTION_SETTINGS, (v) => RetentionSettings.parse(v));
}

/** Validates and stores; a bad value is refused with one sentence naming the field and the rule. */
export function saveRetentionSettings(store: SettingsStore, body: unknown): RetentionSettings {
  const r = RetentionSettings.strict().safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = i.path.join('.') || 'body';
    throw new RetentionSettingsError(
      `Retention settings not saved: ${field}: ${i.message}. Send JSON {"keepClipsDays": 1-3650, "keepOrphanHours": 1-8760, "minFreeGb": 0-100000, "minFreePercent": 0-90, "keepExportsDays": 1-3650, "waitForHubCopy": true|false}.`,
    );
  }
  store.set(RETENTION_SETTINGS_KEY, r.data);
  return r.data;
}
