/**
 * A clip of a two-camera station in a real Chromium: the clip page plays the main camera large and
 * the other small beside it, the small one follows the large one's seeks, and a click swaps them
 * (the large player keeps its place). Two demo cameras of different sizes tell the videos apart.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clip } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { camerasRecording, recordClip } from '../helpers/station-api.js';
import { waitFor } from '../helpers/station-process.js';
import { videoSize } from '../helpers/video-size.js';

describe('the clip page shows every camera and swaps them (Chromium)', () => {
  const fx = stationInBrowser({ station: { camera: 'demo:640x360@15', args: ['--camera', 'demo:320x240@15'] } });
  let clip: Clip;

  beforeAll(async () => {
    await camerasRecording(fx.station, 2);
    clip = await recordClip(fx.station, '123456789012345678', { holdMs: 3_000, cameras: 2 });
  }, 90_000);

  it('plays the main camera large and the other small; the small one follows a seek; a click swaps them', async () => {
    const page = await fx.newPage({ hash: `#/clips/${clip.id}`, ready: `[data-testid="clip-page"][data-clip-id="${clip.id}"]` });
    const large = page.locator('[data-testid="clip-video"]');
    const small = page.locator('[data-testid="camera-view"]');
    await small.waitFor({ timeout: 10_000 });
    expect(await large.getAttribute('data-camera')).toBe('demo');
    expect(await small.count()).toBe(1);
    expect(await small.getAttribute('data-camera')).toBe('demo-2');
    expect(await videoSize(page, '[data-testid="clip-video"]')).toBe('640x360');
    expect(await videoSize(page, '[data-testid="camera-view"] video')).toBe('320x240');

    // Seek the large player: the small one goes to the same moment.
    await large.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 2;
    });
    await waitFor(async () => {
      const t = await page.locator('[data-testid="camera-view"] video').evaluate((v: HTMLVideoElement) => v.currentTime);
      return Math.abs(t - 2) < 0.1 ? t : undefined;
    }, 5_000, 'the small view at 2 s');

    await small.click();
    await waitFor(async () => ((await large.getAttribute('data-camera')) === 'demo-2' ? true : undefined), 5_000, 'the swap');
    expect(await videoSize(page, '[data-testid="clip-video"]')).toBe('320x240');
    expect(await large.evaluate((v: HTMLVideoElement) => v.currentSrc)).toContain(`/api/clips/${clip.id}/video?camera=demo-2`);
    // The large player kept its place across the swap, and the main camera is now the small one.
    await waitFor(async () => {
      const t = await large.evaluate((v: HTMLVideoElement) => v.currentTime);
      return Math.abs(t - 2) < 0.1 ? t : undefined;
    }, 5_000, 'the swapped-in video at 2 s');
    expect(await small.getAttribute('data-camera')).toBe('demo');
    await small.click();
    await waitFor(async () => ((await large.getAttribute('data-camera')) === 'demo' ? true : undefined), 5_000, 'the swap back');
  });

  it('offers the side-by-side video in the export panel; the export lists it for download, as an MP4 of both views', async () => {
    const page = await fx.newPage({ hash: `#/clips/${clip.id}`, ready: `[data-testid="clip-page"][data-clip-id="${clip.id}"]` });
    const option = page.locator('[data-testid="export-composite"]');
    await option.waitFor({ timeout: 10_000 });
    await option.check();
    await page.locator('[data-testid="export-start"]').click();
    await page.locator('[data-testid="export-files"]').waitFor({ timeout: 120_000 });
    const link = page.locator('[data-testid="export-file-composite"]');
    await link.waitFor();
    expect(await link.getAttribute('download')).toMatch(new RegExp(`_clip-${clip.id}_composite\\.mp4$`));
    // Played by the browser itself: both views side by side at the main camera's height.
    const size = await page.evaluate(async (href) => {
      const v = document.createElement('video');
      v.muted = true;
      v.src = href;
      await new Promise((r, j) => {
        v.addEventListener('loadedmetadata', r, { once: true });
        v.addEventListener('error', j, { once: true });
      });
      return `${v.videoWidth}x${v.videoHeight}`;
    }, (await link.getAttribute('href'))!);
    expect(size).toBe('1280x360');
  });
});
