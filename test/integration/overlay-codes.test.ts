/**
 * The burned-in codes line tells which parcel a frame belongs to, so every frame of a clip must show
 * that clip's codes: read back from every frame of real clip MP4s (and from the evidence sheet's
 * tiles) by comparing the codes band with renders of each candidate text made by the station's own
 * overlay filter. The codes are chosen to look nothing alike (all 1s, all 8s), so a frame cannot
 * pass for the wrong one.
 *
 * Before the fix the last ~130 ms of a switched clip showed the next order's code, the post-roll
 * after PW-STOP showed "—", and after a camera change the old code stayed on the new camera's
 * footage, into the next clip's pre-roll.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScansResponse, routes } from '../../shared/api.js';
import { renderEvidenceSheet } from '../../electron/station/export/evidence-sheet.js';
import { ffmpegBin } from '../helpers/media.js';
import { codesLineRegion, everyFramePixels, referencePixels, whichText, type Region } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const A = '111111111111111111';
const B = '888888888888888888';
const C = '111188881111888811';
const W = 640;
const H = 360;

type Shown = 'A' | 'B' | 'C' | 'none';

/**
 * A frame's wall-clock time is its segment's start plus its PTS, which a loaded machine skews by a
 * frame or two; within this margin before a scan a frame may already show that scan's own code
 * (never another order's).
 */
const JITTER_MS = 200;

