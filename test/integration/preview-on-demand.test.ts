/**
 * The live preview is made only while someone watches (preview-tap.ts), on a real station with two
 * cameras: no preview ffmpeg runs while nobody views (read from the process list), a viewer gets
 * JPEGs within seconds from each camera, the preview ffmpeg stops after the viewer leaves, killing
 * it disturbs no recording, the preview follows a camera into its next run, and a station killed with -9 leaves no recording ffmpeg behind (its
 * motion pictures are refused, and it ends by itself).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GapsResponse, SegmentsResponse, StatusResponse, routes } from '../../shared/api.js';
import { PREVIEW_LINGER_MS } from '../../electron/station/limits.js';
import { alive, ffmpegChildren } from '../helpers/processes.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const MAIN = 'demo:640x360@15';
const SIDE = 'demo:320x240@15';

/** Width x height of a baseline or progressive JPEG (its SOF segment). */
function jpegSize(jpeg: Buffer): string {
  for (let p = 2; p + 9 < jpeg.length; ) {
    const m = jpeg[p + 1]!;
    if (m === 0xc0 || m === 0xc2) return `${jpeg.readUInt16BE(p + 7)}x${jpeg.readUInt16BE(p + 5)}`;
    p += 2 + jpeg.readUInt16BE(p + 2);
  }
  return 'unknown';
}

/** An open multipart MJPEG stream: its JPEGs as they come, and a way to close it. */
async function watch(s: StationProcess, path: string): Promise<{ frames: Buffer[]; openedAt: number; firstAt: () => number | null; close: () => void }> {
  const ac = new AbortController();
  const openedAt = Date.now();
  const res = await s.api(path, { signal: ac.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace/);
  const frames: Buffer[] = [];
  let firstAt: number | null = null;
  void (async () => {
    let buf = Buffer.alloc(0);
    const reader = res.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf = Buffer.concat([buf, Buffer.from(value)]);
      for (;;) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) break;
        const len = Number(/Content-Length: (\d+)/.exec(buf.subarray(0, head).toString('latin1'))?.[1]);
        if (!(len > 0) || buf.length < head + 4 + len) break;
        frames.push(buf.subarray(head + 4, head + 4 + len));
        firstAt ??= Date.now();
        buf = buf.subarray(head + 4 + len);
      }
    }
  })().catch(() => undefined);
  return { frames, openedAt, firstAt: () => firstAt, close: () => ac.abort() };
}

const isJpeg = (f: Buffer): boolean => f[0] === 0xff && f[1] === 0xd8 && f.at(-2) === 0xff && f.at(-1) === 0xd9;

