/**
 * A two-camera station's clip on the hub, in a real Chromium: the hub serves the station's React
 * clip page, which plays the main camera large and the other small (both from the hub's copies), and
 * a click swaps them. A real hub (embedded PostgreSQL) and a station with two demo cameras of
 * different sizes, so the videos are told apart.
 */
import { describe, expect, it } from 'vitest';
import { hubInBrowser } from '../helpers/hub-browser.js';
import { hubClipWithCameras } from '../helpers/hub-process.js';
import { camerasRecording, recordClip } from '../helpers/station-api.js';
import { waitFor } from '../helpers/station-process.js';
import { videoSize } from '../helpers/video-size.js';

const fx = hubInBrowser({ stations: [{ camera: 'demo:640x360@15', args: ['--camera', 'demo:320x240@15', '--station', 'Bench D'] }] });

describe('the hub’s clip page shows every camera (Chromium)', () => {
  it('plays the main camera large and the other small from the hub, and a click swaps them', async () => {
    const station = fx.stations[0]!;
    await camerasRecording(station, 2);
    const stationClipId = (await recordClip(station, 'SF7000888999', { holdMs: 3_000 })).id;
    const onHub = await hubClipWithCameras(fx.hub, '888999', stationClipId, 2);

    const page = await fx.openPage({ hash: `#/clips/${onHub.id}` });
    await page.locator(`[data-testid="clip-page"][data-clip-id="${onHub.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="hub-clip-station"]').textContent()).toBe('Bench D');
    const large = page.locator('[data-testid="clip-video"]');
    const small = page.locator('[data-testid="camera-view"]');
    await small.waitFor({ timeout: 10_000 });
    expect(await large.getAttribute('data-camera')).toBe('demo');
    expect(await small.getAttribute('data-camera')).toBe('demo-2');
    expect(await videoSize(page, '[data-testid="clip-video"]')).toBe('640x360');
    expect(await videoSize(page, '[data-testid="camera-view"] video')).toBe('320x240');
    expect(await page.locator('[data-testid="camera-view"] video').evaluate((v: HTMLVideoElement) => v.currentSrc)).toBe(`${fx.hub.origin}/api/clips/${onHub.id}/video?camera=demo-2`);

    await small.click();
    await waitFor(async () => ((await large.getAttribute('data-camera')) === 'demo-2' ? true : undefined), 5_000, 'the swap');
    expect(await videoSize(page, '[data-testid="clip-video"]')).toBe('320x240');
    expect(await small.getAttribute('data-camera')).toBe('demo');
    await page.context().close();
  });
});
