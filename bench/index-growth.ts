/**
 * `index-growth` benchmark: how big the station's database gets, and what compaction gives back.
 *
 * A generated history (bench/index-history.ts: one camera, a segment every 2 s for 10 h a day, each
 * with its signed chain entry, 20 clips a day, one protected every 10 days), retention 30 days. A
 * whole year (6.6 million segments) would take most of an hour to generate on 2 shared cores, so
 * SIM_DAYS days are generated and a year is extrapolated from the measured bytes per day; the JSON
 * says which numbers are measured and which extrapolated.
 *
 * Steps: generate SIM_DAYS days (size "before"); compact as the running station does (batches,
 * yielding to the event loop; the file keeps its size, the freed pages go on the free list); generate
 * MORE_DAYS further days and compact again (the file should not grow: new rows reuse freed pages);
 * then VACUUM as `packwitness compact` does on a stopped station (size "after", and its time).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../electron/station/catalog/database.js';
import { fingerprintOf, type StationKeys } from '../electron/station/evidence/station-keys.js';
import { databaseFileBytes } from '../electron/station/storage/compact-stopped.js';
import { compactIndex, type CompactionReport } from '../electron/station/storage/compaction.js';
import { DAY_MS, generateHistory, SEGMENTS_PER_DAY } from './index-history.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RETENTION_DAYS = 30;
const SIM_DAYS = 38;
const MORE_DAYS = 4;
const YEAR_DAYS = 365;
/**
 * From the product: compacted, the index must stop growing at about the retention period's rows (the
 * bench allows a third more for free pages and the kept clips), and no batch may hold the event loop
 * for more than a quarter of a segment's 2 s (the next segment's indexing waits behind it).
 */
const TARGET = { yearAfterOverRetentionDaysRatio: 1.33, longestBatchMs: 500 };

const mb = (b: number): number => Math.round((b / 1e6) * 10) / 10;

function pages(db: Db): { pageSize: number; pageCount: number; freePages: number } {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pageCount: db.pragma('page_count', { simple: true }) as number,
    freePages: db.pragma('freelist_count', { simple: true }) as number,
  };
}

/** Checkpointed first, so the size is the file's alone (the WAL emptied). */
function withPages(db: Db, file: string): { bytes: number; pageSize: number; pageCount: number; freePages: number } {
  const p = pages(db);
  return { ...p, bytes: databaseFileBytes(file) };
}

