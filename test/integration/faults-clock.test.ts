/**
 * Fault: the wall clock jumps. What this covers, honestly: the station's Node side sees its clock
 * stepped (a preload shifts Date.now(); ffmpeg, a static binary, cannot be given a fake clock), notices
 * the jump against the monotonic clock, logs it, and restarts the recording run with the jump as the
 * reason; the index stays monotonic within every run. ffmpeg's own reaction to a real step (its fps
 * filter drops or invents frames) is checked separately and recorded in clock-watch.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('fault: the wall clock jumps', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  it('logs the jump, restarts the run on the new clock, and keeps segment times monotonic per run', async () => {
    const shiftFile = join(tempDataDir('pw-clock-'), 'shift-ms');
    writeFileSync(shiftFile, '0');
    const preload = pathToFileURL(join(repoRoot, 'test', 'helpers', 'clock-shift-preload.mjs')).href;
    const s = (station = await startStation({ env: { NODE_OPTIONS: `--import ${preload}`, PW_TEST_CLOCK_SHIFT_FILE: shiftFile } }));
    const status = async () => StatusResponse.parse(await (await s.api(routes.status)).json());
    const before = await waitFor(async () => {
      const st = await status();
      return st.segmentCount >= 2 ? st : undefined;
    }, 20_000, 'two segments');
    const steppedAt = Date.now();
    writeFileSync(shiftFile, String(-90_000)); // NTP sets the clock back 90 s
    const line = await waitFor(() => /^(\S+) WARN the wall clock jumped.*$/m.exec(s.stderr()) ?? undefined, 10_000, 'the jump in the log');
    const noticedMs = Date.parse(line[1]!) - steppedAt;
    await waitFor(async () => {
      const st = await status();
      return st.recording && st.camera.pid !== before.camera.pid ? true : undefined;
    }, 15_000, 'a new run');
    console.log(`clock set back 90 s: logged ${noticedMs} ms later: ${line[0].slice(0, 200)}`);
    expect(noticedMs).toBeLessThan(2_000);
    // The jump is measured as wall change minus monotonic change, so it lands within a few ms of the
    // step: -89 999 ms was seen, which a string prefix like "-9" would reject.
    const byMs = Number(/"byMs":(-?\d+)/.exec(line[0])?.[1]);
    expect(Math.abs(byMs + 90_000)).toBeLessThan(1_000);
    expect(await s.stop()).toBe(0);
    station = null;

    const db = openDatabase(join(s.dataDir, 'packwitness.db'));
    try {
      const runs = db.prepare('SELECT id, end_reason FROM runs ORDER BY id').all() as Array<{ id: number; end_reason: string }>;
      const reason = /^the wall clock jumped back by (\d+\.\d) s$/.exec(runs[0]!.end_reason);
      expect(reason, runs[0]!.end_reason).not.toBeNull();
      expect(Math.abs(Number(reason![1]) - 90)).toBeLessThan(1);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      const segs = db.prepare('SELECT run_id, start_ms, end_ms FROM segments ORDER BY id').all() as Array<{ run_id: number; start_ms: number; end_ms: number }>;
      for (let i = 0; i < segs.length; i++) {
        expect(segs[i]!.end_ms).toBeGreaterThanOrEqual(segs[i]!.start_ms);
        if (i > 0 && segs[i]!.run_id === segs[i - 1]!.run_id) expect(segs[i]!.start_ms).toBeGreaterThanOrEqual(segs[i - 1]!.end_ms);
      }
    } finally {
      db.close();
    }
  }, 60_000);
});
