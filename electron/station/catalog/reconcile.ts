/**
 * Start-up reconciliation of disk and database, for a station that did not shut down cleanly (power
 * cut, kill -9, crash). After it, every non-empty segment file under runs/ has an index row, runs the
 * crash left open are closed, the lost time is a gap, and an ffmpeg the dead station left behind is
 * stopped. Nothing non-empty is deleted; rows whose file is gone are reported, never dropped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../log.js';
import type { Gaps } from './gaps.js';
import type { Runs } from './runs.js';
import type { RecoveryReport, SegmentIndexer } from './segment-indexer.js';
import type { Segments } from './segments.js';

export interface ReconcileReport extends RecoveryReport {
  openRuns: number;
  runsFoundOnDisk: number;
  orphansStopped: number;
  missingFiles: string[];
}

export const CRASH_REASON = 'station stopped unexpectedly';

export async function reconcile(dataDir: string, deps: { runs: Runs; segments: Segments; gaps: Gaps; indexer: SegmentIndexer }): Promise<ReconcileReport> {
  const { runs, segments, gaps, indexer } = deps;
  const report: ReconcileReport = { openRuns: 0, runsFoundOnDisk: 0, orphansStopped: 0, indexed: 0, damaged: 0, removedEmpty: 0, missingFiles: [] };

  const crashedCameras = new Set<string>();
  for (const run of runs.open()) {
    report.openRuns++;
    crashedCameras.add(run.camera);
    if (run.pid && (await stopOrphan(run.pid, run.dir))) report.orphansStopped++;
  }

  // Run folders the database does not know (a lost or restored database): their names carry t0.
  for (const dir of await runDirsOnDisk(dataDir)) {
    if (runs.byDir(dir.rel)) continue;
    runs.create({ camera: dir.camera, dir: dir.rel, t0Ms: dir.t0Ms });
    report.runsFoundOnDisk++;
  }

  for (const run of runs.all()) {
    const r = await indexer.recoverRun({ runId: run.id, camera: run.camera, dirRel: run.dir, t0Ms: run.t0_ms });
    report.indexed += r.indexed;
    report.damaged += r.damaged;
    report.removedEmpty += r.removedEmpty;
  }
  runs.endOpen(CRASH_REASON);

  for (const camera of crashedCameras) {
    const lastEnd = segments.lastEndMs(camera);
    if (lastEnd !== null) gaps.open(camera, lastEnd, CRASH_REASON);
  }

  for (const s of segments.all()) {
    // Retention deleted it on purpose (the row stays for the evidence chain): not missing.
    if (s.fileDeletedAt) continue;
    if (!existsSync(join(dataDir, ...s.file.split('/')))) report.missingFiles.push(s.file);
  }
  if (report.missingFiles.length) log.warn('indexed segments are missing on disk', { count: report.missingFiles.length, first: report.missingFiles[0] });
  if (report.openRuns || report.indexed || report.damaged || report.runsFoundOnDisk) log.info('reconciled disk and index after an unclean stop', { ...report, missingFiles: report.missingFiles.length });
  return report;
}

/** `20261123T103800123Z` → epoch ms. */
export function runStampToMs(stamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
}

async function runDirsOnDisk(dataDir: string): Promise<Array<{ rel: string; camera: string; t0Ms: number }>> {
  const out: Array<{ rel: string; camera: string; t0Ms: number }> = [];
  const root = join(dataDir, 'runs');
  let cameras: string[];
  try {
    cameras = await readdir(root);
  } catch {
    return out;
  }
  for (const camera of cameras) {
    let stamps: string[];
    try {
      stamps = await readdir(join(root, camera));
    } catch {
      continue;
    }
    for (const stamp of stamps) {
      const t0Ms = runStampToMs(stamp);
      if (t0Ms !== null) out.push({ rel: `runs/${camera}/${stamp}`, camera, t0Ms });
    }
  }
  return out;
}

/**
 * An ffmpeg whose station died keeps writing (until a motion picture is refused, a second or two). Stop it before indexing
 * its folder, but only if it is really ours: on Linux the command line must name the run folder.
 */
async function stopOrphan(pid: number, runDir: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform === 'linux') {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir)) return false;
    } catch {
      return false;
    }
  } else {
    return false; // without a way to check the command line, a reused pid could be anything
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  process.kill(pid, 'SIGKILL');
  return true;
}
