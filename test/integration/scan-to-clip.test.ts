import { join } from 'node:path';
import { renderKnown } from '../../shared/messages/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { OVERLAY_SWITCH_LEAD_MS } from '../../electron/station/limits.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { decodeFully, largestPtsStep } from '../helpers/media.js';
import { codesLineRegion, framePixels, referencePixels, textRecall } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const A = '123456789012345678'; // a Taobao order number
const B = '987654321098765432';
const FPS = 15;

describe('scan, pack, scan the next: a real station on the demo camera', () => {
  let station: StationProcess;
  const scan = async (code: string): Promise<ScanResponse> =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const clip = async (id: number): Promise<Clip> => Clip.parse(await (await station.api(routes.clip(id))).json());
  const videoReady = (id: number) => waitFor(async () => ((await clip(id)).video ? clip(id) : undefined), 15_000, `clip ${id} video`);

  let a: ScanResponse;
  let b: ScanResponse;
  let stop: ScanResponse;
  let stopSentAt = 0;
  let readyAfterEndMs = 0;

  beforeAll(async () => {
    station = await startStation();
    await sleep(4_000); // footage for A's pre-roll
    a = await scan(A);
    await sleep(4_000);
    b = await scan(B);
    await sleep(4_000);
    stopSentAt = Date.now();
    stop = await scan('PW-STOP');
    const clipB = await videoReady(b.id!);
    readyAfterEndMs = Date.now() - Date.parse(clipB.endedAt!);
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('answers each scan with what it did', () => {
    expect(a).toMatchObject({ action: 'started', code: A, kind: 'order', mode: 'pack', duplicateOf: [] });
    expect(b).toMatchObject({ action: 'switched', code: B, endedId: a.id });
    expect(b.id).not.toBe(a.id);
    expect(stop).toMatchObject({ action: 'stopped', id: b.id, kind: 'command' });
    expect(a.message.en).toContain(A);
    expect(a.message['zh-CN']).toContain(A);
  });

  it("cuts A to 3 s pre-roll + 4 s + the 0.5 s overlay lead and B to 4 s - the lead + 2 s post-roll (±0.5 s), as clip JSON and decodable MP4s", async () => {
    const clipA = await videoReady(a.id!);
    const clipB = await clip(b.id!);
    expect(clipA).toMatchObject({ id: a.id, codes: [A], mode: 'pack', status: 'closed', endReason: 'next-scan' });
    expect(clipB).toMatchObject({ id: b.id, codes: [B], mode: 'pack', status: 'closed', endReason: 'stop-code' });
    expect(clipA.endedAt).toBe(clipB.startedAt);
    // The switch is OVERLAY_SWITCH_LEAD_MS after B's scan, so the burned-in code changes on exactly that frame.
    expect(Date.parse(clipA.endedAt!) - Date.parse(b.at)).toBeGreaterThanOrEqual(OVERLAY_SWITCH_LEAD_MS - 1000 / FPS);
    expect(Date.parse(clipA.endedAt!) - Date.parse(b.at)).toBeLessThanOrEqual(OVERLAY_SWITCH_LEAD_MS + 1000 / FPS);
    for (const [c, expected] of [
      [clipA, 7_500],
      [clipB, 5_500],
    ] as const) {
      expect(Date.parse(c.endedAt!) - Date.parse(c.startedAt)).toBeGreaterThan(expected - 500);
      expect(Date.parse(c.endedAt!) - Date.parse(c.startedAt)).toBeLessThan(expected + 500);
      const res = await station.api(routes.clipVideo(c.id));
      expect(res.headers.get('content-type')).toBe('video/mp4');
      const file = join(station.dataDir, 'clip.mp4'.replace('clip', `check-${c.id}`));
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const decoded = await decodeFully(file);
      expect(decoded.errors).toBe('');
      // Continuous: no frame step longer than 1.5 frames (a segment left out of the cut would jump ~2 s).
      expect(await largestPtsStep(file)).toBeLessThan(1.5 / FPS);
      // Frames actually shown (the edit list hides the lead-in before the clip start).
      expect(decoded.frames / FPS).toBeGreaterThan(expected / 1000 - 0.5);
      expect(decoded.frames / FPS).toBeLessThan(expected / 1000 + 0.5);
      expect(c.video!.durationMs).toBeGreaterThan(expected - 500);
      expect(c.video!.durationMs).toBeLessThan(expected + 500);
      const { createHash } = await import('node:crypto');
      const { readFileSync } = await import('node:fs');
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(c.video!.sha256);
    }
  });

  it('burns the active code into the picture: A while packing A, B while packing B', async () => {
    const r = codesLineRegion(640, 360);
    const refA = await referencePixels([A], 'Station 1', 640, 360, r);
    const refB = await referencePixels([B], 'Station 1', 640, 360, r);
    const fileA = join(station.dataDir, 'check-' + a.id + '.mp4');
    const fileB = join(station.dataDir, 'check-' + b.id + '.mp4');
    const inA = await framePixels(fileA, 5.5, r); // 2.5 s after scanning A (the first 3 s are pre-roll)
    const inB = await framePixels(fileB, 2.0, r);
    expect(textRecall(inA, refA)).toBeGreaterThan(0.9);
    expect(textRecall(inA, refB)).toBeLessThan(0.75);
    expect(textRecall(inB, refB)).toBeGreaterThan(0.9);
    expect(textRecall(inB, refA)).toBeLessThan(0.75);
    // In A's pre-roll, before the scan, the overlay showed no code yet.
    const before = await framePixels(fileA, 1.0, r);
    expect(textRecall(before, refA)).toBeLessThan(0.5);
  });

  it('keeps each clip’s real frame rate, and measures it once for a clip cut before it was kept', async () => {
    // The player steps by it (a fixed 1/30 s step would show each frame of a 15 fps clip twice).
    expect((await videoReady(a.id!)).video!.fps).toBe(FPS);
    expect((await clip(b.id!)).video!.fps).toBe(FPS);
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    try {
      db.prepare('UPDATE clips SET video_fps = NULL WHERE id = ?').run(a.id);
      expect((await clip(a.id!)).video!.fps).toBe(FPS);
      expect(db.prepare('SELECT video_fps AS fps FROM clips WHERE id = ?').get(a.id)).toEqual({ fps: FPS });
    } finally {
      db.close();
    }
  });

  it('says which order a stop ended and how long its clip is', async () => {
    const clipB = await clip(b.id!);
    const seconds = Math.round((Date.parse(clipB.endedAt!) - Date.parse(clipB.startedAt)) / 1000);
    expect(seconds).toBeGreaterThanOrEqual(5);
    expect(stop.message).toEqual({ 'zh-CN': `录制结束：${B}，时长 ${seconds} 秒`, en: `Clip stopped: ${B}, ${seconds} s` });
  });

  it('has the clip MP4 ready soon after the clip ends', () => {
    // End = stop scan + 2 s post-roll; the footage is cut from the segment still being written.
    expect(readyAfterEndMs).toBeLessThan(3_000);
    expect(Date.now() - stopSentAt).toBeGreaterThan(0);
  });

  it('serves the clip video with range requests', async () => {
    const res = await station.api(routes.clipVideo(a.id!), { headers: { range: 'bytes=100-1099' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toMatch(/^bytes 100-1099\/\d+$/);
    expect((await res.arrayBuffer()).byteLength).toBe(1000);
    expect((await station.api(routes.clipVideo(999_999))).status).toBe(404);
    expect((await station.api('/api/clips/abc')).status).toBe(400);
  });

  it('logs every scan and shows the state in the status', async () => {
    const { scans } = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=10`)).json());
    expect(scans.slice(0, 3).map((s) => [s.action, s.code])).toEqual([
      ['stopped', 'PW-STOP'],
      ['switched', B],
      ['started', A],
    ]);
    const st = StatusResponse.parse(await (await station.api(routes.status)).json());
    expect(st).toMatchObject({ activeClipId: null, activeCodes: [], mode: 'pack' });
  });

  it('warns when a code was already recorded recently, and the scan still works', async () => {
    const again = await scan(A);
    expect(again.action).toBe('started');
    expect(again.duplicateOf.map((d) => d.id)).toContain(a.id);
    expect(again.message.en).toMatch(/already recorded/);
    expect(again.message['zh-CN']).toMatch(/已录制过/);
    // The UI renders the same sentence, note included, from the message the station sent.
    expect(again.text?.code).toBe('scan.withNote');
    expect(renderKnown(again.text!, 'zh-CN')).toBe(again.message['zh-CN']);
    expect(renderKnown(again.text!, 'en')).toBe(again.message.en);
    const cancel = await scan('PW-CANCEL');
    expect(cancel.action).toBe('stopped');
    const cancelled = await clip(again.id!);
    expect(cancelled.status).toBe('cancelled');
  });

  it('attaches a waybill to the running clip, and switches mode with the return code', async () => {
    await sleep(2_100); // past the double-scan window of the last command
    const order = await scan('555555555555555555');
    const wb = await scan('SF1234567890123');
    expect(wb).toMatchObject({ action: 'attached', id: order.id });
    expect((await clip(order.id!)).codes).toEqual(['555555555555555555', 'SF1234567890123']);
    const mode = await scan('PW-RETURN');
    expect(mode).toMatchObject({ action: 'mode', mode: 'return' });
    const next = await scan('666666666666666666');
    expect(next.action).toBe('switched');
    expect((await clip(next.id!)).mode).toBe('return');
    expect((await scan('')).action).toBe('rejected');
  });

  it('refuses a malformed scan request without crashing', async () => {
    const bad = await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": 5}' });
    expect(bad.status).toBe(400);
    const notJson = await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const huge = await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x'.repeat(200_000) }) });
    expect(huge.status).toBe(413);
    expect((await station.api(routes.health)).status).toBe(200);
  });

  it('ends a forgotten clip at the maximum length, and says so in the scan log', async () => {
    const settings = (await (await station.api(routes.scanSettings)).json()) as Record<string, unknown>;
    const put = await station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...settings, maxClipMs: 10_000 }) });
    expect(put.status).toBe(200);
    const bad = await station.api(routes.scanSettings, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...settings, rules: [{ name: 'oops', kind: 'order', pattern: '(' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/rule "oops": invalid regular expression/);

    const forgotten = await scan('777777777777777777');
    const closed = await waitFor(async () => {
      const c = await clip(forgotten.id!);
      return c.status === 'closed' ? c : undefined;
    }, 15_000, 'the maximum length to end the clip');
    expect(closed.endReason).toBe('max-length');
    // At the maximum length, moved at most one frame later to lie between two frames.
    expect(Date.parse(closed.endedAt!) - Date.parse(closed.startedAt)).toBeGreaterThanOrEqual(10_000);
    expect(Date.parse(closed.endedAt!) - Date.parse(closed.startedAt)).toBeLessThanOrEqual(10_000 + 1000 / FPS + 1); // +1: boundaries are whole milliseconds
    const { scans } = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=1`)).json());
    expect(scans[0]).toMatchObject({ action: 'stopped', id: forgotten.id });
    expect(scans[0]!.message.en).toMatch(/Maximum clip length/);
  }, 30_000);
});
