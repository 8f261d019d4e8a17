/**
 * The cameras of the settings screen on a real station (built CLI without --camera, demo cameras, real
 * ffmpeg, HTTP and SQLite): two cameras saved with their own sizes both record at those sizes; a
 * change to one restarts only that one; a rename restarts nothing; reordering makes another camera the
 * main one without moving any camera's footage to another id; a removed camera stops while its clips
 * stay; a bad list is refused with one sentence and changes nothing; a restart keeps the ids.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraListSettings, CameraSettings, Clip, ErrorResponse, GapsResponse, ScanResponse, SegmentsResponse, StatusResponse, routes, type CameraEntry } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { ffmpegBin } from '../helpers/media.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const json = { 'content-type': 'application/json' };
const OVERHEAD: CameraEntry = { spec: 'demo', name: 'Overhead', resolution: '640x360', fps: 15, quality: 'economy' };
const SIDE: CameraEntry = { spec: 'demo:320x240@15', name: 'Side <b>&', resolution: '320x240', fps: 15, quality: 'standard' };

/** Width x height of a video file's first stream, as ffmpeg reads it. */
async function frameSize(file: string): Promise<string> {
  const out = await promisify(execFile)(await ffmpegBin(), ['-hide_banner', '-i', file, '-f', 'null', '-frames:v', '1', '-']).catch((e: { stderr: string }) => e);
  return /Video: .*?(\d{2,5}x\d{2,5})/.exec(out.stderr)?.[1] ?? 'unknown';
}

