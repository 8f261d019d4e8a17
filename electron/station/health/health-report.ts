/**
 * The health page's report (GET /api/health/report), read from the index, the disk and the log.
 * Each query uses an index: the page polls every few seconds on a database of months.
 */
import { statfs } from 'node:fs/promises';
import type { HealthReport } from '../../../shared/api.js';
import { maskCredentials } from '../../../shared/credentials.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { CRASH_REASON } from '../catalog/reconcile.js';
import { toIso } from '../catalog/time.js';
import { recentProblems } from '../log.js';
import type { SettingsStore } from '../scans/settings-store.js';
import type { FootageMeter } from './footage-meter.js';
import { DEFAULT_FREE_SPACE_LIMITS, forecast, freeSpaceFloor, recordingRate, type Forecast, type FreeSpaceLimits, type RecordingRate } from './forecast.js';

export interface HealthDeps {
  db: Db;
  dataDir: string;
  settings: SettingsStore;
  footage: FootageMeter;
  startedAtMs: number;
  ffmpegVersion: string;
}

/** The free-space part of retention's setting; its defaults when unset or invalid. */
export function readFreeSpaceLimits(settings: SettingsStore): FreeSpaceLimits {
  return settings.get('retention', DEFAULT_FREE_SPACE_LIMITS, (v) => {
    const o = (v ?? {}) as Partial<Record<keyof FreeSpaceLimits, unknown>>;
    const num = (x: unknown, d: number) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : d);
    return { minFreeGb: num(o.minFreeGb, DEFAULT_FREE_SPACE_LIMITS.minFreeGb), minFreePercent: num(o.minFreePercent, DEFAULT_FREE_SPACE_LIMITS.minFreePercent) };
  });
}

/** Local midnight today, as epoch ms. */
export function localMidnight(nowMs: number): number {
  const d = new Date(nowMs);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export interface DiskForecast {
  totalBytes: number;
  freeBytes: number;
  floorBytes: number;
  rate: RecordingRate;
  forecast: Forecast;
}

/**
 * Free space, retention's floor, the recording rate and the days left, as the health page states
 * them. `packwitness doctor` calls this very function on its read-only connection, so both say the same
 * number (a rate of doctor's own, dividing all free space, gave a different one).
 * `dir` is the data folder, or the nearest folder that exists when it does not yet.
 */
export async function diskForecast(db: Db | null, dir: string, settings: SettingsStore | null, nowMs = Date.now()): Promise<DiskForecast> {
  // A disk that has gone (a pulled USB disk, a dropped share) must not take down the page that says so
  // (the disk check's failure is in lastErrors): its size and free space read as 0.
  const fs = await statfs(dir).catch(() => null);
  const totalBytes = fs ? Number(fs.blocks) * Number(fs.bsize) : 0;
  const freeBytes = fs ? Number(fs.bavail) * Number(fs.bsize) : 0;
  const floorBytes = freeSpaceFloor(totalBytes, settings ? readFreeSpaceLimits(settings) : DEFAULT_FREE_SPACE_LIMITS);
  const rate = db ? recordingRateOf(db, nowMs) : recordingRate(nowMs, null, () => 0);
  return { totalBytes, freeBytes, floorBytes, rate, forecast: forecast(freeBytes, floorBytes, rate.bytesPerDay) };
}

function recordingRateOf(db: Db, nowMs: number): RecordingRate {
  // Per camera, so both queries use segments(camera, start_ms); the camera list comes from the small runs table.
  const cameras = (stmt(db, 'SELECT DISTINCT camera FROM runs').all() as Array<{ camera: string }>).map((r) => r.camera);
  const firstStart = stmt(db, 'SELECT min(start_ms) AS t FROM segments WHERE camera = ?');
  const bytesFrom = stmt(db, 'SELECT coalesce(sum(bytes), 0) AS b FROM segments WHERE camera = ? AND start_ms >= ?');
  const starts = cameras.map((c) => (firstStart.get(c) as { t: number | null }).t).filter((t): t is number => t !== null);
  return recordingRate(nowMs, starts.length ? Math.min(...starts) : null, (fromMs) => cameras.reduce((sum, c) => sum + (bytesFrom.get(c, fromMs) as { b: number }).b, 0));
}

export async function healthReport(d: HealthDeps): Promise<HealthReport> {
  const nowMs = Date.now();
  const [disk, footage] = await Promise.all([diskForecast(d.db, d.dataDir, d.settings, nowMs), d.footage.read()]);
  const { totalBytes, freeBytes, floorBytes, rate } = disk;

  const oldest = stmt(d.db, 'SELECT id, start_ms FROM clips WHERE file IS NOT NULL ORDER BY start_ms LIMIT 1').get() as { id: number; start_ms: number } | undefined;
  const oldestCode = oldest
    ? ((stmt(d.db, 'SELECT code FROM clip_codes WHERE clip_id = ? ORDER BY scanned_ms LIMIT 1').get(oldest.id) as { code: string } | undefined)?.code ?? null)
    : null;
  const count = (sql: string) => (stmt(d.db, sql).get() as { n: number }).n;

  // A restart is a run the watchdog ended because ffmpeg died or stalled: it writes the reason then.
  // Runs it was asked to stop end as 'stopped'; runs a crashed station left open are closed at the
  // next start with CRASH_REASON: that is the station's crash, not ffmpeg's, and is not counted.
  const restarts = (
    stmt(d.db, "SELECT count(*) AS n FROM runs WHERE ended_ms >= ? AND end_reason IS NOT NULL AND end_reason NOT IN ('stopped', ?)")
      .get(localMidnight(nowMs), CRASH_REASON) as { n: number }
  ).n;

  const fc = disk.forecast;
  const mem = process.memoryUsage();
  return {
    at: toIso(nowMs),
    disk: { totalBytes, freeBytes, footageBytes: footage.bytes, footageMeasuredAt: toIso(footage.atMs), floorBytes },
    rate,
    forecast: { daysLeft: fc.daysLeft, state: fc.state },
    oldestClip: oldest ? { id: oldest.id, startedAt: toIso(oldest.start_ms), code: oldestCode } : null,
    counts: {
      segments: count('SELECT count(*) AS n FROM segments'),
      clips: count('SELECT count(*) AS n FROM clips'),
      protectedClips: count('SELECT count(*) AS n FROM clips WHERE protected = 1'),
      gaps: count('SELECT count(*) AS n FROM gaps'),
    },
    // log.ts masks already; again here because viewers read this page and the cost is nothing.
    lastErrors: recentProblems().map((e) => ({ at: toIso(e.atMs), level: e.level, message: maskCredentials(e.message) })),
    ffmpegRestartsToday: restarts,
    startedAt: toIso(d.startedAtMs),
    uptimeMs: nowMs - d.startedAtMs,
    ffmpegVersion: d.ffmpegVersion,
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external },
  };
}
