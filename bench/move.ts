/**
 * `move` benchmark: how long recording pauses when the data folder moves from the settings.
 *
 * A real station records on the demo camera for a while and stops; its folder then gets FOOTAGE_MB of
 * sealed footage beside its own (read-only segment files, as a station makes them after hashing), which
 * stands for weeks of recording. Two copies of that folder are moved to new folders on the same disk:
 *   - baseline, the earlier design: the station stops and `moveDataFolder` copies and verifies
 *     everything; the pause is all of it;
 *   - two steps, the current design: `precopyUntilSettled` copies while the station would still
 *     record; after each pass the footage recorded meanwhile (the run's own bitrate times the pass's
 *     duration) is added, which the next pass copies, until a pass copies little; then
 *     `moveDataFolder` runs with recording paused; the pause is only that.
 * Measured here is the move's own share of the pause; the station's stop and start add a few seconds
 * to both designs alike.
 * The OS file cache is dropped before each timed step when this runs as root, so files come from the
 * disk as they would after weeks; the result says whether it could.
 *
 * Target: the two-step pause under a tenth of the baseline's.
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { moveDataFolder, precopyUntilSettled } from '../electron/station/storage/move-data.js';
import { root, round, startStation, stopStation } from './station.js';

const FOOTAGE_MB = Number(process.env.BENCH_MOVE_MB ?? 1024);
const FILE_MB = 4;
const RECORD_S = 20;
const TARGET_RATIO = 0.1;

function dropFileCache(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
}

/** Sealed segment-like files of random bytes (incompressible, like H.264), read-only as the indexer leaves them. */
function addSealedFootage(dir: string, bytes: number, prefix: string): number {
  mkdirSync(dir, { recursive: true });
  const buf = Buffer.alloc(FILE_MB * 1024 * 1024);
  let n = 0;
  for (let written = 0; written < bytes; written += buf.length, n++) {
    const file = join(dir, `${prefix}-${String(n).padStart(5, '0')}.ts`);
    const size = Math.min(buf.length, bytes - written);
    writeFileSync(file, randomFillSync(buf).subarray(0, size));
    chmodSync(file, 0o444);
  }
  return n;
}

function segmentBytes(dataDir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.ts')) total += statSync(join(d, e.name)).size;
    }
  };
  walk(join(dataDir, 'runs'));
  return total;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t) / 1000, value };
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const work = mkdtempSync(join(tmpdir(), 'pw-bench-move-'));
  try {
    console.log(`move: recording ${RECORD_S} s on the demo camera…`);
    const st = await startStation('demo:1280x720@15', { dataDir: join(work, 'recorded') });
    await new Promise((r) => setTimeout(r, RECORD_S * 1000));
    await stopStation(st, { keepData: true });
    const recordedBytes = segmentBytes(st.dir);
    const bitrate = recordedBytes / RECORD_S; // bytes per second of footage, as this camera records

    console.log(`move: adding ${FOOTAGE_MB} MB of sealed footage…`);
    const files = addSealedFootage(join(st.dir, 'runs', 'bench-weeks', 'demo', 'r1'), FOOTAGE_MB * 1024 * 1024, 'seg');
    const folderBytes = segmentBytes(st.dir);

    const copyOf = (name: string): string => {
      const dst = join(work, name);
      execFileSync('cp', ['-a', `${st.dir}/.`, dst + '/'], { stdio: 'ignore' });
      return dst;
    };
    mkdirSync(join(work, 'a-from'));
    mkdirSync(join(work, 'b-from'));
    const aFrom = copyOf('a-from');
    const bFrom = copyOf('b-from');

    // Baseline: everything with recording paused.
    const cacheDropped = dropFileCache();
    const baseline = await timed(() => moveDataFolder(aFrom, join(work, 'a-to')));
    console.log(`move: baseline (stop, then move all): ${baseline.seconds.toFixed(1)} s paused`);
    rmSync(join(work, 'a-to'), { recursive: true, force: true });

    // Two steps: copy while recording, then the rest paused.
    dropFileCache();
    let meanwhileBytes = 0;
    const passes: Array<{ pass: number; seconds: number; copiedMB: number; recordedMeanwhileMB: number }> = [];
    const pre = await timed(() =>
      precopyUntilSettled(bFrom, join(work, 'b-to'), {
        onPass: (p) => {
          const recorded = Math.round(bitrate * p.seconds);
          addSealedFootage(join(bFrom, 'runs', 'bench-weeks', 'demo', `during-pass-${p.pass}`), recorded, 'seg');
          meanwhileBytes += recorded;
          passes.push({ pass: p.pass, seconds: round(p.seconds), copiedMB: round(p.copiedBytes / 1e6), recordedMeanwhileMB: round(recorded / 1e6) });
        },
      }),
    );
    dropFileCache();
    const last = await timed(() => moveDataFolder(bFrom, join(work, 'b-to')));
    const ratio = last.seconds / baseline.seconds;
    console.log(`move: two steps: ${pre.seconds.toFixed(1)} s copying while recording, then ${last.seconds.toFixed(2)} s paused (${round(ratio * 100)} % of the baseline pause)`);

    const result = {
      benchmark: 'move',
      description: `Recording pause of a data-folder move from the settings: a real ${RECORD_S} s recording plus ${FOOTAGE_MB} MB of sealed footage (${FILE_MB} MB files), same disk`,
      date: new Date().toISOString(),
      machine: { cpuCount: cpus().length, node: process.version, fileCacheDropped: cacheDropped },
      folder: {
        files: baseline.value.files,
        megabytes: round(baseline.value.bytes / 1e6),
        footageMegabytes: round(folderBytes / 1e6),
        databaseMegabytes: round(statSync(join(st.dir, 'packwitness.db')).size / 1e6),
        syntheticFootageFiles: files,
        recordedBytesPerSecond: Math.round(bitrate),
      },
      baseline: { pausedSeconds: round(baseline.seconds), files: baseline.value.files },
      twoSteps: {
        copyWhileRecordingSeconds: round(pre.seconds),
        passes,
        sealedFilesCopied: pre.value.files,
        footageAddedDuringCopyMB: round(meanwhileBytes / 1e6),
        pausedSeconds: Math.round(last.seconds * 100) / 100,
        filesMovedWhilePaused: last.value.files - last.value.precopiedFiles,
        precopiedFilesTrusted: last.value.precopiedFiles,
      },
      pauseRatio: Math.round(ratio * 1000) / 1000,
      target: { pauseRatioBelow: TARGET_RATIO },
      meetsTarget: ratio < TARGET_RATIO,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'move.json'), `${JSON.stringify(result, null, 2)}\n`);
    return { meetsTarget: result.meetsTarget, failed: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
