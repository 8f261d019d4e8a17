/**
 * `packwitness compact`: compaction (compaction.ts) on a stopped station (its lock held), then a
 * VACUUM to give the freed pages back to the disk. The running station compacts on its own but never
 * vacuums: a VACUUM rewrites the whole file and holds the database meanwhile (a second or more per
 * 100 MB, see bench/results/index-growth.json), while freed pages are reused by new rows anyway.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../catalog/database.js';
import { DB_FILE } from '../catalog/lost-database.js';
import { checkpointLine } from '../evidence/chain-checkpoint.js';
import { loadOrCreateStationKeys } from '../evidence/station-keys.js';
import { SettingsStore } from '../scans/settings-store.js';
import { acquireLock } from '../station-lock.js';
import { compactIndex, type CompactionReport } from './compaction.js';
import { loadRetentionSettings } from './retention-settings.js';

export interface CompactStoppedReport extends CompactionReport {
  /** The checkpoint signed, as its signed line (docs/VERIFY.md shows how to check it with openssl). */
  checkpointLine: string | null;
  keepClipsDays: number;
  bytesBefore: number;
  bytesAfter: number;
  vacuumed: boolean;
  vacuumMs: number;
}

export async function compactStoppedStation(dataDir: string, opts: { vacuum: boolean }): Promise<CompactStoppedReport> {
  const release = acquireLock(dataDir);
  try {
    const file = join(dataDir, DB_FILE);
    const db = openDatabase(file);
    try {
      const keepClipsDays = loadRetentionSettings(new SettingsStore(db)).keepClipsDays;
      const bytesBefore = databaseFileBytes(file);
      // Nothing else uses the database: no pause between batches.
      const r = await compactIndex({ db, keys: loadOrCreateStationKeys(dataDir), keepClipsDays, pause: async () => undefined });
      let vacuumMs = 0;
      if (opts.vacuum) {
        const t = performance.now();
        db.exec('VACUUM');
        db.pragma('wal_checkpoint(TRUNCATE)');
        vacuumMs = performance.now() - t;
      }
      return { ...r, checkpointLine: r.checkpoint ? checkpointLine(r.checkpoint) : null, keepClipsDays, bytesBefore, bytesAfter: databaseFileBytes(file), vacuumed: opts.vacuum, vacuumMs };
    } finally {
      db.close();
    }
  } finally {
    release();
  }
}

/** The index's size on disk: the database file and its WAL. */
export function databaseFileBytes(file: string): number {
  let n = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return n;
}

export function formatCompactReport(r: CompactStoppedReport): string {
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  return [
    `compacted\t${r.removedSegments} segment rows and chain entries removed (footage deleted more than ${r.keepClipsDays} days ago)`,
    r.checkpoint ? `checkpoint\t${r.checkpoint.n} at chain seq ${r.checkpoint.seq}, ${r.keptRuns} kept run(s) before it` : 'checkpoint\tnone signed (nothing to remove)',
    `database\t${mb(r.bytesBefore)} → ${mb(r.bytesAfter)}${r.vacuumed ? ` (VACUUM ${(r.vacuumMs / 1000).toFixed(1)} s)` : ' (not vacuumed)'}`,
    '',
  ].join('\n');
}
