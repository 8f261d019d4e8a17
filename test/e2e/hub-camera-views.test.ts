/**
 * A two-camera station's clip on the hub, in a real Chromium: the hub serves the station's React
 * clip page, which plays the main camera large and the other small (both from the hub's copies), and
 * a click swaps them. A real hub (embedded PostgreSQL) and a station with two demo cameras of
 * different sizes, so the videos are told apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, routes, type StatusResponse } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { startHub, type HubProcess } from '../helpers/hub-process.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

let hub: HubProcess;
let station: StationProcess;
let browser: Browser;

beforeAll(async () => {
  [hub, browser] = await Promise.all([startHub(), launchChromium()]);
  const token = ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
  station = await startStation({ camera: 'demo:640x360@15', args: ['--camera', 'demo:320x240@15', '--station', 'Bench D', '--hub', hub.origin, '--hub-token', token] });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await hub?.stop();
});

describe('the hub’s clip page shows every camera (Chromium)', () => {
  it('plays the main camera large and the other small from the hub, and a click swaps them', async () => {
    await waitFor(async () => {
      const s = (await (await station.api(routes.status)).json()) as StatusResponse;
      return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') && s.segmentCount > 3 ? true : undefined;
    }, 30_000, 'both cameras recording');
    const post = (code: string): Promise<Response> => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const stationClipId = ((await (await post('SF7000888999')).json()) as { id: number }).id;
    await sleep(3_000);
    await post('PW-STOP');
    const onHub = await waitFor(async () => {
      const item = ((await (await hub.api('/api/clips?q=888999')).json()) as { items: Array<{ id: number; stationClipId: number; hasVideo: boolean }> }).items.find((c) => c.stationClipId === stationClipId);
      if (!item?.hasVideo) return undefined;
      const c = Clip.parse(await (await hub.api(`/api/clips/${item.id}`)).json());
      return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
    }, 60_000, 'the clip on the hub with both cameras');

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    expect((await page.goto(`${hub.url}#/clips/${onHub.id}`, { waitUntil: 'domcontentloaded' }))?.status()).toBe(200);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${onHub.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="hub-clip-station"]').textContent()).toBe('Bench D');
    const large = page.locator('[data-testid="clip-video"]');
    const small = page.locator('[data-testid="camera-view"]');
    await small.waitFor({ timeout: 10_000 });
    expect(await large.getAttribute('data-camera')).toBe('demo');
    expect(await small.getAttribute('data-camera')).toBe('demo-2');
    const sizeOf = (sel: string) =>
      page.locator(sel).evaluate(async (v: HTMLVideoElement) => {
        if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
        return `${v.videoWidth}x${v.videoHeight}`;
      });
    expect(await sizeOf('[data-testid="clip-video"]')).toBe('640x360');
    expect(await sizeOf('[data-testid="camera-view"] video')).toBe('320x240');
    expect(await page.locator('[data-testid="camera-view"] video').evaluate((v: HTMLVideoElement) => v.currentSrc)).toBe(`${hub.origin}/api/clips/${onHub.id}/video?camera=demo-2`);

    await small.click();
    await waitFor(async () => ((await large.getAttribute('data-camera')) === 'demo-2' ? true : undefined), 5_000, 'the swap');
    expect(await sizeOf('[data-testid="clip-video"]')).toBe('320x240');
    expect(await small.getAttribute('data-camera')).toBe('demo');
    await context.close();
  });
});
