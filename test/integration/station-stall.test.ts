/**
 * The recorder never waits on Node. The station's own process is stopped (SIGSTOP)
 * for 10 s, as a long synchronous call, a debugger or a swapped-out PC would stop it: its ffmpeg must
 * keep writing segments at the normal rate meanwhile, and once Node runs again everything is indexed
 * with no gap, no ffmpeg restart, and the preview is live again.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { GapsResponse, SegmentsResponse, StatusResponse } from '../../shared/api.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const STOP_MS = 10_000;
const SEGMENT_MS = 2_000;

const status = async (s: StationProcess) => StatusResponse.parse(await (await s.api('/api/status')).json());

/** Segment files on disk in the station's (single) run folder, and the newest one's modification time. */
function segmentFiles(dataDir: string): { files: string[]; newestMtimeMs: number } {
  const root = join(dataDir, 'runs', 'demo');
  const files: string[] = [];
  let newestMtimeMs = 0;
  for (const run of readdirSync(root)) {
    for (const f of readdirSync(join(root, run))) {
      if (!f.endsWith('.ts')) continue;
      files.push(`runs/demo/${run}/${f}`);
      newestMtimeMs = Math.max(newestMtimeMs, statSync(join(root, run, f)).mtimeMs);
    }
  }
  return { files: files.sort(), newestMtimeMs };
}

describe('a stalled station process', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    if (station) station.proc.kill('SIGCONT');
    await station?.stop();
    station = null;
  });

  it('keeps recording while Node is stopped for 10 s, and indexes it all after, with no gap and no restart', async () => {
    station = await startStation();
    const s = station;
    const before = await waitFor(async () => {
      const st = await status(s);
      return st.recording && st.segmentCount >= 2 ? st : undefined;
    }, 20_000, 'two segments');
    const ffmpegPid = before.camera.pid!;
    expect(before.camera.restarts).toBe(0);

    // Stop the station's Node process (not its ffmpeg), and watch the disk from here meanwhile.
    const atStop = segmentFiles(s.dataDir);
    s.proc.kill('SIGSTOP');
    const stoppedAt = Date.now();
    let during: ReturnType<typeof segmentFiles>;
    try {
      await sleep(STOP_MS);
      during = segmentFiles(s.dataDir);
    } finally {
      s.proc.kill('SIGCONT');
    }
    const stoppedMs = Date.now() - stoppedAt;

    // Segments kept coming at the normal rate: 10 s of 2 s segments is 5 (one may still be open).
    const newFiles = during.files.filter((f) => !atStop.files.includes(f));
    expect(newFiles.length, `segment files written while Node was stopped (${stoppedMs} ms)`).toBeGreaterThanOrEqual(Math.floor(STOP_MS / SEGMENT_MS) - 1);
    // ...up to the end of the stop, not just at its start.
    expect(Date.now() - during.newestMtimeMs).toBeLessThan(SEGMENT_MS + 1_500);

    // Once Node runs again: every segment closed during the stop is indexed, with the same ffmpeg.
    const closedDuringStop = during.files.slice(0, -1);
    const indexed = await waitFor(async () => {
      const { segments } = SegmentsResponse.parse(await (await s.api('/api/segments')).json());
      const files = new Set(segments.map((x) => x.file));
      return closedDuringStop.every((f) => files.has(f)) ? segments : undefined;
    }, 15_000, 'the segments written during the stop to be indexed');
    const after = await status(s);
    expect(after.camera.pid, 'the same ffmpeg: it was not killed as stalled').toBe(ffmpegPid);
    expect(after.camera.restarts).toBe(0);
    expect(after.recording).toBe(true);
    expect(after.camera.state).toBe('recording');

    // No hole in the footage: each segment starts where the previous one ended (0.5 s tolerance), and no gap was recorded.
    const ordered = [...indexed].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    for (let i = 1; i < ordered.length; i++) {
      const hole = Date.parse(ordered[i]!.startedAt) - Date.parse(ordered[i - 1]!.endedAt);
      expect(Math.abs(hole), `between ${ordered[i - 1]!.file} and ${ordered[i]!.file}`).toBeLessThanOrEqual(500);
    }
    expect(ordered.every((x) => x.status === 'ok')).toBe(true);
    // The footage covers the stop.
    expect(Date.parse(ordered[0]!.startedAt)).toBeLessThan(stoppedAt);
    expect(Date.parse(ordered.at(-1)!.endedAt)).toBeGreaterThan(stoppedAt + STOP_MS - SEGMENT_MS);
    const { gaps } = GapsResponse.parse(await (await s.api('/api/gaps')).json());
    expect(gaps).toEqual([]);

    // The live preview works again: fresh frames, different from one another (the demo clock moves;
    // the preview shows the keyframes, one a second).
    const frame = async (): Promise<Buffer> => {
      const res = await s.api('/api/preview.jpg');
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    await sleep(1_000);
    const a = await frame();
    await sleep(2_500);
    const b = await frame();
    for (const f of [a, b]) {
      expect(f.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(f.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    }
    expect(a.equals(b)).toBe(false);

    // And the station still stops cleanly, its last segment indexed.
    expect(await s.stop()).toBe(0);
    station = null;
  });
});