describe('the burned-in codes match the clip, on every frame', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  /** `fontHeight`: a file camera's size is not known to the station, which sizes its overlay as for 720p. */
  const regionFor = (fontHeight: number | null): Region => codesLineRegion(W, H, fontHeight);
  const refs = async (fontHeight: number | null = H): Promise<Record<Shown, Buffer>> => {
    const r = regionFor(fontHeight);
    return {
      A: await referencePixels([A], 'Station 1', W, H, r, undefined, fontHeight),
      B: await referencePixels([B], 'Station 1', W, H, r, undefined, fontHeight),
      C: await referencePixels([C], 'Station 1', W, H, r, undefined, fontHeight),
      none: await referencePixels([], 'Station 1', W, H, r, undefined, fontHeight),
    };
  };

  async function helpers(s: StationProcess) {
    const scan = async (code: string): Promise<ScanResponse> =>
      ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const clip = async (id: number): Promise<Clip> => Clip.parse(await (await s.api(routes.clip(id))).json());
    const video = async (id: number): Promise<{ clip: Clip; file: string }> => {
      const c = await waitFor(async () => ((await clip(id)).video ? clip(id) : undefined), 30_000, `clip ${id} video`);
      const file = join(s.dataDir, `check-${id}.mp4`);
      writeFileSync(file, Buffer.from(await (await s.api(routes.clipVideo(id))).arrayBuffer()));
      return { clip: c, file };
    };
    return { scan, clip, video };
  }

  /** What each shown frame of the clip's MP4 shows, with its wall-clock time. */
  async function framesOf(file: string, c: Clip, candidates: Record<Shown, Buffer>, fontHeight: number | null = H): Promise<Array<{ atMs: number; shows: Shown | null; recall: Record<Shown, number> }>> {
    const start = Date.parse(c.startedAt);
    return (await everyFramePixels(file, regionFor(fontHeight))).map((f) => ({ atMs: start + f.sec * 1000, ...whichText(f.pixels, candidates) }));
  }

  const summary = (frames: Array<{ shows: Shown | null }>): string => {
    const runs: string[] = [];
    for (const f of frames) {
      const k = f.shows ?? '?';
      const last = runs.at(-1);
      if (last?.startsWith(`${k}×`)) runs[runs.length - 1] = `${k}×${Number(last.slice(k.length + 1)) + 1}`;
      else runs.push(`${k}×1`);
    }
    return runs.join(' ');
  };

  it('a switch and a stop: A on every frame of A from its scan to its last, B on every frame of B through its post-roll, "—" before any scan; and on the evidence sheet', async () => {
    const candidates = await refs();
    const s = (station = await startStation());
    const { scan, video } = await helpers(s);
    await sleep(4_000); // footage for A's pre-roll
    const a = await scan(A);
    await sleep(3_000);
    const b = await scan(B);
    expect(b).toMatchObject({ action: 'switched', endedId: a.id });
    await sleep(3_000);
    const stop = await scan('PW-STOP');
    expect(stop.action).toBe('stopped');
    const clipA = await video(a.id!);
    const clipB = await video(b.id!);
    expect(clipA.clip.endedAt).toBe(clipB.clip.startedAt);

    const framesA = await framesOf(clipA.file, clipA.clip, candidates);
    const framesB = await framesOf(clipB.file, clipB.clip, candidates);
    console.log(`clip A: ${summary(framesA)}\nclip B: ${summary(framesB)}`);
    const scanA = Date.parse(a.at);
    // Pre-roll: filmed before A was scanned; it shows no code ("—"), never another order's.
    const preRoll = framesA.filter((f) => f.atMs < scanA);
    expect(preRoll.length).toBeGreaterThan(30);
    for (const f of preRoll) {
      const allowed = f.atMs >= scanA - JITTER_MS ? ['none', 'A'] : ['none'];
      expect(allowed, `pre-roll frame at ${f.atMs - scanA} ms: ${JSON.stringify(f.recall)}`).toContain(f.shows);
    }
    // From the scan on: A (ffmpeg takes the change between frames, within a few hundred ms of the scan).
    for (const f of framesA.filter((f) => f.atMs >= scanA)) expect(['A', 'none'], `frame ${f.atMs - scanA} ms after A's scan`).toContain(f.shows);
    for (const f of framesA.filter((f) => f.atMs >= scanA + 400)) expect(f.shows, `frame ${f.atMs - scanA} ms after A's scan: ${JSON.stringify(f.recall)}`).toBe('A');
    // The last frames of A (after B was scanned, up to the switch) are A's, and every frame of B is B's, post-roll included.
    expect(framesA.at(-1)!.shows).toBe('A');
    for (const [i, f] of framesB.entries()) expect(f.shows, `frame ${i} of B: ${JSON.stringify(f.recall)}`).toBe('B');
    const stopAt = Date.parse(stop.at);
    expect(framesB.filter((f) => f.atMs > stopAt).length).toBeGreaterThan(25); // the 2 s post-roll is there, showing B

    // The evidence sheet's first and last key frames show the clip's own code.
    for (const [c, own] of [[clipA, 'A'], [clipB, 'B']] as const) {
      const sheet = await renderEvidenceSheet(
        {
          ffmpegPath: await ffmpegBin(),
          videoPath: c.file,
          clipStartMs: Date.parse(c.clip.startedAt),
          scans: c.clip.codeDetails.map((d) => ({ atMs: Date.parse(d.scannedAt), code: d.code, kind: d.kind })),
          title: { codes: c.clip.codes, station: 'Station 1', mode: 'pack', startIso: c.clip.startedAt, endIso: c.clip.endedAt!, clipId: c.clip.id },
          hashes: { clipSha256: c.clip.video!.sha256, keyFingerprint: 'SHA256:test' },
          locale: 'en',
        },
        join(s.dataDir, `sheet-${c.clip.id}`),
      );
      const frames = own === 'A' ? framesA : framesB;
      const lastTile = sheet.frames.at(-1)!;
      // The sheet's last tile is the clip's last frame (sheet-frames.ts), which shows the clip's code.
      expect(Math.abs(lastTile.atMs - frames.at(-1)!.atMs)).toBeLessThan(2);
      const tileAt = (atMs: number) => frames.reduce((best, f) => (Math.abs(f.atMs - atMs) < Math.abs(best.atMs - atMs) ? f : best));
      const scanTile = sheet.frames.find((f) => f.kind === 'scan');
      if (own === 'B') expect(tileAt(sheet.frames[0]!.atMs).shows).toBe('B');
      if (scanTile && own === 'A') expect(['A', 'none']).toContain(tileAt(scanTile.atMs).shows);
      expect(tileAt(lastTile.atMs).shows).toBe(own);
    }
  }, 120_000);

  it('a camera change ends the clip with its code, and the next clip’s pre-roll on the new camera shows no stale code', async () => {
    const candidates = await refs();
    // The new camera: a 640x360 video file looped at real time (another camera id than the demo's).
    const clipSource = join(process.env.PW_TEST_ROOT ?? '/tmp', `camera-${process.pid}.mp4`);
    await promisify(execFile)(await ffmpegBin(), ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=15`, '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-pix_fmt', 'yuv420p', clipSource]);
    const s = (station = await startStation());
    const { scan, video } = await helpers(s);
    await sleep(3_000);
    const a = await scan(A);
    await sleep(2_500);
    const put = await s.api(routes.cameraSettings, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spec: `file:${clipSource}`, resolution: '640x360', fps: 15, quality: 'standard' }),
    });
    expect(put.status).toBe(200);
    // Long enough on the new camera for a whole pre-roll after the change.
    await sleep(5_000);
    const c = await scan(C);
    expect(c.action).toBe('started');
    await sleep(2_000);
    await scan('PW-STOP');

    const clipA = await video(a.id!);
    expect(clipA.clip.endReason).toBe('camera changed');
    const framesA = await framesOf(clipA.file, clipA.clip, candidates);
    const clipC = await video(c.id!);
    const framesC = await framesOf(clipC.file, clipC.clip, await refs(null), null);
    console.log(`clip A (ended by the camera change): ${summary(framesA)}\nclip C (new camera): ${summary(framesC)}`);
    expect(framesA.at(-1)!.shows).toBe('A');
    for (const f of framesA.filter((f) => f.atMs >= Date.parse(a.at) + 400)) expect(f.shows).toBe('A');
    const scanC = Date.parse(c.at);
    const preRoll = framesC.filter((f) => f.atMs < scanC);
    expect(preRoll.length).toBeGreaterThan(30);
    for (const f of preRoll) {
      const allowed = f.atMs >= scanC - JITTER_MS ? ['none', 'C'] : ['none'];
      expect(allowed, `C's pre-roll frame at ${f.atMs - scanC} ms: ${JSON.stringify(f.recall)}`).toContain(f.shows);
    }
    for (const f of framesC.filter((f) => f.atMs >= scanC + 400)) expect(f.shows).toBe('C');
    const { scans } = ScansResponse.parse(await (await s.api(`${routes.scans}?limit=5`)).json());
    expect(scans[0]!.action).toBe('stopped');
  }, 120_000);
});
