/**
 * The first segment of a run, indexed after the camera's previous run (real ffmpeg-made TS files, a real
 * SQLite index): a few milliseconds of overlap are timing jitter and the new run starts where the old one
 * ended; seconds of overlap are a clock set back and stay as they were stamped.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { Runs } from '../../electron/station/catalog/runs.js';
import { SegmentIndexer, startAfterPreviousRun, type RunContext } from '../../electron/station/catalog/segment-indexer.js';
import { Segments } from '../../electron/station/catalog/segments.js';
import { probeSegmentTimes } from '../../electron/station/recorder/probe.js';
import type { SegmentListEntry } from '../../electron/station/recorder/segment-list.js';
import { ffmpegBin } from '../helpers/media.js';
import { tempDataDir } from '../helpers/station-process.js';

const CAMERA = 'demo';
const T0 = Date.parse('2026-12-03T09:00:00Z');

let dataDir: string;
let db: Db;
let segments: Segments;
let runs: Runs;
let indexer: SegmentIndexer;
let ffmpeg: string;

/** A 2-second TS segment, 15 fps, whose first packet is stamped `offsetSec` on its run's clock. */
async function segmentFile(dirRel: string, name: string, offsetSec: number): Promise<void> {
  mkdirSync(join(dataDir, dirRel), { recursive: true });
  await promisify(execFile)(ffmpeg, [
    '-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=15', '-t', '2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-output_ts_offset', String(offsetSec), '-f', 'mpegts', join(dataDir, dirRel, name),
  ]);
}

/**
 * A run whose first segment's first packet lands at `firstFrameMs` on the wall clock, and that segment's
 * line in the segment list (ffmpeg lists a run's first segment as starting at 0).
 */
async function runStartingAt(dirRel: string, firstFrameMs: number): Promise<{ run: RunContext; entry: SegmentListEntry }> {
  await segmentFile(dirRel, 'seg-00000.ts', 5);
  const { startSec, endSec } = await probeSegmentTimes(ffmpeg, join(dataDir, dirRel, 'seg-00000.ts'));
  const t0Ms = firstFrameMs - startSec * 1000;
  return { run: { runId: runs.create({ camera: CAMERA, dir: dirRel, t0Ms }), camera: CAMERA, dirRel, t0Ms }, entry: { file: 'seg-00000.ts', startSec: 0, endSec } };
}

beforeAll(async () => {
  ffmpeg = await ffmpegBin();
  dataDir = tempDataDir('pw-indexer-');
  db = openDatabase(join(dataDir, 'packwitness.db'));
  segments = new Segments(db);
  runs = new Runs(db);
  indexer = new SegmentIndexer(dataDir, ffmpeg, segments);
});

afterAll(() => db?.close());

describe("a run's first segment after the camera's previous run", () => {
  it('decides by the size of the overlap', () => {
    expect(startAfterPreviousRun(null, 1_000)).toBe(1_000);
    expect(startAfterPreviousRun(1_000, 1_200)).toBe(1_200); // a hole stays a hole
    expect(startAfterPreviousRun(1_000, 986)).toBe(1_000); // jitter: contiguous
    expect(startAfterPreviousRun(1_000, 500)).toBe(1_000); // at the tolerance
    expect(startAfterPreviousRun(1_000, 499)).toBe(499); // beyond it: the clock went back
  });

  it('starts where the previous run ended when ffmpeg stamped it 14 ms inside it; its end is untouched', async () => {
    const old = await runStartingAt('2026-12-03/demo/run-a', T0);
    const oldSeg = await indexer.indexListed(old.run, old.entry, null);
    expect(oldSeg.startMs).toBe(T0);
    expect(oldSeg.endMs - oldSeg.startMs).toBeGreaterThan(1_900);

    const next = await runStartingAt('2026-12-03/demo/run-b', oldSeg.endMs - 14);
    const seg = await indexer.indexListed(next.run, next.entry, null);
    expect(seg.startMs).toBe(oldSeg.endMs);
    expect(seg.endMs).toBe(Math.round(next.run.t0Ms + next.entry.endSec * 1000));
  });

  it('keeps a run stamped seconds before the previous one ended as it was stamped (the clock was set back)', async () => {
    const lastEnd = segments.lastEndMs(CAMERA)!;
    const next = await runStartingAt('2026-12-03/demo/run-c', lastEnd - 5_000);
    const seg = await indexer.indexListed(next.run, next.entry, null);
    expect(seg.startMs).toBe(lastEnd - 5_000);
  });

  it('applies the same rule to a first segment found on disk after a crash (not in the segment list)', async () => {
    const lastEnd = segments.lastEndMs(CAMERA)!;
    const dead = await runStartingAt('2026-12-03/demo/run-d', lastEnd - 30);
    const report = await indexer.recoverRun(dead.run);
    expect(report.indexed).toBe(1);
    const found = segments.all().filter((s) => s.file.startsWith('2026-12-03/demo/run-d/'));
    expect(found.map((s) => Date.parse(s.startedAt))).toEqual([lastEnd]);
  });
});
