/**
 * Opening the station's SQLite database: WAL (so `packwitness find` and other readers work while the
 * station writes), foreign keys on, and migrations applied one version at a time, each in a transaction.
 */
import Database from 'better-sqlite3';
import { migrations as allMigrations } from './migrations/index.js';
import type { Migration } from './migrations/types.js';

export type Db = Database.Database;

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
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