function summary(r: CompactionReport): Record<string, number> {
  return { removedSegments: r.removedSegments, batches: r.batches, elapsedPerBatchMs: Math.round((r.elapsedMs / Math.max(1, r.batches)) * 10) / 10, longestBatchMs: Math.round(r.longestBatchMs * 10) / 10, seconds: Math.round(r.elapsedMs / 100) / 10, keptRuns: r.keptRuns };
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const dir = mkdtempSync(join(process.env.PW_BENCH_ROOT ?? tmpdir(), 'pw-index-growth-'));
  const file = join(dir, 'packwitness.db');
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keys: StationKeys = { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
    const db = openDatabase(file);
    const protectedDays = Array.from({ length: SIM_DAYS + MORE_DAYS }, (_, d) => d).filter((d) => d % 10 === 5);
    // Day d records 08:00–18:00 of (now - SIM_DAYS + d) days: the last generated day is yesterday.
    const firstDayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - SIM_DAYS * DAY_MS;
    const t0 = performance.now();
    generateHistory({ db, keys, days: SIM_DAYS, firstDayMs, nowMs: firstDayMs + SIM_DAYS * DAY_MS, retentionDays: RETENTION_DAYS, protectedDays });
    const generateSeconds = (performance.now() - t0) / 1000;
    const before = withPages(db, file);
    const rowsBefore = (db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n;
    console.log(`index-growth: ${SIM_DAYS} days (${rowsBefore} segments) generated in ${generateSeconds.toFixed(0)} s: ${mb(before.bytes)} MB`);

    const first = await compactIndex({ db, keys, keepClipsDays: RETENTION_DAYS, now: () => firstDayMs + SIM_DAYS * DAY_MS });
    const afterCompact = withPages(db, file);
    console.log(`index-growth: compacted ${first.removedSegments} rows in ${(first.elapsedMs / 1000).toFixed(1)} s; ${afterCompact.freePages} free pages`);

    // The station keeps recording: MORE_DAYS more days, then the next compaction.
    const moreFirstDay = firstDayMs + SIM_DAYS * DAY_MS;
    const nowLater = moreFirstDay + MORE_DAYS * DAY_MS;
    generateHistory({ db, keys, days: MORE_DAYS, firstDayMs: moreFirstDay, nowMs: nowLater, retentionDays: RETENTION_DAYS, protectedDays: [] });
    const afterMore = withPages(db, file);
    const second = await compactIndex({ db, keys, keepClipsDays: RETENTION_DAYS, now: () => nowLater });
    const afterSecond = withPages(db, file);

    const tv = performance.now();
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const vacuumSeconds = (performance.now() - tv) / 1000;
    const vacuumed = withPages(db, file);
    const rowsAfter = (db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n;
    db.close();

    const bytesPerDay = before.bytes / SIM_DAYS;
    const bytesPerSegment = before.bytes / rowsBefore;
    const yearBeforeBytes = bytesPerDay * YEAR_DAYS;
    // Compacted, the index holds the retention period's rows plus the kept runs (and clip rows,
    // which stay): the vacuumed size, whatever the station's age.
    const yearAfterBytes = vacuumed.bytes;
    const retentionBytes = bytesPerDay * RETENTION_DAYS;
    const yearBacklogRows = (YEAR_DAYS - RETENTION_DAYS) * SEGMENTS_PER_DAY;
    const result = {
      benchmark: 'index-growth',
      description: `Database size of a station recording one camera 10 h a day (a 2-s segment and its signed chain entry every 2 s, ${SEGMENTS_PER_DAY} a day, 20 clips a day), retention ${RETENTION_DAYS} days, before and after compaction`,
      date: new Date().toISOString(),
      machine: { cpuCount: cpus().length, node: process.version },
      simulated: {
        note: `${SIM_DAYS} days generated (then ${MORE_DAYS} more), not 365: generating a year takes most of an hour here. Year figures are extrapolated linearly from the measured bytes per day.`,
        days: SIM_DAYS,
        segments: rowsBefore,
        generateSeconds: Math.round(generateSeconds),
        bytesPerSegment: Math.round(bytesPerSegment),
        mbPerDay: mb(bytesPerDay),
      },
      measured: {
        beforeMB: mb(before.bytes),
        firstCompaction: { ...summary(first), fileMB: mb(afterCompact.bytes), freeMB: mb(afterCompact.freePages * afterCompact.pageSize) },
        [`after${MORE_DAYS}MoreDays`]: { fileMB: mb(afterMore.bytes), freeMB: mb(afterMore.freePages * afterMore.pageSize), grewMB: mb(afterMore.bytes - afterCompact.bytes) },
        secondCompaction: { ...summary(second), fileMB: mb(afterSecond.bytes), freeMB: mb(afterSecond.freePages * afterSecond.pageSize) },
        vacuum: { seconds: Math.round(vacuumSeconds * 10) / 10, fileMB: mb(vacuumed.bytes), segmentsLeft: rowsAfter },
      },
      extrapolatedYear: {
        beforeMB: mb(yearBeforeBytes),
        afterMB: mb(yearAfterBytes),
        afterWithoutVacuumMB: mb(afterSecond.bytes),
        retentionPeriodRowsMB: mb(retentionBytes),
        firstCompactionOfAYearSeconds: Math.round((first.elapsedMs / 1000 / Math.max(1, first.removedSegments)) * yearBacklogRows),
        vacuumOfAYearSeconds: Math.round((vacuumSeconds / Math.max(1, afterSecond.bytes)) * yearBeforeBytes),
        note: "afterMB is the measured vacuumed size and afterWithoutVacuumMB the running station's file (free pages included, reused by new rows): a compacted index holds the retention period and the kept clips whatever the station's age. The first compaction and VACUUM of a year-old station are scaled from the measured rates.",
      },
      target: TARGET,
      meetsTarget: afterSecond.bytes <= bytesPerDay * RETENTION_DAYS * TARGET.yearAfterOverRetentionDaysRatio && first.longestBatchMs <= TARGET.longestBatchMs && second.longestBatchMs <= TARGET.longestBatchMs,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'index-growth.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      'before (measured)': { days: SIM_DAYS, MB: result.measured.beforeMB },
      'after VACUUM (measured)': { days: RETENTION_DAYS, MB: result.measured.vacuum.fileMB },
      'a year, before (extrapolated)': { days: YEAR_DAYS, MB: result.extrapolatedYear.beforeMB },
      'a year, after (= steady state)': { days: YEAR_DAYS, MB: result.extrapolatedYear.afterMB },
    });
    return { meetsTarget: result.meetsTarget, failed: false };
  } catch (err) {
    console.error(`index-growth: ${(err as Error).stack ?? String(err)}`);
    return { meetsTarget: null, failed: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
