/**
 * The burned-in overlay of a real recording names the packer signed in (station line) and the order a
 * waybill found (codes line), read back from the frames of the clip MP4 against renders made by the
 * station's own overlay filter: the packer from the frames after the badge scan until the sign-out,
 * the order number on every frame of the clip from its scan on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { codesLineRegion, everyFramePixels, referencePixels, stationLineRegion, textRecall } from '../helpers/overlay-pixels.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';
import { clipOverlayCodes } from '../../electron/station/recorder/overlay.js';

const W = 640;
const H = 360;
const WAYBILL = 'SF1111111111111';
const ORDER = '88888888';
const PACKER = { code: 'PK-ANN', name: 'Ann Oyelaran-Lindqvist' };

describe('the overlay names the packer and the order (pixels of a real clip)', () => {
  let station: StationProcess;
  let clip: Clip;
  let file: string;
  let scanMs: number;
  let logoutMs: number;
  let signInMs: number;

  beforeAll(async () => {
    station = await startStation();
    const post = (path: string, body: unknown) => station.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const scan = async (code: string) => ScanResponse.parse(await (await post(routes.scans, { code })).json());
    expect((await post(routes.packers, PACKER)).status).toBe(201);
    expect((await post(routes.orders, { orders: [{ orderNo: ORDER, waybills: [WAYBILL], items: [{ name: 'Mug', qty: 1 }] }] })).status).toBe(200);
    await sleep(1_500);
    signInMs = Date.parse((await scan(PACKER.code)).at);
    await sleep(1_000);
    const start = await scan(WAYBILL);
    scanMs = Date.parse(start.at);
    await sleep(2_500);
    logoutMs = Date.parse((await scan('PW-LOGOUT')).at);
    await sleep(2_500);
    await scan('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(start.id!))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the clip video');
    file = join(station.dataDir, 'check.mp4');
    writeFileSync(file, Buffer.from(await (await station.api(routes.clipVideo(clip.id))).arrayBuffer()));
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('the station line names the packer while signed in, and not after PW-LOGOUT', async () => {
    const r = stationLineRegion(W, H);
    const withPacker = await referencePixels([], 'Station 1', W, H, r, undefined, H, PACKER);
    const without = await referencePixels([], 'Station 1', W, H, r, undefined, H, null);
    const start = Date.parse(clip.startedAt);
    const frames = (await everyFramePixels(file, r)).map((f) => ({ atMs: start + f.sec * 1000, pixels: f.pixels }));
    // The file is re-read each frame, written a few ms after the scan: a margin either side.
    // The pre-roll reaches back before the sign-in: those frames have no packer either.
    const signedIn = frames.filter((f) => f.atMs > signInMs + 500 && f.atMs < logoutMs - 500);
    const beforeSignIn = frames.filter((f) => f.atMs < signInMs - 500);
    const signedOut = frames.filter((f) => f.atMs > logoutMs + 500);
    expect(signedIn.length).toBeGreaterThan(20);
    expect(signedOut.length).toBeGreaterThan(20);
    for (const f of signedIn) expect(textRecall(f.pixels, withPacker), `frame at ${f.atMs - start} ms`).toBeGreaterThan(0.9);
    for (const f of [...beforeSignIn, ...signedOut]) {
      expect(textRecall(f.pixels, without)).toBeGreaterThan(0.9);
      // The packer's part of the line is dark: most of the longer line's text pixels are missing.
      expect(textRecall(f.pixels, withPacker), `frame at ${f.atMs - start} ms`).toBeLessThan(0.75);
    }
  });

  it('the codes line adds the order number the waybill found, from the scan to the clip’s end', async () => {
    const r = codesLineRegion(W, H);
    const withOrder = await referencePixels(clipOverlayCodes([WAYBILL], ORDER), 'Station 1', W, H, r);
    const waybillOnly = await referencePixels([WAYBILL], 'Station 1', W, H, r);
    const start = Date.parse(clip.startedAt);
    const frames = (await everyFramePixels(file, r)).map((f) => ({ atMs: start + f.sec * 1000, pixels: f.pixels }));
    const afterScan = frames.filter((f) => f.atMs > scanMs + 200);
    const preRoll = frames.filter((f) => f.atMs < scanMs - 200);
    expect(afterScan.length).toBeGreaterThan(40);
    expect(preRoll.length).toBeGreaterThan(5);
    for (const f of afterScan) expect(textRecall(f.pixels, withOrder), `frame at ${f.atMs - start} ms`).toBeGreaterThan(0.9);
    // The pre-roll shows "—": neither the waybill nor the order.
    for (const f of preRoll) expect(textRecall(f.pixels, waybillOnly)).toBeLessThan(0.5);
  });
});
