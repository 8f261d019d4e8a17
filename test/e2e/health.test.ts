/**
 * The health page in a real Chromium against a real station: reached from the library's navigation,
 * it shows tiles with the station's real numbers, in English and in Chinese, and keeps refreshing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthReport, routes, StatusResponse } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('health page (Chromium)', () => {
  let station: StationProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [station, browser] = await Promise.all([startStation(), launchChromium()]);
    await waitFor(async () => {
      const s = StatusResponse.parse(await (await station!.api(routes.status)).json());
      return s.recording && s.segmentCount >= 2 ? s : undefined;
    }, 30_000, 'the station to record');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  async function open(locale: string, hash: string): Promise<Page> {
    const context = await browser!.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    const res = await page.goto(station!.url + hash, { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    return page;
  }

  const text = async (page: Page, testId: string) => (await page.locator(`[data-testid="${testId}"]`).textContent())?.trim() ?? '';

  it('is linked from the library and shows the real counts, disk and forecast', async () => {
    const page = await open('en-US', '#/library');
    await page.locator('[data-testid="nav-health"]').click();
    await page.locator('[data-testid="tile-forecast"]').waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('#/health');

    // Every tile is there.
    for (const id of ['tile-forecast', 'tile-disk', 'tile-counts', 'tile-oldest', 'tile-restarts', 'tile-uptime', 'last-errors']) {
      await page.locator(`[data-testid="${id}"]`).waitFor();
    }
    // Minutes of footage: no forecast yet, and it says so.
    expect(await text(page, 'forecast-value')).toBe('not enough data yet');
    expect(await page.locator('[data-testid="forecast-value"]').getAttribute('data-state')).toBe('not-enough-data');

    const report = HealthReport.parse(await (await station!.api(routes.healthReport)).json());
    expect(await text(page, 'count-clips')).toBe(String(report.counts.clips));
    expect(await text(page, 'count-gaps')).toBe(String(report.counts.gaps));
    expect(await text(page, 'restarts-today')).toBe(String(report.ffmpegRestartsToday));
    expect(await text(page, 'disk-free')).toMatch(/^\d+(\.\d)? [KMGT]?B free of \d+(\.\d)? [KMGT]?B$/);
    expect(await text(page, 'disk-footage')).toMatch(/^footage: \d+(\.\d)? (KB|MB)$/);

    // The segment count keeps growing on screen: the page refreshes by itself.
    const first = Number((await text(page, 'count-segments')).replace(/,/g, ''));
    expect(first).toBeGreaterThanOrEqual(2);
    await waitFor(async () => Number((await text(page, 'count-segments')).replace(/,/g, '')) > first, 15_000, 'the segment count to grow on screen');
  }, 60_000);

  it('speaks Chinese', async () => {
    const page = await open('zh-CN', '#/health');
    await page.locator('[data-testid="tile-forecast"]').waitFor({ timeout: 10_000 });
    expect(await text(page, 'forecast-value')).toBe('数据不足，暂无法估算');
    expect(await text(page, 'disk-free')).toContain('可用');
    expect(await text(page, 'nav-health')).toBe('运行状况');
  }, 60_000);
});