describe('the live preview on demand (two cameras)', () => {
  let station: StationProcess;
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const previews = () => ffmpegChildren(station.proc.pid!).filter((p) => p.preview);

  beforeAll(async () => {
    station = await startStation({ camera: MAIN, args: ['--camera', SIDE] });
    await waitFor(async () => {
      const s = await status();
      return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s : undefined;
    }, 30_000, 'both cameras recording');
  }, 40_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('runs no preview ffmpeg while nobody views: only the two recording ones', async () => {
    for (let i = 0; i < 6; i++) {
      const children = ffmpegChildren(station.proc.pid!);
      expect(children.filter((c) => !c.preview)).toHaveLength(2);
      expect(children.filter((c) => c.preview)).toEqual([]);
      await sleep(500);
    }
  });

  it("gives each camera's viewer its own JPEGs within seconds, and stops the preview ffmpegs after the viewers leave", async () => {
    const main = await watch(station, routes.preview);
    const side = await watch(station, `${routes.preview}?camera=demo-2`);
    await waitFor(async () => (main.frames.length >= 3 && side.frames.length >= 3 ? true : undefined), 15_000, 'three frames of each camera');
    console.log(`first preview frame ${main.firstAt()! - main.openedAt} ms (main), ${side.firstAt()! - side.openedAt} ms (side) after the viewer came`);
    expect(main.firstAt()! - main.openedAt).toBeLessThan(5_000);
    expect(side.firstAt()! - side.openedAt).toBeLessThan(5_000);
    expect([...main.frames, ...side.frames].every(isJpeg)).toBe(true);
    // Each camera's own picture: the main one scaled to 512 px, the small side one as it is.
    expect(main.frames.map(jpegSize)).toEqual(main.frames.map(() => '512x288'));
    expect(side.frames.map(jpegSize)).toEqual(side.frames.map(() => '320x240'));
    // A live picture: the demo clock moves between frames.
    expect(main.frames[0]!.equals(main.frames.at(-1)!)).toBe(false);
    expect(previews()).toHaveLength(2);
    // A second viewer of a camera shares its preview ffmpeg.
    const again = await watch(station, routes.preview);
    await waitFor(async () => (again.frames.length >= 1 ? true : undefined), 5_000, 'a frame for the second viewer');
    expect(previews()).toHaveLength(2);

    main.close();
    side.close();
    again.close();
    const leftAt = Date.now();
    await waitFor(async () => (previews().length === 0 ? true : undefined), PREVIEW_LINGER_MS + 5_000, 'the preview ffmpegs to stop');
    console.log(`preview ffmpegs stopped ${Date.now() - leftAt} ms after the last viewer left`);
    expect(ffmpegChildren(station.proc.pid!).filter((c) => !c.preview)).toHaveLength(2);
  });

  it('answers one frame per camera on the single-frame route, and refuses a camera it does not have', async () => {
    const side = await station.api(`${routes.previewFrame}?camera=demo-2`);
    expect(side.status).toBe(200);
    expect(jpegSize(Buffer.from(await side.arrayBuffer()))).toBe('320x240');
    const main = await station.api(routes.previewFrame);
    expect(jpegSize(Buffer.from(await main.arrayBuffer()))).toBe('512x288');
    expect((await station.api(`${routes.previewFrame}?camera=nope`)).status).toBe(404);
    expect((await station.api(`${routes.preview}?camera=nope`)).status).toBe(404);
    expect((await station.api(`${routes.previewFrame}?camera=demo&camera=demo-2`)).status).toBe(400);
  });

  it('keeps recording with no gap when the preview ffmpeg is killed, and the viewer gets pictures again', async () => {
    const before = await status();
    const recordingPids = before.cameras!.map((c) => c.pid);
    const viewer = await watch(station, routes.preview);
    await waitFor(async () => (viewer.frames.length >= 1 ? true : undefined), 10_000, 'a first frame');
    const [tap] = previews();
    expect(tap).toBeDefined();
    const killedAt = Date.now();
    process.kill(tap!.pid, 'SIGKILL');
    const had = viewer.frames.length;
    await waitFor(async () => (viewer.frames.length >= had + 2 && previews().some((p) => p.pid !== tap!.pid) ? true : undefined), 15_000, 'frames from a new preview ffmpeg');
    console.log(`preview frames again ${Date.now() - killedAt} ms after its ffmpeg was killed`);
    // Let the recording go on past the kill by a few segments, then look at the footage around it.
    await sleep(5_000);
    viewer.close();
    const after = await status();
    expect(after.cameras!.map((c) => c.pid)).toEqual(recordingPids);
    expect(after.cameras!.map((c) => c.restarts)).toEqual(before.cameras!.map((c) => c.restarts));
    const { segments } = SegmentsResponse.parse(await (await station.api(routes.segments)).json());
    for (const camera of ['demo', 'demo-2']) {
      const mine = segments.filter((x) => x.camera === camera).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
      // Segments kept coming past the kill, each starting where the previous ended.
      expect(Date.parse(mine.at(-1)!.endedAt)).toBeGreaterThan(killedAt + 3_000);
      for (let i = 1; i < mine.length; i++) {
        expect(Math.abs(Date.parse(mine[i]!.startedAt) - Date.parse(mine[i - 1]!.endedAt)), `${camera} ${mine[i]!.file}`).toBeLessThanOrEqual(500);
      }
    }
    expect(GapsResponse.parse(await (await station.api(routes.gaps)).json()).gaps).toEqual([]);
  });

  it("follows the camera into its next run when the recording ffmpeg restarts (a new folder, timestamps from 0 again)", async () => {
    const viewer = await watch(station, `${routes.preview}?camera=demo-2`);
    await waitFor(async () => (viewer.frames.length >= 1 ? true : undefined), 10_000, 'a first frame');
    const side = (await status()).cameras![1]!;
    process.kill(side.pid!, 'SIGKILL');
    await waitFor(async () => {
      const now = (await status()).cameras![1]!;
      return now.pid !== side.pid && now.state === 'recording' ? true : undefined;
    }, 15_000, 'the side camera recording again');
    const had = viewer.frames.length;
    await waitFor(async () => (viewer.frames.length >= had + 3 ? true : undefined), 15_000, 'frames from the new run');
    viewer.close();
    expect(viewer.frames.every(isJpeg)).toBe(true);
    expect(jpegSize(viewer.frames.at(-1)!)).toBe('320x240');
  });

  it('leaves no recording ffmpeg behind when the station is killed with -9: each ends by itself', async () => {
    const pids = (await status()).cameras!.map((c) => c.pid!);
    expect(pids).toHaveLength(2);
    const killedAt = Date.now();
    station.proc.kill('SIGKILL');
    await station.exited;
    await waitFor(async () => (pids.every((p) => !alive(p)) ? true : undefined), 8_000, "the dead station's ffmpegs to end");
    console.log(`the recording ffmpegs ended ${Date.now() - killedAt} ms after the station was killed`);
  });
});
