/**
 * The station screen shows every camera's live picture (the main camera large, the other small), in
 * a real Chromium against a station with two demo cameras; and a hidden page closes its streams, so
 * the station stops making previews nobody can see (read from its process list), and shows them
 * again when the page is visible.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PREVIEW_LINGER_MS } from '../../electron/station/limits.js';
import { ffmpegChildren } from '../helpers/processes.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

const PREVIEW = '[data-testid="live-preview"]';
const MAIN = '.live-previews__main [data-testid="live-preview"]';
const SIDE = '.live-previews__others [data-testid="live-preview"]';

/** Every live picture on the page has a decoded frame. */
const allShowing = (page: Page, count: number): Promise<unknown> =>
  page.waitForFunction(
    ([sel, n]) => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(sel as string));
      return imgs.length === n && imgs.every((i) => i.naturalWidth > 0);
    },
    [PREVIEW, count] as const,
    { timeout: 20_000 },
  );

/** What the browser does when the tab is put in the background or the app window minimised. */
const setHidden = (page: Page, hidden: boolean): Promise<void> =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

describe('live pictures of every camera (Chromium)', () => {
  const fx = stationInBrowser({ station: { camera: 'demo:640x360@15', args: ['--camera', 'demo:320x240@15'] }, timeoutMs: 90_000 });
  const previews = () => ffmpegChildren(fx.station.proc.pid!).filter((p) => p.preview);

  for (const locale of ['zh-CN', 'en-US']) {
    it(`shows the main camera large and the other small, each named (${locale})`, async () => {
      const page = await fx.newPage({ locale, viewport: { width: 1280, height: 720 }, ready: MAIN });
      await allShowing(page, 2);
      expect(await page.$eval(MAIN, (i) => (i as HTMLImageElement).naturalWidth)).toBe(512);
      expect(await page.$eval(SIDE, (i) => (i as HTMLImageElement).naturalWidth)).toBe(320);
      const main = (await page.locator('.live-previews__main .live-preview').boundingBox())!;
      const side = (await page.locator('.live-previews__others .live-preview').boundingBox())!;
      expect(main.width).toBeGreaterThan(side.width * 2);
      expect(await page.locator('[data-testid="live-preview-name"]').allTextContents()).toEqual(['demo', 'demo-2']);
      const alts = await page.locator(PREVIEW).evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
      expect(alts).toEqual(locale === 'zh-CN' ? ['摄像头 demo 的实时画面', '摄像头 demo-2 的实时画面'] : ['Live picture of camera demo', 'Live picture of camera demo-2']);
      expect(previews()).toHaveLength(2);
      await page.screenshot({ path: `/tmp/live-previews-${locale}.png` });
    });
  }

  it('closes the streams while the page is hidden, so the station stops its previews, and opens them again when shown', async () => {
    const page = await fx.newPage({ viewport: { width: 1280, height: 720 }, ready: MAIN });
    await allShowing(page, 2);
    expect(previews()).toHaveLength(2);
    await setHidden(page, true);
    expect(await page.locator(PREVIEW).count()).toBe(0);
    expect(await page.locator('[data-testid="live-preview-placeholder"]').first().textContent()).toContain('paused');
    await waitFor(async () => (previews().length === 0 ? true : undefined), PREVIEW_LINGER_MS + 5_000, 'the previews to stop');
    await setHidden(page, false);
    await allShowing(page, 2);
    expect(previews()).toHaveLength(2);
  });
});
