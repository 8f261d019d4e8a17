/**
 * One database backup, off the station's main thread (backups.ts starts it). Measured on a 965 MB
 * index: copying with the backup API in steps on the main thread was cheap per step, but its last
 * step (committing and syncing the copy) and the quick_check of the copy blocked the event loop for
 * whole seconds, which the recorder's indexing and the API would have waited through.
 *
 * Here the worker opens its own read-only connection (WAL: the station keeps writing meanwhile) and
 * copies every page in one step of SQLite's backup API, which holds one read snapshot for the copy, so
 * a write by the station cannot make it start over. Then the copy is switched to a self-contained
 * rollback-journal file, checked (quick_check, schema version) and fsynced. The binding is the one the
 * station's process set (catalog/sqlite.ts): a worker has its own module state, so it is passed in.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite, useSqliteBinding } from './sqlite.js';

export interface BackupWorkerInput {
  source: string;
  partial: string;
  binding: string | undefined;
}

export type BackupWorkerOutput = { ok: true; quickCheck: string; schemaVersion: number; steps: number } | { ok: false; message: string };

/** SQLite's backup API copies at most this many pages per step: all of them, in one snapshot. */
const ALL_PAGES = 0x7fffffff;

async function run(input: BackupWorkerInput): Promise<BackupWorkerOutput> {
  if (input.binding) useSqliteBinding(input.binding);
  const source = openSqlite(input.source, { readonly: true, fileMustExist: true });
  let steps = 0;
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(input.partial, {
      progress: () => {
        steps++;
        return ALL_PAGES;
      },
    });
  } finally {
    source.close();
  }
  const copy = openSqlite(input.partial, { fileMustExist: true });
  let quickCheck: string;
  let schemaVersion: number;
  try {
    // The copy carries the source's WAL flag; a backup is one self-contained file.
    copy.pragma('journal_mode = DELETE');
    quickCheck = String(copy.pragma('quick_check', { simple: true }));
    schemaVersion = copy.pragma('user_version', { simple: true }) as number;
  } finally {
    copy.close();
  }
  const fd = openSync(input.partial, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { ok: true, quickCheck, schemaVersion, steps };
}

run(workerData as BackupWorkerInput).then(
  (out) => parentPort!.postMessage(out),
  (err: unknown) => parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies BackupWorkerOutput),
);
