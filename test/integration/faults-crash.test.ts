/**
 * Fault: kill -9 of the whole station in the middle of a clip, then a restart on the same folder.
 * The clip must come back closed as `interrupted` at its last good footage, with an MP4 that decodes
 * to the end, having lost at most 1 s before the kill; no index row may point at a missing file.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { decodeFully } from '../helpers/media.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const CODE = '123456789012345678';

describe('fault: the station is killed during a clip', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  it('closes the clip as interrupted at its last footage, playable, losing at most 1 s', async () => {
    const first = (station = await startStation());
    await waitFor(async () => (StatusResponse.parse(await (await first.api(routes.status)).json()).segmentCount >= 2 ? true : undefined), 20_000, 'footage for the pre-roll');
    const scan = ScanResponse.parse(
      await (await first.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: CODE }) })).json(),
    );
    expect(scan.action).toBe('started');
    const clipId = scan.id!;
    await sleep(5_000);
    const ffmpegPid = StatusResponse.parse(await (await first.api(routes.status)).json()).camera.pid!;
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    await first.exited;

    const second = (station = await startStation({ dataDir: first.dataDir }));
    expect(() => process.kill(ffmpegPid, 0), 'the dead station’s ffmpeg was stopped').toThrow();
    const clip = await waitFor(async () => {
      const c = Clip.parse(await (await second.api(routes.clip(clipId))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the interrupted clip’s MP4');
    expect(clip.status).toBe('interrupted');
    expect(clip.endReason).toMatch(/unexpectedly/);

    const startMs = Date.parse(clip.startedAt);
    const endMs = Date.parse(clip.endedAt!);
    const lastShownMs = startMs + clip.video!.durationMs;
    const lostMs = killedAt - lastShownMs;
    console.log(`kill -9 of the station: clip end ${endMs - killedAt} ms after the kill, last frame of the MP4 ${-lostMs} ms after it (footage lost: ${Math.max(0, lostMs)} ms)`);
    // The clip reaches the kill to within 1 s, and the MP4 shows all of it (one frame of slack).
    expect(killedAt - endMs).toBeLessThanOrEqual(1_000);
    expect(lostMs).toBeLessThanOrEqual(1_000);
    expect(Math.abs(endMs - lastShownMs)).toBeLessThan(200);
    // It ends at footage the dead run left, not at footage the restarted station recorded.
    const restartDb = openDatabase(join(first.dataDir, 'packwitness.db'));
    try {
      const runs = restartDb.prepare('SELECT id, t0_ms FROM runs ORDER BY t0_ms').all() as Array<{ id: number; t0_ms: number }>;
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(endMs).toBeLessThan(runs.at(-1)!.t0_ms);
      const file = (restartDb.prepare('SELECT file FROM clips WHERE id = ?').get(clipId) as { file: string }).file;
      const decoded = await decodeFully(join(first.dataDir, file));
      expect(decoded.errors).toBe('');
      expect(decoded.ok).toBe(true);
      // 15 fps: every shown frame decodes (plus the hidden lead frames before the start).
      expect(decoded.frames).toBeGreaterThanOrEqual(Math.floor((clip.video!.durationMs / 1000) * 15) - 1);
      const missing = (restartDb.prepare('SELECT file FROM segments').all() as Array<{ file: string }>).filter((s) => !existsSync(join(first.dataDir, s.file)));
      expect(missing).toEqual([]);
      const clipFiles = (restartDb.prepare('SELECT file FROM clips WHERE file IS NOT NULL').all() as Array<{ file: string }>).filter((c) => !existsSync(join(first.dataDir, c.file)));
      expect(clipFiles).toEqual([]);
    } finally {
      restartDb.close();
    }
  }, 90_000);

  it('cuts the interrupted clip around a segment the crash left unreadable, and keeps that segment flagged', async () => {
    const first = (station = await startStation());
    await waitFor(async () => (StatusResponse.parse(await (await first.api(routes.status)).json()).segmentCount >= 2 ? true : undefined), 20_000, 'footage for the pre-roll');
    const scan = ScanResponse.parse(
      await (await first.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: CODE }) })).json(),
    );
    const clipId = scan.id!;
    await sleep(4_000);
    // Kill mid-segment: shortly after one was indexed, so the one being written is not listed as closed yet.
    const count = async () => StatusResponse.parse(await (await first.api(routes.status)).json()).segmentCount;
    const before = await count();
    await waitFor(async () => ((await count()) > before ? true : undefined), 10_000, 'the next segment');
    await sleep(700);
    // A power cut: the station and its ffmpeg die at once (a killed station's ffmpeg alone would go on
    // for a second or two, until its motion pictures are refused, and could write the file below).
    const ffmpegPid = StatusResponse.parse(await (await first.api(routes.status)).json()).camera.pid!;
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    process.kill(ffmpegPid, 'SIGKILL');
    await first.exited;

    // A power cut can leave the segment file ffmpeg had just opened full of zeros: add one after the
    // run's last file (on a loaded machine the one being written may already be listed as closed).
    const db = openDatabase(join(first.dataDir, 'packwitness.db'));
    const run = db.prepare('SELECT dir FROM runs ORDER BY id DESC LIMIT 1').get() as { dir: string };
    db.close();
    const last = readdirSync(join(first.dataDir, run.dir)).filter((f) => f.endsWith('.ts')).sort().at(-1)!;
    const garbled = `${run.dir}/${String(Number(last.slice(0, -3)) + 1).padStart(last.length - 3, '0')}.ts`;
    writeFileSync(join(first.dataDir, garbled), Buffer.alloc(32 * 1024));
    utimesSync(join(first.dataDir, garbled), killedAt / 1000, killedAt / 1000);

    const second = (station = await startStation({ dataDir: first.dataDir }));
    const clip = await waitFor(async () => {
      const c = Clip.parse(await (await second.api(routes.clip(clipId))).json());
      return c.video ? c : undefined;
    }, 40_000, 'the interrupted clip’s MP4, cut around the unreadable segment');
    expect(clip.status).toBe('interrupted');
    const check = openDatabase(join(first.dataDir, 'packwitness.db'));
    try {
      expect(check.prepare('SELECT status FROM segments WHERE file = ?').get(garbled)).toEqual({ status: 'damaged' });
      const file = (check.prepare('SELECT file FROM clips WHERE id = ?').get(clipId) as { file: string }).file;
      const decoded = await decodeFully(join(first.dataDir, file));
      expect(decoded.errors).toBe('');
      // Everything before the garbled segment is in the clip: at least the 5 s packed minus one segment.
      expect(clip.video!.durationMs).toBeGreaterThan(2_500);
    } finally {
      check.close();
    }
  }, 120_000);
});
