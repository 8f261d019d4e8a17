/**
 * The settings screen's backend on a real station (built CLI, demo camera, real HTTP, real SQLite):
 * every section round-trips and survives a restart on the same folder, bad values are refused with
 * one sentence, the camera test fails clearly on a closed port, and a new station / operator name
 * is burned into the next segment's picture.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CameraSettings,
  CameraTestResult,
  Clip,
  ScanResponse,
  DisplaySettings,
  ErrorResponse,
  GapsResponse,
  LanSettings,
  ScanSettings,
  ScanTestResult,
  SegmentsResponse,
  SettingsInfo,
  StationIdentitySettings,
  StatusResponse,
  routes,
} from '../../shared/api.js';
import { DEFAULT_SCAN_SETTINGS } from '../../electron/station/scans/scan-settings.js';
import { CONTIGUITY_TOLERANCE_MS } from '../../electron/station/limits.js';
import { framePixels, referencePixels, stationLineRegion, textRecall } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const json = { 'content-type': 'application/json' };

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('station settings on a real station', () => {
  let station: StationProcess;
  const get = async <T,>(path: string, schema: { parse: (v: unknown) => T }): Promise<T> => {
    const res = await station.api(path);
    expect(res.status, path).toBe(200);
    return schema.parse(await res.json());
  };
  const put = (path: string, body: unknown) => station.api(path, { method: 'PUT', headers: json, body: JSON.stringify(body) });
  const post = (path: string, body: unknown) => station.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });

  const identity: StationIdentitySettings = { stationName: '打包台 7', operatorName: 'Li Wei' };
  const camera: CameraSettings = { spec: 'demo:640x360@15', resolution: 'auto', fps: null, quality: 'economy' };
  const display: DisplaySettings = { language: 'en', sounds: false };
  const scan: ScanSettings = {
    ...DEFAULT_SCAN_SETTINGS,
    preRollMs: 4_000,
    postRollMs: 1_000,
    maxClipMs: 20 * 60_000,
    commands: { ...DEFAULT_SCAN_SETTINGS.commands, stop: 'DONE-STOP' },
    rules: [{ name: 'Bench test carrier', kind: 'waybill', pattern: '^BT\\d{6}$' }, ...DEFAULT_SCAN_SETTINGS.rules],
  };
  const viewerPassword = 'bench-pass-2026';
  let identityChangedAtMs = 0;

  beforeAll(async () => {
    station = await startStation();
  }, 40_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('round-trips the station names, display defaults, LAN viewing and scan settings (PUT then GET equal)', async () => {
    expect(await get(routes.stationSettings, StationIdentitySettings)).toEqual({ stationName: 'Station 1', operatorName: '' });
    const before = StatusResponse.parse(await (await station.api(routes.status)).json());
    expect(before.station).toBe('Station 1');

    const r1 = await put(routes.stationSettings, identity);
    identityChangedAtMs = Date.now();
    expect(r1.status).toBe(200);
    expect(await get(routes.stationSettings, StationIdentitySettings)).toEqual(identity);
    // Applied at once: the status, and the overlay text file ffmpeg re-reads every frame.
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).station).toBe(identity.stationName);
    const overlay = readFileSync(join(station.dataDir, 'overlay', 'demo.txt'), 'utf8');
    expect(overlay.split('\n')[0]).toBe('打包台 7  ·  Li Wei');
    // And on the next clip.
    const started = ScanResponse.parse(await (await post(routes.scans, { code: 'SF1234567890123' })).json());
    expect(started.action).toBe('started');
    expect(Clip.parse(await (await station.api(routes.clip(started.id!))).json()).station).toBe(identity.stationName);
    expect(ScanResponse.parse(await (await post(routes.scans, { code: 'PW-STOP' })).json()).action).toBe('stopped');

    expect((await put(routes.displaySettings, display)).status).toBe(200);
    expect(await get(routes.displaySettings, DisplaySettings)).toEqual(display);

    const lanRes = await put(routes.lanSettings, { enabled: true, viewerPassword });
    expect(lanRes.status).toBe(200);
    expect(await get(routes.lanSettings, LanSettings)).toEqual({ enabled: true, passwordSet: true });
    // Only a scrypt hash is stored: the password's text is nowhere in the database file.
    expect(readFileSync(join(station.dataDir, 'packwitness.db')).includes(Buffer.from(viewerPassword))).toBe(false);
    // Not applied until the next start.
    expect((await get(routes.settingsInfo, SettingsInfo)).lanActive).toBe(false);

    expect((await put(routes.scanSettings, scan)).status).toBe(200);
    expect(await get(routes.scanSettings, ScanSettings)).toEqual(scan);
  });

  it('restarts the recording for new camera settings; the hole between the runs is measured, and a gap if it is one', async () => {
    const runOf = (f: string): string => f.split('/')[2] ?? f;
    const segmentsNow = async () => SegmentsResponse.parse(await (await station.api(routes.segments)).json()).segments;
    const gapsNow = async () => GapsResponse.parse(await (await station.api(routes.gaps)).json()).gaps;
    const pidBefore = StatusResponse.parse(await (await station.api(routes.status)).json()).camera.pid;
    const oldRun = runOf((await segmentsNow()).at(-1)!.file);
    const gapIdsBefore = new Set((await gapsNow()).map((g) => g.id));
    const res = await put(routes.cameraSettings, camera);
    expect(res.status).toBe(200);
    expect(await get(routes.cameraSettings, CameraSettings)).toEqual(camera);
    const st = await waitFor(async () => {
      const s = StatusResponse.parse(await (await station.api(routes.status)).json());
      return s.camera.state === 'recording' && s.camera.pid !== pidBefore ? s : undefined;
    }, 20_000, 'the new run recording');
    expect(st.camera.pid).not.toBe(pidBefore);
    // The old run closed cleanly and the new one follows within seconds; the station's own segment
    // times measure the hole.
    const segments = await waitFor(async () => {
      const all = await segmentsNow();
      return all.some((x) => runOf(x.file) !== oldRun) ? all : undefined;
    }, 15_000, "the new run's first segment");
    const firstOfNew = segments.find((x) => runOf(x.file) !== oldRun)!;
    const lastOfOld = segments.filter((x) => runOf(x.file) === oldRun).at(-1)!;
    const holeMs = Date.parse(firstOfNew.startedAt) - Date.parse(lastOfOld.endedAt);
    console.log(`camera settings change: ${holeMs} ms without footage between the runs`);
    expect(holeMs).toBeGreaterThanOrEqual(0);
    expect(holeMs).toBeLessThan(5_000);
    const gaps = await gapsNow();
    expect(gaps.filter((g) => g.endedAt === null)).toEqual([]);
    const newGaps = gaps.filter((g) => !gapIdsBefore.has(g.id));
    if (holeMs < CONTIGUITY_TOLERANCE_MS) {
      // Under the tolerance the footage counts as continuous: the gap opened for the restart was
      // dropped when the new run's first segment came, so nothing says seconds are missing.
      expect(newGaps).toEqual([]);
    } else {
      // Over it, one closed gap covers exactly the hole: from the old run's last footage to the new run's first.
      expect(newGaps).toEqual([{ id: expect.any(Number), camera: firstOfNew.camera, startedAt: lastOfOld.endedAt, endedAt: firstOfNew.startedAt, reason: 'camera settings changed' }]);
    }
  }, 30_000);

  it('burns the new station and operator name into the next segment (read back from a frame)', async () => {
    // Whole segments only: the frame is read 0.5 s in, and the last segment of a run ended by the
    // camera change (or the first of the next) can be shorter than that.
    const long = (s: { startedAt: string; endedAt: string }) => Date.parse(s.endedAt) - Date.parse(s.startedAt) >= 1_000;
    const { segments } = await waitFor(async () => {
      const r = SegmentsResponse.parse(await (await station.api(routes.segments)).json());
      return r.segments.some((s) => Date.parse(s.startedAt) > identityChangedAtMs + 200 && long(s)) ? r : undefined;
    }, 15_000, 'a segment started after the rename');
    const after = segments.find((s) => Date.parse(s.startedAt) > identityChangedAtMs + 200 && long(s))!;
    const beforeSeg = segments.find((s) => Date.parse(s.endedAt) < identityChangedAtMs - 200 && long(s))!;
    const r = stationLineRegion(640, 360);
    const refNew = await referencePixels([], identity.stationName, 640, 360, r, identity.operatorName);
    const refOld = await referencePixels([], 'Station 1', 640, 360, r);
    const frameAfter = await framePixels(join(station.dataDir, after.file), 0.5, r);
    const frameBefore = await framePixels(join(station.dataDir, beforeSeg.file), 0.5, r);
    expect(textRecall(frameAfter, refNew)).toBeGreaterThan(0.9);
    expect(textRecall(frameAfter, refOld)).toBeLessThan(0.75);
    expect(textRecall(frameBefore, refOld)).toBeGreaterThan(0.9);
    expect(textRecall(frameBefore, refNew)).toBeLessThan(0.75);
  }, 30_000);

  it('refuses bad values with one sentence and keeps what was saved', async () => {
    const badRegex = await put(routes.scanSettings, { ...scan, rules: [{ name: 'Broken carrier', kind: 'waybill', pattern: '^SF(\\d+$' }] });
    expect(badRegex.status).toBe(400);
    expect(ErrorResponse.parse(await badRegex.json()).error).toMatch(/^rule "Broken carrier": invalid regular expression/);
    expect(await get(routes.scanSettings, ScanSettings)).toEqual(scan);

    for (const spec of ['rtsp://', 'rtsp://exa mple.com/stream', 'rtsp//192.168.1.64/stream']) {
      const bad = await put(routes.cameraSettings, { ...camera, spec });
      expect(bad.status, spec).toBe(400);
      expect(ErrorResponse.parse(await bad.json()).error, spec).toMatch(/RTSP URL|Unknown camera spec/);
    }
    const badFps = await put(routes.cameraSettings, { ...camera, fps: 200 });
    expect(ErrorResponse.parse(await badFps.json()).error).toBe('the frame rate is 1 to 60');
    const badSize = await put(routes.cameraSettings, { ...camera, resolution: '1281x720' });
    expect(ErrorResponse.parse(await badSize.json()).error).toBe('the width and height must be even numbers');
    expect(await get(routes.cameraSettings, CameraSettings)).toEqual(camera);

    const emptyName = await put(routes.stationSettings, { stationName: '  ', operatorName: '' });
    expect(emptyName.status).toBe(400);
    expect(ErrorResponse.parse(await emptyName.json()).error).toBe('the station name must not be empty');
    // Names are burned into the video and shown on other screens: no forged lines, no reordered text.
    const unsafe = ['Bench\n7', 'Bench\r7', 'Bench\t7', 'Bench\u00007', 'Bench\u007f', 'Bench\u0085', 'Bench\u2028', 'Bench\u202Egpj.exe', 'Bench\u2066x\u2069', 'Bench\u200F', 'Bench\u200E', 'Bench\u061C', 'Bench\uD800', 'Bench 7\n'];
    for (const name of unsafe) {
      const station = await put(routes.stationSettings, { stationName: name, operatorName: '' });
      expect(station.status, JSON.stringify(name)).toBe(400);
      expect(ErrorResponse.parse(await station.json()).error, JSON.stringify(name)).toBe('the station name must not contain control characters, line breaks or text-direction marks');
      const operator = await put(routes.stationSettings, { stationName: 'Bench 7', operatorName: name });
      expect(operator.status, JSON.stringify(name)).toBe(400);
      expect(ErrorResponse.parse(await operator.json()).error, JSON.stringify(name)).toBe('the operator name must not contain control characters, line breaks or text-direction marks');
    }
    // A camera's name (a DirectShow device) and rule names likewise.
    const badCamera = await put(routes.cameraSettings, { ...camera, spec: 'dshow:Cam\u202Eevil' });
    expect(badCamera.status).toBe(400);
    expect(ErrorResponse.parse(await badCamera.json()).error).toBe('the camera spec must not contain control characters, line breaks or text-direction marks');
    const badRule = await put(routes.scanSettings, { ...scan, rules: [{ name: 'Carrier\nforged', kind: 'waybill', pattern: '^X$' }] });
    expect(badRule.status).toBe(400);
    expect(ErrorResponse.parse(await badRule.json()).error).toMatch(/name must not contain control characters/);
    const shortPw = await put(routes.lanSettings, { enabled: true, viewerPassword: 'short' });
    expect(ErrorResponse.parse(await shortPw.json()).error).toBe('the viewer password must be at least 8 characters long');
    expect((await put(routes.displaySettings, { language: 'fr', sounds: true })).status).toBe(400);
    expect(await get(routes.stationSettings, StationIdentitySettings)).toEqual(identity);
  });

  it('classifies a code with unsaved rules, as a scan would', async () => {
    const test = async (code: string, settings: unknown) => ScanTestResult.parse(await (await post(routes.scanTest, { code, settings })).json());
    expect(await test('BT123456', scan)).toMatchObject({ kind: 'waybill', rule: 'Bench test carrier' });
    expect(await test('SF1234567890123', scan)).toMatchObject({ kind: 'waybill', rule: 'SF Express' });
    expect(await test('DONE-STOP', scan)).toMatchObject({ kind: 'command', rule: 'stop' });
    expect(await test('BT123456', DEFAULT_SCAN_SETTINGS)).toMatchObject({ kind: 'order', rule: 'other order number' });
    const bad = await post(routes.scanTest, { code: 'x', settings: { ...scan, rules: [{ name: 'Oops', kind: 'order', pattern: '[' }] } });
    expect(bad.status).toBe(400);
    expect(ErrorResponse.parse(await bad.json()).error).toMatch(/^rule "Oops": invalid regular expression/);
  });

  it('tests an RTSP camera that is not there: a clear failure well within the time-out', async () => {
    const port = await closedPort();
    const started = Date.now();
    const res = await post(routes.cameraTest, { spec: `rtsp://admin:secret@127.0.0.1:${port}/Streaming/Channels/101` });
    expect(res.status).toBe(200);
    const result = CameraTestResult.parse(await res.json());
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe(`Nothing answers at 127.0.0.1:${port}: the address is right but no RTSP service listens on that port (is the port right? is RTSP enabled on the camera?).`);
    expect(result.error).not.toContain('secret');
    const bad = await post(routes.cameraTest, { spec: 'rtsp://' });
    expect(bad.status).toBe(400);
  }, 20_000);

  it('takes every camera the station records from, network streams (tcp://, http://) included', async () => {
    const port = await closedPort();
    for (const spec of [`tcp://127.0.0.1:${port}`, `http://admin:secret@127.0.0.1:${port}/live.ts`]) {
      const res = await post(routes.cameraTest, { spec });
      expect(res.status, spec).toBe(200);
      const result = CameraTestResult.parse(await res.json());
      expect(result.ok, spec).toBe(false);
      if (!result.ok) expect(result.error, spec).not.toContain('secret');
    }
  }, 30_000);

  it('grabs a frame from a camera that works (the demo)', async () => {
    const result = CameraTestResult.parse(await (await post(routes.cameraTest, { spec: 'demo:320x180@5' })).json());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const jpeg = Buffer.from(result.jpegBase64, 'base64');
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
  }, 20_000);

  it('keeps every section across a restart on the same folder, and uses the saved camera without --camera', async () => {
    await station.stop();
    station = await startStation({ dataDir: station.dataDir, camera: null });
    expect(await get(routes.stationSettings, StationIdentitySettings)).toEqual(identity);
    expect(await get(routes.cameraSettings, CameraSettings)).toEqual(camera);
    expect(await get(routes.displaySettings, DisplaySettings)).toEqual(display);
    expect(await get(routes.lanSettings, LanSettings)).toEqual({ enabled: true, passwordSet: true });
    expect(await get(routes.scanSettings, ScanSettings)).toEqual(scan);
    const info = await get(routes.settingsInfo, SettingsInfo);
    expect(info).toEqual({ dataDir: station.dataDir, cameraInUse: camera.spec, lanActive: true, cli: { camera: null, host: null, station: null }, lastMove: null, move: null });
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).station).toBe(identity.stationName);
    // LAN viewing from the saved hash: the viewer password logs in.
    const login = await fetch(station.origin + routes.login, { method: 'POST', headers: json, body: JSON.stringify({ password: viewerPassword }) });
    expect(login.status).toBe(200);
  }, 60_000);

  it('lets the CLI flags win over the saved settings at start', async () => {
    await station.stop();
    station = await startStation({ dataDir: station.dataDir, camera: 'demo:320x180@10', args: ['--host', '127.0.0.1', '--station', 'From CLI'] });
    const info = await get(routes.settingsInfo, SettingsInfo);
    expect(info).toMatchObject({ cameraInUse: 'demo:320x180@10', lanActive: false, cli: { camera: 'demo:320x180@10', host: '127.0.0.1', station: 'From CLI' } });
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).station).toBe('From CLI');
    // The saved values are untouched by the flags.
    expect(await get(routes.stationSettings, StationIdentitySettings)).toEqual(identity);
  }, 60_000);
});
