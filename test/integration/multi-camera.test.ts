/**
 * Two cameras on one station (`--camera` twice): each is its own recording run, a clip covers both
 * (one MP4 per camera), and one camera's ffmpeg killed leaves a gap on that camera only while the
 * other records on. Real ffmpeg, two demo cameras of different sizes so their videos are told apart.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, GapsResponse, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { decodeFully, ffmpegBin, largestPtsStep } from '../helpers/media.js';
import { codesLineRegion, framePixels, referencePixels, textRecall } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const MAIN = 'demo:640x360@15';
const SIDE = 'demo:320x240@15';
const FPS = 15;
const ORDER = '123456789012345678';

/** Width x height of a video's first stream, read by ffprobe's sibling: ffmpeg -i prints it. */
async function frameSize(file: string): Promise<string> {
  const out = await promisify(execFile)(await ffmpegBin(), ['-hide_banner', '-i', file, '-f', 'null', '-frames:v', '1', '-']).catch((e: { stderr: string }) => e);
  return /Video: .*?(\d{2,5}x\d{2,5})/.exec(out.stderr)?.[1] ?? 'unknown';
}

describe('two cameras on one station', () => {
  let station: StationProcess;
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const scan = async (code: string) =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const clip = async (id: number) => Clip.parse(await (await station.api(routes.clip(id))).json());

  beforeAll(async () => {
    station = await startStation({ camera: MAIN, args: ['--camera', SIDE] });
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('records both cameras, each as its own run with its own segments', async () => {
    const st = await waitFor(async () => {
      const s = await status();
      return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s : undefined;
    }, 20_000, 'both cameras recording');
    expect(st.cameras!.map((c) => c.id)).toEqual(['demo', 'demo-2']);
    expect(st.camera.id).toBe('demo');
    expect(st.cameras![0]!.pid).not.toBe(st.cameras![1]!.pid);
    await sleep(4_500); // a few segments from each, and pre-roll for the clip
    const segs = (await (await station.api(`${routes.segments}?from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date().toISOString()}`)).json()) as { segments: Array<{ camera: string; file: string }> };
    for (const camera of ['demo', 'demo-2']) {
      const mine = segs.segments.filter((s) => s.camera === camera);
      expect(mine.length, camera).toBeGreaterThanOrEqual(2);
      for (const s of mine) expect(s.file.startsWith(`runs/${camera}/`)).toBe(true);
    }
  });

  it('cuts a clip from every camera: cameras listed, each video at ?camera=ID, the main one without it', async () => {
    const started = await scan(ORDER);
    expect(started.action).toBe('started');
    await sleep(3_000);
    const stopped = await scan('PW-STOP');
    expect(stopped.action).toBe('stopped');
    const c = await waitFor(async () => {
      const x = await clip(started.id!);
      return x.cameras?.length === 2 && x.cameras.every((k) => k.hasVideo) ? x : undefined;
    }, 25_000, 'both cameras cut');
    expect(c.cameras!.map((k) => [k.id, k.main])).toEqual([
      ['demo', true],
      ['demo-2', false],
    ]);
    expect(c.cameras![0]!.sha256).toBe(c.video!.sha256);
    expect(c.cameras![1]!.sha256).not.toBe(c.video!.sha256);
    const lengthMs = Date.parse(c.endedAt!) - Date.parse(c.startedAt);
    const sizes: string[] = [];
    for (const [query, k] of [['', c.cameras![0]!], ['?camera=demo-2', c.cameras![1]!]] as const) {
      const res = await station.api(`${routes.clipVideo(c.id)}${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('video/mp4');
      const file = join(station.dataDir, `check-${c.id}-${k.id}.mp4`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const decoded = await decodeFully(file);
      expect(decoded.errors).toBe('');
      // Each camera's MP4 covers the clip's time range (± a frame or two at each end) without a hole.
      expect(Math.abs(decoded.frames / FPS - lengthMs / 1000)).toBeLessThan(0.3);
      expect(Math.abs(k.durationMs! - lengthMs)).toBeLessThan(300);
      expect(await largestPtsStep(file)).toBeLessThan(1.5 / FPS);
      const size = await frameSize(file);
      sizes.push(size);
      // Each camera's burned-in codes line follows the one schedule: the order while packing it, none before the scan.
      const [w, h] = size.split('x').map(Number) as [number, number];
      const r = codesLineRegion(w, h);
      const ref = await referencePixels([ORDER], 'Station 1', w, h, r);
      const scannedAtSec = (Date.parse(started.at) - Date.parse(c.startedAt)) / 1000;
      expect(textRecall(await framePixels(file, scannedAtSec + 1.5, r), ref), `${k.id} while packing`).toBeGreaterThan(0.9);
      expect(textRecall(await framePixels(file, Math.max(0.2, scannedAtSec - 1.5), r), ref), `${k.id} before the scan`).toBeLessThan(0.5);
    }
    expect(sizes).toEqual(['640x360', '320x240']);
    // The main camera by its id too; an unknown camera is a clear 404.
    expect((await station.api(`${routes.clipVideo(c.id)}?camera=demo`)).status).toBe(200);
    const unknown = await station.api(`${routes.clipVideo(c.id)}?camera=nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('no camera');
  });

  it("one camera's ffmpeg killed: that camera restarts and has a gap, the other records on without one", async () => {
    const before = await status();
    const side = before.cameras![1]!;
    const mainPid = before.cameras![0]!.pid;
    expect(side.pid).not.toBeNull();
    process.kill(side.pid!, 'SIGKILL');
    const seen = new Set<string>();
    const back = await waitFor(async () => {
      const s = await status();
      seen.add(s.cameras![1]!.state);
      // The main camera never stops recording meanwhile.
      expect(s.cameras![0]!.state).toBe('recording');
      expect(s.recording).toBe(true);
      return s.cameras![1]!.state === 'recording' && s.cameras![1]!.pid !== side.pid ? s : undefined;
    }, 15_000, 'the second camera recording again');
    expect(seen.has('restarting')).toBe(true);
    expect(back.cameras![1]!.restarts).toBe(side.restarts + 1);
    expect(back.cameras![0]!.pid).toBe(mainPid);
    expect(back.cameras![0]!.restarts).toBe(0);
    const gaps = GapsResponse.parse(await (await station.api(routes.gaps)).json()).gaps;
    expect(gaps.filter((g) => g.camera === 'demo')).toEqual([]);
    const sideGaps = gaps.filter((g) => g.camera === 'demo-2');
    expect(sideGaps).toHaveLength(1);
    expect(back.cameras![1]!.lastGap?.id).toBe(sideGaps[0]!.id);
  });

  it('new frame-rate settings for both cameras restart each with them, ids kept', async () => {
    const before = await status();
    const cam = { resolution: 'auto', fps: 10, quality: 'standard', name: '' };
    const res = await station.api(routes.cameraListSettings, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cameras: [{ spec: MAIN, ...cam }, { spec: SIDE, ...cam }] }),
    });
    expect(res.status).toBe(200);
    await waitFor(async () => {
      const s = await status();
      return s.cameras!.every((c, i) => c.state === 'recording' && c.pid !== before.cameras![i]!.pid) ? s : undefined;
    }, 20_000, 'both cameras recording again');
    expect((await status()).cameras!.map((c) => c.id)).toEqual(['demo', 'demo-2']);
    await sleep(2_500);
    const started = await scan('987654321098765432');
    await sleep(2_000);
    await scan('PW-STOP');
    const c = await waitFor(async () => {
      const x = await clip(started.id!);
      return x.cameras?.length === 2 && x.cameras.every((k) => k.hasVideo) ? x : undefined;
    }, 25_000, 'both cameras cut');
    expect(c.cameras!.map((k) => k.fps)).toEqual([10, 10]);
  });

  it('stops both runs cleanly, each camera leaving its own runs and chained segments', async () => {
    expect(await station.stop()).toBe(0);
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    try {
      const runs = db.prepare('SELECT camera, count(*) AS n, sum(ended_ms IS NULL) AS open FROM runs GROUP BY camera ORDER BY camera').all();
      expect(runs).toEqual([
        { camera: 'demo', n: 2, open: 0 },
        { camera: 'demo-2', n: 3, open: 0 },
      ]);
      // Every segment of both cameras is on the one signed chain.
      const unchained = db.prepare('SELECT count(*) AS n FROM segments s WHERE NOT EXISTS (SELECT 1 FROM segment_chain c WHERE c.segment_id = s.id)').get() as { n: number };
      expect(unchained.n).toBe(0);
    } finally {
      db.close();
    }
  });
});
