/**
 * Opening the station's SQLite database: WAL (so `packwitness find` and other readers work while the
 * station writes), foreign keys on, and migrations applied one version at a time, each in a transaction.
 */
import Database from 'better-sqlite3';
import { maskCredentials } from '../../../shared/credentials.js';
import { migrations as allMigrations } from './migrations/index.js';
import type { Migration } from './migrations/types.js';

export type Db = Database.Database;

/** SQLite's page cache per connection, in KiB (SQLite's own default size). */
export const PAGE_CACHE_KIB = 2000;

export class DatabaseTooNewError extends Error {
  override name = 'DatabaseTooNewError';
}

export interface OpenDatabaseOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
  /**
   * Path of a better_sqlite3.node to load instead of the one in node_modules. The Electron shell
   * passes its Electron-ABI build (electron/native-binding.ts) so node_modules keeps Node's build
   * and `npm test` and `npm start` both work from one checkout.
   */
  nativeBinding?: string;
}

export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  // Wait for a writer instead of failing at once: the CLI may read while the station writes.
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode cannot corrupt the database on power loss; it may lose the last transaction,
    // which start-up reconciliation re-indexes from the files on disk.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection. It fills as the database
  // grows, so a station's memory would creep up for hours (measured: +16 MB for a 41 MB scan with the
  // default, +1.9 MB at 2 MB). The OS file cache holds the pages anyway, so a miss costs a read()
  // from memory; bench/search.ts measures search at both sizes.
  db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
  // For migration 008 and any later one that has to rewrite text holding a password.
  db.function('mask_credentials', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? maskCredentials(text) : text));
  migrate(db, opts.migrations ?? allMigrations, opts.readonly ?? false);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[], readonly: boolean): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    db.close();
    throw new DatabaseTooNewError(
      `The database is at schema version ${current}, newer than this PackWitness understands (${latest}). Update PackWitness; the database was not changed.`,
    );
  }
  if (current === latest) return;
  if (readonly) throw new Error(`The database is at schema version ${current}; open it once read-write to upgrade it to ${latest}.`);
  // A migration may turn secure_delete on to scrub what it rewrites (008); the station runs without it.
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  db.pragma(`secure_delete = ${secureDelete}`);
  // Into the main file at once and the WAL emptied: it would otherwise keep the pages as they were
  // before the upgrade (a password 008 masked) until SQLite happens to overwrite them.
  db.pragma('wal_checkpoint(TRUNCATE)');
}
