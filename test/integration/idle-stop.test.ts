/**
 * The idle stop on real stations: a bench that shows no scan and a still picture ends its open clip
 * at the last activity; a moving picture keeps it open. And the motion output ends a recording
 * ffmpeg whose station is gone.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScanSettings, ScansResponse, StatsResponse, StatusResponse, routes } from '../../shared/api.js';
import { FEED_HOST, ENCODER_PRESETS, recordingInvocation, toArgv } from '../../electron/station/recorder/ffmpeg-command.js';
import { LoopbackFeed, progressFrame } from '../../electron/station/recorder/ffmpeg-feeds.js';
import { parseCameraSpec } from '../../electron/station/recorder/camera-spec.js';
import { overlayFont } from '../../electron/station/resources.js';
import { decodeFully, ffmpegBin } from '../helpers/media.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const IDLE_MS = 3_000;
const POST_ROLL_MS = 2_000; // the default
const A = '123456789012345678';

async function bench(camera: string): Promise<{ station: StationProcess; scan: (code: string) => Promise<ScanResponse>; clip: (id: number) => Promise<Clip> }> {
  const station = await startStation({ camera });
  const scan = async (code: string) =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const clip = async (id: number) => Clip.parse(await (await station.api(routes.clip(id))).json());
  const current = ScanSettings.parse(await (await station.api(routes.scanSettings)).json());
  const res = await station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current, idleStopMs: IDLE_MS }) });
  expect(res.status).toBe(200);
  await waitFor(async () => StatusResponse.parse(await (await station.api(routes.status)).json()).camera.state === 'recording', 20_000, 'recording');
  await sleep(3_500); // footage for the pre-roll, and motion pictures flowing
  return { station, scan, clip };
}

describe('the idle stop on a still bench (a static picture)', () => {
  let station: StationProcess;
  let first: ScanResponse;
  let again: ScanResponse;
  let ended: Clip;
  let endSeenAt = 0;
  let scans: ScansResponse['scans'];
  let next: ScanResponse;

  beforeAll(async () => {
    // A grey picture that never changes, looped as a camera (file: spec).
    const dir = tempDataDir('pw-still-');
    const still = join(dir, 'still.mp4');
    const ff = spawn(await ffmpegBin(), ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x707070:size=640x360:rate=15', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', still], { stdio: 'ignore' });
    const [code] = (await once(ff, 'exit')) as [number | null];
    expect(code).toBe(0);
    const b = await bench(`file:${still}`);
    station = b.station;
    first = await b.scan(A);
    // A repeat scan of the open order is ignored, but it is activity: the idle time starts again from it.
    await sleep(2_000);
    again = await b.scan(A);
    ended = await waitFor(async () => {
      const c = await b.clip(first.id!);
      return c.status === 'closed' ? c : undefined;
    }, 15_000, 'the clip to end by itself');
    endSeenAt = Date.now();
    // The next parcel at once: its pre-roll would reach back over frames that still show A.
    next = await b.scan('223456789012345678');
    scans = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=20`)).json()).scans;
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('ends the open clip with reason idle, at the last scan plus the post-roll, not when the idle was noticed', () => {
    expect(first).toMatchObject({ action: 'started', id: expect.any(Number) });
    expect(again).toMatchObject({ action: 'ignored', reason: 'already-on-clip' });
    expect(ended).toMatchObject({ status: 'closed', endReason: 'idle', codes: [A] });
    const endMs = Date.parse(ended.endedAt!);
    const lastScanMs = Date.parse(again.at);
    // Snapped between two frames (15 fps): within a frame of the post-roll after the last scan.
    expect(endMs - lastScanMs).toBeGreaterThanOrEqual(POST_ROLL_MS - 70);
    expect(endMs - lastScanMs).toBeLessThanOrEqual(POST_ROLL_MS + 70);
    // Noticed after the idle time (checked every second), on a busy machine within a few seconds more.
    expect(endSeenAt - lastScanMs).toBeGreaterThanOrEqual(IDLE_MS);
  });

  it('says so in the scan log, in both languages', () => {
    const idle = scans.find((s) => s.reason === 'idle');
    expect(idle).toMatchObject({ action: 'stopped', id: first.id });
    expect(Date.parse(idle!.at) - Date.parse(again.at)).toBeGreaterThanOrEqual(IDLE_MS);
    expect(Date.parse(idle!.at) - Date.parse(again.at)).toBeLessThan(IDLE_MS + 3_000);
    expect(idle!.message.en).toContain('No activity at the bench');
    expect(idle!.message['zh-CN']).toContain('工作台无活动');
    expect(idle!.message.en).toContain(A);
  });

  it('cuts the clip as usual: pre-roll, the packing, the post-roll and no empty table', async () => {
    const c = await waitFor(async () => {
      const v = await (await station.api(routes.clip(first.id!))).json();
      return Clip.parse(v).video ? Clip.parse(v) : undefined;
    }, 20_000, 'the clip video');
    const expectedMs = Date.parse(c.endedAt!) - Date.parse(c.startedAt);
    expect(expectedMs).toBeGreaterThan(3_000 + 2_000 + POST_ROLL_MS - 200);
    expect(expectedMs).toBeLessThan(3_000 + 2_000 + POST_ROLL_MS + 500);
    const file = join(station.dataDir, `check-${c.id}.mp4`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, Buffer.from(await (await station.api(routes.clipVideo(c.id))).arrayBuffer()));
    const decoded = await decodeFully(file);
    expect(decoded.errors).toBe('');
    expect(decoded.frames / 15).toBeLessThan(expectedMs / 1000 + 0.5);
  });

  it("starts the next parcel's pre-roll after the frames that still showed the ended clip's codes", async () => {
    expect(next.action).toBe('started');
    const c = Clip.parse(await (await station.api(routes.clip(next.id!))).json());
    // A's codes stayed on screen until the idle stop was decided (plus the overlay lead): the full
    // 3 s pre-roll would start before that, inside A's codes.
    const idle = scans.find((s) => s.reason === 'idle')!;
    expect(Date.parse(next.at) - 3_000).toBeLessThan(Date.parse(idle.at));
    expect(Date.parse(c.startedAt)).toBeGreaterThanOrEqual(Date.parse(idle.at) + 400);
  });

  it('counts the packing up to the last activity in the statistics, not up to when the idle was noticed', async () => {
    const nextEnded = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(next.id!))).json());
      return c.status === 'closed' ? c : undefined;
    }, 15_000, 'the next clip to end by itself');
    expect(nextEnded.endReason).toBe('idle');
    const stats = StatsResponse.parse(await (await station.api(routes.stats)).json());
    const packing = [Date.parse(ended.endedAt!) - Date.parse(first.at), Date.parse(nextEnded.endedAt!) - Date.parse(next.at)] as const;
    expect(stats.medianPackingMs).toBe((packing[0] + packing[1]) / 2);
  });
});

describe('the idle stop on a busy bench (a moving picture)', () => {
  let station: StationProcess;

  afterAll(async () => {
    await station?.stop();
  });

  it('keeps the clip open however long no code is scanned', async () => {
    const b = await bench('demo:640x360@15');
    station = b.station;
    const first = await b.scan(A);
    expect(first.action).toBe('started');
    await sleep(IDLE_MS * 2 + 2_000);
    expect(await b.clip(first.id!)).toMatchObject({ status: 'recording', endReason: null });
    const stop = await b.scan('PW-STOP');
    expect(stop).toMatchObject({ action: 'stopped', id: first.id, reason: 'stop-code' });
    const scans = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=20`)).json()).scans;
    expect(scans.some((s) => s.reason === 'idle')).toBe(false);
  }, 60_000);
});

describe('the motion output of the recording ffmpeg', () => {
  /**
   * The motion pictures are also how a recording ffmpeg whose station died ends by itself: it sends
   * them with connect=1, so once the station's socket is closed a send fails and ffmpeg closes its
   * outputs cleanly. Here the "station" is two sockets: the motion one closes after 5 s.
   */
  it('records while the station listens, and ends cleanly within seconds once its motion port closes', async () => {
    const runDir = join(tempDataDir('pw-motion-'), 'run');
    mkdirSync(runDir, { recursive: true });
    let frames = 0;
    let pictures = 0;
    const progress = await LoopbackFeed.open((d) => progressFrame(d) !== null, (d) => (frames = progressFrame(d) ?? frames));
    const motion = createSocket('udp4');
    motion.on('message', () => pictures++);
    await new Promise<void>((resolve) => motion.bind(0, FEED_HOST, resolve));
    const argv = toArgv(
      recordingInvocation({
        source: parseCameraSpec('demo:640x360@15'),
        t0Ms: Date.now(),
        runDir,
        overlayFile: join(runDir, 'overlay.txt'),
        fontFile: overlayFont(),
        fontSize: 18,
        encoder: ENCODER_PRESETS.economy,
        feeds: { progressPort: progress.port, motionPort: motion.address().port },
      }),
    );
    writeFileSync(join(runDir, 'overlay.txt'), 'test');
    const ff = spawn(await ffmpegBin(), argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(ff, 'exit');
    try {
      await sleep(5_000);
      expect(ff.exitCode, stderr).toBeNull();
      expect(pictures).toBeGreaterThanOrEqual(3);
      await new Promise<void>((resolve) => motion.close(resolve));
      const closedAt = Date.now();
      const ended = await Promise.race([exited, sleep(6_000).then(() => null)]);
      expect(ended, 'ffmpeg ended by itself').not.toBeNull();
      console.log(`the recording ffmpeg ended ${Date.now() - closedAt} ms after its motion port closed`);
      expect(Date.now() - closedAt).toBeLessThan(5_000);
    } finally {
      if (ff.exitCode === null) ff.kill('SIGKILL');
      progress.close();
    }
    // It said why, and closed its segments cleanly: every one listed, and the last decodes to its end.
    expect(stderr).toMatch(/Connection refused/);
    const list = join(runDir, 'segments.csv');
    expect(existsSync(list)).toBe(true);
    const listed = readFileSync(list, 'utf8').trim().split('\n');
    expect(listed.length).toBeGreaterThanOrEqual(3);
    const last = listed.at(-1)!.split(',')[0]!;
    expect(readdirSync(runDir).filter((f) => f.endsWith('.ts')).sort().at(-1)).toBe(last);
    expect((await decodeFully(join(runDir, last))).ok).toBe(true);
    expect(frames).toBeGreaterThan(15 * 4);
  }, 30_000);
});
