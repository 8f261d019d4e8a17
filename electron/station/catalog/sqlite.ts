/**
 * The one place a PackWitness process opens SQLite (test/unit/sqlite-factory.test.ts keeps it so).
 *
 * better-sqlite3 is a native module: node_modules holds the build for Node's ABI (tests, the CLI),
 * and the Electron shell loads a second build for Electron's ABI through better-sqlite3's
 * `nativeBinding` option (electron/native-binding.ts). Every open must use the same binding, or the
 * one that forgets (the data-folder move did) fails in the desktop app only. So the binding is set
 * once per process, by the shell at its start, and every open here uses it; Node's default otherwise.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;
export type Statement = Database.Statement;

/** The binding could not be loaded: said with its path, since that is what the shell got wrong. */
export class SqliteBindingError extends Error {
  override name = 'SqliteBindingError';
}

let binding: string | undefined;
/** The loaded addon of `binding`: loaded here, once, so a bad file is reported by its path. */
let addon: object | undefined;

/**
 * The better_sqlite3.node every later open in this process loads (the Electron shell calls this once,
 * before the station starts). Setting another one afterwards is a bug: two builds in one process.
 */
export function useSqliteBinding(path: string): void {
  if (binding !== undefined && binding !== path) throw new SqliteBindingError(`SQLite's native binding is already ${binding}; it cannot be changed to ${path} in the same process.`);
  binding = path;
}

/** The binding set for this process, or undefined for node_modules' own build. */
export function sqliteBinding(): string | undefined {
  return binding;
}

export interface OpenSqliteOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
}

/** A raw connection with this process's binding; callers set their own pragmas. */
export function openSqlite(file: string, opts: OpenSqliteOptions = {}): Db {
  return new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.fileMustExist ?? opts.readonly ?? false,
    ...(binding ? { nativeBinding: loadBinding(binding) as never } : {}),
  });
}

function loadBinding(path: string): object {
  if (addon) return addon;
  try {
    addon = createRequire(import.meta.url)(resolve(path)) as object;
  } catch (err) {
    throw new SqliteBindingError(`SQLite's native binding ${path} could not be loaded (${(err as Error).message.split('\n')[0]}); rebuild it with \`npm run rebuild:electron\`.`);
  }
  return addon;
}
