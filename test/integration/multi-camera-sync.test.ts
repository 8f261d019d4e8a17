/**
 * Two cameras on one station film the same moments: the burned-in codes line is the one event both
 * videos carry, switched by the one schedule (overlay-timeline.ts) on each camera's own run clock.
 * Read back from every frame of each camera's clip MP4s, the switch from order A to order B must fall on
 * the scheduled boundary on both cameras: clip B's first frame (the first frame at or after the
 * boundary) already shows B, and clip A's frames show A to its end.
 *
 * Frame times here are the clip's start plus the frame's PTS as ffmpeg (and Chromium, which plays with
 * the same demuxer) reads the MP4: its first shown frame is at 0, though it lies up to one frame
 * interval after the clip start (the boundary falls between two frames; clip-writer.ts). So clip B's
 * first frame reads exactly at the boundary, and clip A's frames read up to one frame early: its last
 * frame lies less than two frame intervals before the boundary. A camera whose video or codes line sat
 * two frames off (133 ms at 15 fps) breaks one of these, so this cannot pass by accident.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { codesLineRegion, everyFramePixels, referencePixels, whichText } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const FPS = 15;
const FRAME_MS = 1000 / FPS;
const CAMERAS = [
  { id: 'demo', spec: 'demo:640x360@15', w: 640, h: 360 },
  { id: 'demo-2', spec: 'demo:320x240@15', w: 320, h: 240 },
] as const;
// Codes that look nothing alike, so no frame passes for the other (as in overlay-codes.test.ts).
const A = '111111111111111111';
const B = '888888888888888888';
/** ISO times carry whole milliseconds; a frame exactly on the boundary may read 1 ms early. */
const ROUNDING_MS = 1;

type Shown = 'A' | 'B' | 'none';

describe('two cameras switch their burned-in codes on the same frame time', () => {
  let station: StationProcess | undefined;
  afterAll(async () => {
    await station?.stop();
  });

  it("a switch from order A to order B: on both cameras clip B's first frame shows B and clip A's last shows A", async () => {
    const s = (station = await startStation({ camera: CAMERAS[0].spec, args: ['--camera', CAMERAS[1].spec] }));
    const scan = async (code: string) =>
      ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const clip = async (id: number) => Clip.parse(await (await s.api(routes.clip(id))).json());
    const cut = (id: number) =>
      waitFor(async () => {
        const c = await clip(id);
        return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
      }, 30_000, `clip ${id} cut for both cameras`);

    await waitFor(async () => {
      const st = (await (await s.api(routes.status)).json()) as { cameras?: Array<{ state: string }> };
      return st.cameras?.length === 2 && st.cameras.every((c) => c.state === 'recording') ? true : undefined;
    }, 20_000, 'both cameras recording');
    await sleep(4_000); // footage for A's pre-roll on both cameras
    const a = await scan(A);
    expect(a.action).toBe('started');
    await sleep(3_000);
    const b = await scan(B);
    expect(b).toMatchObject({ action: 'switched', endedId: a.id });
    await sleep(3_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    const clipA = await cut(a.id!);
    const clipB = await cut(b.id!);
    // The scheduled switch: clip A ends and clip B starts on the one boundary, a lead after B's scan.
    expect(clipA.endedAt).toBe(clipB.startedAt);
    const boundary = Date.parse(clipB.startedAt);
    expect(boundary).toBeGreaterThan(Date.parse(b.at));

    const switches: Record<string, { firstB: number; lastA: number }> = {};
    for (const cam of CAMERAS) {
      const r = codesLineRegion(cam.w, cam.h);
      const candidates: Record<Shown, Buffer> = {
        A: await referencePixels([A], 'Station 1', cam.w, cam.h, r),
        B: await referencePixels([B], 'Station 1', cam.w, cam.h, r),
        none: await referencePixels([], 'Station 1', cam.w, cam.h, r),
      };
      // Both clips of this camera, every shown frame on the wall clock: the clip's start + the frame's PTS.
      const frames: Array<{ atMs: number; shows: Shown | null; clip: 'A' | 'B' }> = [];
      for (const [name, c] of [['A', clipA], ['B', clipB]] as const) {
        const file = join(s.dataDir, `sync-${c.id}-${cam.id}.mp4`);
        const res = await s.api(`${routes.clipVideo(c.id)}?camera=${cam.id}`);
        expect(res.status).toBe(200);
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        const start = Date.parse(c.startedAt);
        for (const f of await everyFramePixels(file, r)) frames.push({ atMs: start + f.sec * 1000, shows: whichText(f.pixels, candidates).shows, clip: name });
      }
      // Around the switch (from well after A's codes are on to the end), the line reads A, then B, nothing else.
      const around = frames.filter((f) => f.atMs >= Date.parse(a.at) + 1_000);
      const first = around.findIndex((f) => f.shows === 'B');
      expect(first, `${cam.id}: no frame shows B`).toBeGreaterThan(0);
      const trace = around.map((f) => `${Math.round(f.atMs - boundary)}:${f.clip}${f.shows ?? '?'}`).join(' ');
      for (const f of around.slice(0, first)) expect(f.shows, `${cam.id} before the switch: ${trace}`).toBe('A');
      for (const f of around.slice(first)) expect(f.shows, `${cam.id} after the switch: ${trace}`).toBe('B');
      expect(around[first]!.clip, `${cam.id}: B first shows on clip B's first frame: ${trace}`).toBe('B');
      expect(around[first - 1]!.clip, `${cam.id}: the frame before it is clip A's last: ${trace}`).toBe('A');
      switches[cam.id] = { firstB: around[first]!.atMs - boundary, lastA: around[first - 1]!.atMs - boundary };
    }
    console.log(
      `switch vs the scheduled boundary (ms): ${CAMERAS.map((c) => `${c.id} last A ${switches[c.id]!.lastA.toFixed(1)}, first B ${switches[c.id]!.firstB.toFixed(1)}`).join('; ')}; ` +
        `cameras apart by ${Math.abs(switches.demo!.firstB - switches['demo-2']!.firstB).toFixed(1)} ms (frame interval ${FRAME_MS.toFixed(1)} ms)`,
    );
    for (const cam of CAMERAS) {
      const { firstB, lastA } = switches[cam.id]!;
      // B first shows on clip B's first frame, the first one at or after the boundary: exact in frame time.
      expect(firstB, `${cam.id} first B frame`).toBeGreaterThanOrEqual(-ROUNDING_MS);
      expect(firstB, `${cam.id} first B frame`).toBeLessThanOrEqual(ROUNDING_MS);
      // The frame before it (clip A's last), read up to one frame early: within two intervals before.
      expect(lastA, `${cam.id} last A frame`).toBeLessThan(0);
      expect(lastA, `${cam.id} last A frame`).toBeGreaterThan(-2 * FRAME_MS - ROUNDING_MS);
    }
  }, 120_000);
});
