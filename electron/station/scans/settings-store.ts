/**
 * Settings as JSON values in SQLite, one row per key. Each key's owner validates what it reads: a
 * value that no longer validates (edited by hand, older version) falls back to the default, loudly.
 */
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { log } from '../log.js';

export class SettingsStore {
  constructor(private readonly db: Db) {}

  get<T>(key: string, fallback: T, validate: (v: unknown) => T): T {
    const row = stmt(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return fallback;
    try {
      return validate(JSON.parse(row.value));
    } catch (err) {
      log.warn('stored setting is invalid; using the default', { key, error: (err as Error).message });
      return fallback;
    }
  }

  set(key: string, value: unknown): void {
    stmt(this.db, 'INSERT INTO settings (key, value, updated_ms) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms')
      .run(key, JSON.stringify(value), Date.now());
  }
}
