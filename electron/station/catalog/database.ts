/**
 * Opening the station's SQLite database: WAL (so `packwitness find` and other readers work while the
 * station writes), foreign keys on, and migrations applied one version at a time, each in a transaction.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskCredentials } from '../../../shared/credentials.js';
import { migrations as allMigrations } from './migrations/index.js';
import type { Migration } from './migrations/types.js';
import { msg, LocalizedError, type Message } from '../localized-error.js';
import { openSqlite, type Db } from './sqlite.js';

export type { Db } from './sqlite.js';

/** SQLite's page cache per connection, in KiB (SQLite's own default size). */
export const PAGE_CACHE_KIB = 2000;

export class DatabaseTooNewError extends Error {
  override name = 'DatabaseTooNewError';
}

/**
 * The database file is not a readable SQLite database (garbage bytes, a torn copy, a disk error):
 * one sentence naming the way out, never SQLite's stack.
 */
export class DatabaseUnreadableError extends LocalizedError {
  override name = 'DatabaseUnreadableError';
  constructor(text: Message, opts: { cause: unknown }) {
    super(text);
    this.cause = opts.cause;
  }
}

export interface OpenDatabaseOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
  /**
   * Called when the database is new: the file is missing or empty, or holds no schema (version 0).
   * Throw to refuse (a station whose folder proves an earlier life must not start a new, empty index
   * beside it: catalog/lost-database.ts). Called before a missing or empty file is created or written.
   */
  whenNew?: () => void;
}

/** SQLite result codes that mean the file itself cannot be used as this database. */
const UNREADABLE = /^SQLITE_(NOTADB|CORRUPT|CANTOPEN|IOERR|PERM|AUTH|FORMAT|FULL)/;

export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  const readonly = opts.readonly ?? false;
  if (opts.whenNew && (!existsSync(file) || statSync(file).size === 0)) opts.whenNew();
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly, fileMustExist: readonly });
    // Wait for a writer instead of failing at once: the CLI may read while the station writes.
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
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
    if (schemaVersion(db) === 0) opts.whenNew?.();
    migrate(db, opts.migrations ?? allMigrations, readonly);
    return db;
  } catch (err) {
    if (db?.open) db.close();
    throw unreadable(file, err);
  }
}

/** SQLite's own failure to read the file, as the one sentence an operator can act on; anything else as it was. */
export function unreadable(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !UNREADABLE.test(code)) return err;
  const dir = dirname(file);
  if (/^SQLITE_(CANTOPEN|PERM|AUTH)/.test(code)) {
    const detail = (err as Error).message;
    return new DatabaseUnreadableError(
      msg('database.cannotBeOpened', { file, detail }),
      { cause: err },
    );
  }
  const why = code.startsWith('SQLITE_NOTADB')
    ? msg('database.notSqlite')
    : code.startsWith('SQLITE_CORRUPT')
      ? msg('database.damaged')
      : msg('database.sqliteError', { message: (err as Error).message, code });
  return new DatabaseUnreadableError(msg('database.cannotBeRead', { file, why, dir }), { cause: err });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[], readonly: boolean): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new DatabaseTooNewError(
      `The database is at schema version ${current}, newer than this PackWitness understands (${latest}). Update PackWitness; the database was not changed.`,
    );
  }
  if (current === latest) return;
  if (readonly) throw new Error(`The database is at schema version ${current}; open it once read-write to upgrade it to ${latest}.`);
  // A migration may turn secure_delete on to scrub what it rewrites (008); the station runs without it.
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    // PRAGMA foreign_keys is a no-op inside a transaction: set it around it.
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.up);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
          if (broken.length) throw new Error(`migration ${m.version} (${m.name}) would leave ${broken.length} broken reference(s), e.g. ${broken[0]!.table} → ${broken[0]!.parent}; the database was not changed.`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.foreignKeysOff) db.pragma(`foreign_keys = ${foreignKeys}`);
    }
  }
  db.pragma(`secure_delete = ${secureDelete}`);
  // Into the main file at once and the WAL emptied: it would otherwise keep the pages as they were
  // before the upgrade (a password 008 masked) until SQLite happens to overwrite them.
  db.pragma('wal_checkpoint(TRUNCATE)');
}
