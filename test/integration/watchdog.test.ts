import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GapsResponse, StatusResponse } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { CRASH_REASON } from '../../electron/station/catalog/reconcile.js';
import { sha256Of } from '../helpers/media.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const status = async (s: StationProcess) => StatusResponse.parse(await (await s.api('/api/status')).json());

describe('the watchdog', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  it('restarts ffmpeg within 5 s after kill -9, records the gap and shows it in the status', async () => {
    station = await startStation();
    const s = station;
    const before = await waitFor(async () => {
      const st = await status(s);
      return st.recording && st.segmentCount >= 2 ? st : undefined;
    }, 15_000, 'two segments');
    const pid = before.camera.pid!;
    expect(pid).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    const down = await waitFor(async () => {
      const st = await status(s);
      return st.camera.pid !== pid && st.camera.restarts >= 1 ? st : undefined;
    }, 5_000, 'the watchdog to notice');
    expect(down.camera.lastError).toMatch(/SIGKILL/);

    const back = await waitFor(async () => {
      const st = await status(s);
      return st.recording && st.camera.pid && st.camera.pid !== pid ? st : undefined;
    }, 8_000, 'recording again');
    // A new ffmpeg is spawned within 5 s; it is "recording" once its first 2 s segment closes.
    expect(Date.now() - killedAt).toBeLessThan(5_000 + 2_500 + 1_000);
    const gap = back.camera.lastGap!;
    expect(gap).not.toBeNull();
    expect(gap.endedAt).not.toBeNull();
    const gapMs = Date.parse(gap.endedAt!) - Date.parse(gap.startedAt);
    expect(gapMs).toBeGreaterThan(0);
    expect(gapMs).toBeLessThan(5_000);
    // The gap starts where the killed run's footage ends: what it was writing was recovered, so less than a second is lost.
    expect(killedAt - Date.parse(gap.startedAt)).toBeLessThan(1_000);
    const { gaps } = GapsResponse.parse(await (await s.api('/api/gaps')).json());
    expect(gaps).toHaveLength(1);
    expect(back.gapCount).toBe(1);
  });

  it('after kill -9 of the whole station, a restart on the same folder leaves the index consistent with the disk', async () => {
    station = await startStation();
    const first = station;
    await waitFor(async () => ((await status(first)).segmentCount >= 3 ? true : undefined), 15_000, 'three segments');
    const ffmpegPid = (await status(first)).camera.pid!;
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    await first.exited;

    station = await startStation({ dataDir: first.dataDir });
    const second = station;
    // The dead station's ffmpeg did not outlive the restart.
    expect(() => process.kill(ffmpegPid, 0)).toThrow();
    await waitFor(async () => ((await status(second)).segmentCount >= 5 ? true : undefined), 15_000, 'more segments');
    expect(await second.stop()).toBe(0);
    station = null;

    const db = openDatabase(join(first.dataDir, 'packwitness.db'));
    try {
      const rows = db.prepare('SELECT run_id, file, bytes, sha256, status, start_ms, end_ms FROM segments ORDER BY start_ms').all() as Array<{
        run_id: number; file: string; bytes: number; sha256: string; status: string; start_ms: number; end_ms: number;
      }>;
      const indexed = new Set(rows.map((r) => r.file));
      // Every non-empty segment file on disk is indexed; every indexed file exists with its size and hash.
      const onDisk: string[] = [];
      for (const run of readdirSync(join(first.dataDir, 'runs', 'demo'))) {
        for (const f of readdirSync(join(first.dataDir, 'runs', 'demo', run))) {
          if (!f.endsWith('.ts')) continue;
          const rel = `runs/demo/${run}/${f}`;
          if (statSync(join(first.dataDir, rel)).size > 0) onDisk.push(rel);
        }
      }
      expect(onDisk.filter((f) => !indexed.has(f))).toEqual([]);
      for (const r of rows) {
        const abs = join(first.dataDir, r.file);
        expect(existsSync(abs), r.file).toBe(true);
        expect(statSync(abs).size, r.file).toBe(r.bytes);
        expect(sha256Of(abs), r.file).toBe(r.sha256);
      }
      expect(rows.some((r) => r.status === 'recovered')).toBe(true);
      expect(db.prepare('SELECT count(*) AS n FROM runs WHERE ended_ms IS NULL').get()).toEqual({ n: 0 });
      // Both stations recorded: the killed one's run (its last segment recovered) and the new one's.
      const runIds = [...new Set(rows.map((r) => r.run_id))];
      expect(runIds).toHaveLength(2);
      // The gap rows are exactly the holes in the footage over the 0.5 s tolerance: every such hole
      // has one, and no gap row stands where footage is. Where a hole is, whatever its size, so is its gap.
      const gaps = db.prepare('SELECT start_ms, end_ms, reason FROM gaps ORDER BY start_ms').all() as Array<{ start_ms: number; end_ms: number | null; reason: string }>;
      const holes: Array<{ from: number; to: number; crash: boolean }> = [];
      for (let i = 1; i < rows.length; i++) {
        const hole = { from: rows[i - 1]!.end_ms, to: rows[i]!.start_ms, crash: rows[i - 1]!.run_id !== rows[i]!.run_id };
        if (hole.to - hole.from > 500) holes.push(hole);
      }
      expect(gaps.map((g) => ({ from: g.start_ms, to: g.end_ms }))).toEqual(holes.map((h) => ({ from: h.from, to: h.to })));
      // The kill can only leave a hole where one station's run ends and the next one's begins: the
      // killed station's ffmpeg ends on its own (its motion pictures are refused) and what it
      // wrote is indexed at the restart. That hole, if any, is recorded as the crash.
      for (const [i, h] of holes.entries()) {
        expect(h.crash, `hole ${JSON.stringify(h)} is where the runs meet`).toBe(true);
        expect(gaps[i]!.reason).toBe(CRASH_REASON);
      }
      // Little is lost: at most the restart's time (here a few seconds for node to start and ffmpeg's first segment).
      expect(holes.reduce((t, h) => t + h.to - h.from, 0)).toBeLessThan(15_000);
      // Footage reaches (to within a second) the moment the station was killed.
      expect(rows.some((r) => r.end_ms >= killedAt - 1_000)).toBe(true);
    } finally {
      db.close();
    }
  });
});