describe('cameras from the settings on a real station', () => {
  let station: StationProcess;
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const saved = async () => CameraListSettings.parse(await (await station.api(routes.cameraListSettings)).json());
  const putCameras = (cameras: unknown) => station.api(routes.cameraListSettings, { method: 'PUT', headers: json, body: JSON.stringify({ cameras }) });
  const segmentsSince = async (ms: number) =>
    SegmentsResponse.parse(await (await station.api(`${routes.segments}?from=${new Date(ms).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`)).json()).segments.filter(
      (s) => Date.parse(s.startedAt) >= ms,
    );
  const gaps = async () => GapsResponse.parse(await (await station.api(routes.gaps)).json()).gaps;
  const scan = async (code: string) => ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code }) })).json());
  const recordingAll = (n: number, s: StatusResponse) => s.cameras?.length === n && s.cameras.every((c) => c.state === 'recording');
  /** Each camera's segments started after `ms`, at least `n` of each, with their picture sizes. */
  const sizesSince = async (ms: number, ids: string[], n = 1) => {
    const segs = await waitFor(async () => {
      const all = await segmentsSince(ms);
      return ids.every((id) => all.filter((s) => s.camera === id).length >= n) ? all : undefined;
    }, 20_000, `segments of ${ids.join(', ')}`);
    const out: Record<string, string[]> = {};
    for (const id of ids) out[id] = [...new Set(await Promise.all(segs.filter((s) => s.camera === id).map((s) => frameSize(join(station.dataDir, s.file)))))];
    return out;
  };

  beforeAll(async () => {
    station = await startStation({ camera: null });
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('records two saved cameras, each at its own size, listed with their names and stable ids', async () => {
    const res = await putCameras([OVERHEAD, SIDE]);
    expect(res.status).toBe(200);
    const putAt = Date.now();
    const stored = CameraListSettings.parse(await res.json());
    expect(stored.cameras.map((c) => [c.id, c.name])).toEqual([
      ['demo', 'Overhead'],
      ['demo-2', 'Side <b>&'],
    ]);
    expect(await saved()).toEqual(stored);
    // The one-camera route still answers with the main camera.
    expect(CameraSettings.parse(await (await station.api(routes.cameraSettings)).json())).toEqual({ spec: 'demo', resolution: '640x360', fps: 15, quality: 'economy' });
    const st = await waitFor(async () => {
      const s = await status();
      return recordingAll(2, s) ? s : undefined;
    }, 20_000, 'both cameras recording');
    expect(st.cameras!.map((c) => [c.id, c.name, c.spec])).toEqual([
      ['demo', 'Overhead', 'demo'],
      ['demo-2', 'Side <b>&', 'demo:320x240@15'],
    ]);
    expect(await sizesSince(putAt, ['demo', 'demo-2'], 2)).toEqual({ demo: ['640x360'], 'demo-2': ['320x240'] });
  }, 60_000);

  let clipId = 0;
  it("cuts a clip from both, each camera named as the settings name it (the clip page escapes it: React text)", async () => {
    const started = await scan('123456789012345678');
    expect(started.action).toBe('started');
    clipId = started.id!;
    await sleep(2_500);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    const c = await waitFor(async () => {
      const x = Clip.parse(await (await station.api(routes.clip(clipId))).json());
      return x.cameras?.length === 2 && x.cameras.every((k) => k.hasVideo) ? x : undefined;
    }, 25_000, 'both cameras cut');
    expect(c.cameras!.map((k) => [k.id, k.name, k.main])).toEqual([
      ['demo', 'Overhead', true],
      ['demo-2', 'Side <b>&', false],
    ]);
  }, 40_000);

  it('restarts only the camera whose settings changed; a rename restarts nothing', async () => {
    const before = await status();
    const [main, side] = before.cameras!;
    const gapIds = new Set((await gaps()).map((g) => g.id));
    const res = await putCameras([OVERHEAD, { ...SIDE, resolution: '480x270' }]);
    expect(res.status).toBe(200);
    const putAt = Date.now();
    const after = await waitFor(async () => {
      const s = await status();
      return recordingAll(2, s) && s.cameras![1]!.pid !== side!.pid ? s : undefined;
    }, 20_000, 'the side camera recording again');
    // The main camera's ffmpeg never stopped: same process, no restart counted, no gap.
    expect(after.cameras![0]).toMatchObject({ id: 'demo', pid: main!.pid, restarts: main!.restarts, state: 'recording' });
    expect(await sizesSince(putAt, ['demo', 'demo-2'], 2)).toEqual({ demo: ['640x360'], 'demo-2': ['480x270'] });
    const newGaps = (await gaps()).filter((g) => !gapIds.has(g.id));
    expect(newGaps.filter((g) => g.camera === 'demo')).toEqual([]);
    // The side camera's hole is its own: a gap only if longer than the contiguity tolerance.
    for (const g of newGaps) expect(g).toMatchObject({ camera: 'demo-2', reason: 'camera settings changed' });
    console.log(`only the side camera restarted; its gaps: ${newGaps.length}`);

    const renamed = await putCameras([{ ...OVERHEAD, name: '俯拍 1' }, { ...SIDE, resolution: '480x270' }]);
    expect(renamed.status).toBe(200);
    const st = await status();
    expect(st.cameras!.map((c) => [c.name, c.pid])).toEqual([
      ['俯拍 1', main!.pid],
      ['Side <b>&', after.cameras![1]!.pid],
    ]);
  }, 60_000);

  it('refuses a bad list with one sentence and changes nothing', async () => {
    const before = await saved();
    const pids = (await status()).cameras!.map((c) => c.pid);
    const cases: Array<[unknown, RegExp]> = [
      [[OVERHEAD, { ...SIDE, spec: 'demo' }], /^camera 2: the camera "demo" is listed twice: each camera once$/],
      [[1, 2, 3, 4, 5].map((n) => ({ ...SIDE, spec: `demo:${n * 160}x${n * 90}` })), /^a station records at most 4 cameras$/],
      [[], /^add at least one camera$/],
      [[OVERHEAD, { ...SIDE, name: 'Side\nforged' }], /^camera 2: a camera name must not contain control characters/],
      [[OVERHEAD, { ...SIDE, spec: 'rtsp://exa mple/stream' }], /RTSP URL must not contain spaces/],
      [[OVERHEAD, { ...SIDE, fps: 200 }], /^camera 2: the frame rate is 1 to 60$/],
      // 'auto' finds the demo here, which is listed as well.
      [[OVERHEAD, { ...SIDE, spec: 'auto' }], /would record twice/],
    ];
    for (const [cameras, sentence] of cases) {
      const res = await putCameras(cameras);
      expect(res.status, JSON.stringify(cameras)).toBe(400);
      const body = ErrorResponse.parse(await res.json());
      expect(body.error, JSON.stringify(cameras)).toMatch(sentence);
      expect(body.error).not.toMatch(/\n/);
    }
    // The station-side refusal is worded in both languages.
    const twice = ErrorResponse.parse(await (await putCameras([OVERHEAD, { ...SIDE, spec: 'auto' }])).json());
    expect(twice.message?.['zh-CN']).toMatch(/录制两次/);
    expect(await saved()).toEqual(before);
    expect((await status()).cameras!.map((c) => c.pid)).toEqual(pids);
  }, 60_000);

  it('reorders: the other camera becomes the main one, each keeping its id', async () => {
    const res = await putCameras([{ ...SIDE, resolution: '480x270' }, { ...OVERHEAD, name: '俯拍 1' }]);
    expect(res.status).toBe(200);
    expect(CameraListSettings.parse(await res.json()).cameras.map((c) => c.id)).toEqual(['demo-2', 'demo']);
    const st = await waitFor(async () => {
      const s = await status();
      return recordingAll(2, s) ? s : undefined;
    }, 20_000, 'both cameras recording again');
    expect(st.camera.id).toBe('demo-2');
    expect(st.cameras!.map((c) => c.id)).toEqual(['demo-2', 'demo']);
    // A clip now follows the new main camera.
    const started = await scan('223456789012345678');
    await sleep(1_500);
    await scan('PW-STOP');
    expect(Clip.parse(await (await station.api(routes.clip(started.id!))).json()).camera).toBe('demo-2');
  }, 60_000);

  it('removes a camera: it stops, its footage and clips stay under its id, and the clip open meanwhile keeps its part', async () => {
    // A clip open while the camera is removed: that camera filmed its first seconds.
    const open = await scan('323456789012345678');
    expect(open.action).toBe('started');
    await sleep(2_500);
    const res = await putCameras([{ ...SIDE, resolution: '480x270' }]);
    expect(res.status).toBe(200);
    const removedAt = Date.now();
    const st = await status();
    expect(st.cameras!.map((c) => c.id)).toEqual(['demo-2']);
    // The camera that stays records on (two whole segments since); the removed one has nothing since.
    const segs = await waitFor(async () => {
      const all = await segmentsSince(removedAt);
      return all.filter((s) => s.camera === 'demo-2').length >= 2 ? all : undefined;
    }, 15_000, 'segments of the camera that stays');
    expect(segs.filter((s) => s.camera === 'demo')).toEqual([]);
    // The clip from both cameras keeps both videos; the removed camera is named by its id now.
    const c = Clip.parse(await (await station.api(routes.clip(clipId))).json());
    expect(c.cameras!.map((k) => [k.id, k.hasVideo])).toEqual([
      ['demo', true],
      ['demo-2', true],
    ]);
    expect(c.cameras![0]!.name).toBe('demo');
    expect((await station.api(routes.clipVideo(clipId))).status).toBe(200);
    expect((await station.api(`${routes.clipVideo(clipId)}?camera=demo-2`)).status).toBe(200);

    expect((await scan('PW-STOP')).action).toBe('stopped');
    const during = await waitFor(async () => {
      const x = Clip.parse(await (await station.api(routes.clip(open.id!))).json());
      return x.cameras?.length === 2 && x.cameras.every((k) => k.hasVideo) ? x : undefined;
    }, 25_000, "the open clip's videos from both cameras");
    expect(during.cameras!.map((k) => [k.id, k.main])).toEqual([
      ['demo-2', true],
      ['demo', false],
    ]);
    expect((await station.api(`${routes.clipVideo(open.id!)}?camera=demo`)).status).toBe(200);
  }, 60_000);

  it('keeps each camera its id across a restart from the saved list', async () => {
    await putCameras([{ ...SIDE, resolution: '480x270' }, OVERHEAD]);
    await station.stop();
    station = await startStation({ dataDir: station.dataDir, camera: null });
    const st = await waitFor(async () => {
      const s = await status();
      return recordingAll(2, s) ? s : undefined;
    }, 20_000, 'both cameras recording after the restart');
    expect(st.cameras!.map((c) => [c.id, c.name])).toEqual([
      ['demo-2', 'Side <b>&'],
      ['demo', 'Overhead'],
    ]);
  }, 60_000);

  it('loads the one camera an older station saved as a list of one', async () => {
    await station.stop();
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    try {
      db.prepare("UPDATE settings SET value = ? WHERE key = 'camera'").run(JSON.stringify({ spec: 'demo:320x180@10', resolution: 'auto', fps: null, quality: 'economy' }));
    } finally {
      db.close();
    }
    station = await startStation({ dataDir: station.dataDir, camera: null });
    expect((await saved()).cameras).toEqual([{ spec: 'demo:320x180@10', name: '', resolution: 'auto', fps: null, quality: 'economy' }]);
    const st = await waitFor(async () => {
      const s = await status();
      return recordingAll(1, s) ? s : undefined;
    }, 20_000, 'the old saved camera recording');
    expect(st.camera).toMatchObject({ id: 'demo', spec: 'demo:320x180@10' });
  }, 60_000);
});
