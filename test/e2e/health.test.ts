/**
 * The health page in a real Chromium against a real station: reached from the library's navigation,
 * it shows tiles with the station's real numbers, in English and in Chinese, and keeps refreshing.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrashLogResponse, HealthReport, routes } from '../../shared/api.js';
import { crashLogPath, recordCrash } from '../../electron/station/crash-log.js';
import { stationRecording } from '../helpers/station-api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

describe('health page (Chromium)', () => {
  const fx = stationInBrowser();

  beforeAll(async () => {
    await stationRecording(fx.station, 1);
  });

  async function open(locale: string, hash: string): Promise<Page> {
    return fx.newPage({ locale, hash });
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

    const report = HealthReport.parse(await (await fx.station.api(routes.healthReport)).json());
    expect(await text(page, 'count-clips')).toBe(String(report.counts.clips));
    expect(await text(page, 'count-gaps')).toBe(String(report.counts.gaps));
    expect(await text(page, 'restarts-today')).toBe(String(report.ffmpegRestartsToday));
    expect(await text(page, 'memory-rss')).toMatch(/^memory: \d+(\.\d)? MB$/);
    expect(await text(page, 'disk-free')).toMatch(/^\d+(\.\d)? [KMGT]?B free of \d+(\.\d)? [KMGT]?B$/);
    expect(await text(page, 'disk-footage')).toMatch(/^footage: \d+(\.\d)? (KB|MB)$/);

    // The segment count keeps growing on screen: the page refreshes by itself.
    const first = Number((await text(page, 'count-segments')).replace(/,/g, ''));
    expect(first).toBeGreaterThanOrEqual(2);
    await waitFor(async () => Number((await text(page, 'count-segments')).replace(/,/g, '')) > first, 15_000, 'the segment count to grow on screen');
  }, 60_000);

  // ---- Crash log panel ----
  it('shows the crash log to the operator: count, newest entry with its stack, the file, the JSON link', async () => {
    // Real entries in the station's own log (it reads the file on each request); the newest last.
    recordCrash(fx.station.dataDir, 'renderer', 'render process gone', { reason: 'oom', exitCode: 9 });
    recordCrash(fx.station.dataDir, 'main', new TypeError('cannot read properties of undefined (reading "spec")'));
    const page = await open('en-US', '#/health');
    const panel = page.locator('[data-testid="crash-panel"]');
    await panel.waitFor({ timeout: 10_000 });
    expect(await text(page, 'crash-count')).toBe('2 crash(es) in the log');
    const entries = page.locator('[data-testid="crash-entry"]');
    expect(await entries.count()).toBe(2);
    const newest = entries.first();
    expect(await newest.textContent()).toContain('main TypeError: cannot read properties of undefined (reading "spec")');
    // The stack is folded away until asked for.
    const stack = newest.locator('pre');
    expect(await stack.isVisible()).toBe(false);
    await newest.locator('summary').click();
    expect(await stack.textContent()).toMatch(/^TypeError: cannot read properties[^\n]*\n\s+at /);
    expect(await entries.nth(1).textContent()).toContain('renderer render process gone');
    expect(await text(page, 'crash-file')).toBe(crashLogPath(fx.station.dataDir));

    // The link opens the route's JSON in a new tab, with the same (cookie) login.
    const link = page.locator('[data-testid="crash-json-link"]');
    expect(await link.getAttribute('target')).toBe('_blank');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState('domcontentloaded');
    const body = CrashLogResponse.parse(JSON.parse((await tab.locator('body').textContent()) ?? ''));
    expect(body.total).toBe(2);
    expect(body.entries.map((e) => e.source)).toEqual(['main', 'renderer']);

    // Chinese.
    const zh = await open('zh-CN', '#/health');
    await zh.locator('[data-testid="crash-panel"] h2').waitFor({ timeout: 10_000 });
    expect(await zh.locator('[data-testid="crash-panel"] h2').textContent()).toBe('崩溃记录');
    expect(await text(zh, 'crash-count')).toBe('日志中共有 2 次崩溃');
  }, 60_000);

  it('speaks Chinese', async () => {
    const page = await open('zh-CN', '#/health');
    await page.locator('[data-testid="tile-forecast"]').waitFor({ timeout: 10_000 });
    expect(await text(page, 'forecast-value')).toBe('数据不足，暂无法估算');
    expect(await text(page, 'disk-free')).toContain('可用');
    expect(await text(page, 'nav-health')).toBe('运行状况');
    expect(await text(page, 'memory-rss')).toMatch(/^内存：\d+(\.\d)? MB$/);
    // Units in the UI language: a just-started station has been up for minutes, 分钟 and not "min".
    expect(await text(page, 'uptime')).toMatch(/^\d+ 分钟$/);
  }, 60_000);
});
