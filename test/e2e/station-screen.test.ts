/**
 * The station screen in a real Chromium against a real station process (demo camera): the page a
 * packer looks at must show the live picture and REC while recording, refuse to work without the
 * token, show who is signed in at the bench, and raise the NOT RECORDING banner when the station
 * hangs (no answer) or goes away.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stationInBrowser } from '../helpers/station-browser.js';
import { routes } from '../../shared/api.js';

const SCREENSHOT = '/tmp/station-screen.png';

const INDICATOR = '[data-testid="recording-indicator"]';
const RECORDING = `${INDICATOR}[data-recording="true"]`;
const BANNER = '[data-testid="not-recording-banner"]';
const PREVIEW = '[data-testid="live-preview"]';
const PREVIEW_PLACEHOLDER = '[data-testid="live-preview-placeholder"]';
const STATUS_PANEL = '.status-panel';
/** renderer/src/features/station/station-store.ts: a status older than this no longer proves recording. */
const STALE_AFTER_MS = 3_500;

/**
 * Records every NOT RECORDING banner reason the page shows from now on, however briefly (a
 * MutationObserver sees each render, where sampling the page afterwards could miss one).
 */
async function recordBannerReasons(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate((sel) => {
    const seen: string[] = [];
    (window as unknown as { bannerReasons: string[] }).bannerReasons = seen;
    const check = (): void => {
      const reason = document.querySelector(sel)?.getAttribute('data-reason');
      if (reason && seen.at(-1) !== reason) seen.push(reason);
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    check();
  }, BANNER);
  return () => page.evaluate(() => [...(window as unknown as { bannerReasons: string[] }).bannerReasons]);
}

/** Resolves after the page has received `count` good status answers from now, spread over at least `spanMs`. */
async function statusPolls(page: Page, count: number, spanMs: number): Promise<number> {
  const from = Date.now();
  let n = 0;
  while (n < count || Date.now() - from < spanMs) {
    await page.waitForResponse((r) => new URL(r.url()).pathname === '/api/status' && r.ok(), { timeout: 5_000 });
    n++;
  }
  return n;
}

describe('station screen (Chromium)', () => {
  // Each test's pages go with it: an open page keeps an MJPEG stream to the station.
  const fx = stationInBrowser();

  async function newPage(locale: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
    return fx.newPage({ locale, viewport, navigate: false });
  }

  /** Opens the READY URL (which trades the token for the cookie) and waits for REC. */
  async function openStationScreen(locale: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await newPage(locale, viewport);
    // Not 'load': the MJPEG preview never finishes loading.
    const res = await page.goto(fx.station.url, { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.locator(RECORDING).waitFor({ timeout: 15_000 });
    return page;
  }

  it('shows the live picture and REC, and no NOT RECORDING banner, while the station records', async () => {
    const page = await openStationScreen('zh-CN');
    await page.waitForFunction((sel) => (document.querySelector<HTMLImageElement>(sel)?.naturalWidth ?? 0) > 0, PREVIEW, { timeout: 15_000 });
    const naturalWidth = await page.$eval(PREVIEW, (img) => (img as HTMLImageElement).naturalWidth);
    expect(naturalWidth).toBeGreaterThan(0);
    expect(await page.locator(BANNER).count()).toBe(0);

    // Still fine over more than the staleness limit of polls: the check must not fire on a healthy
    // station, not even for one render.
    const reasons = await recordBannerReasons(page);
    await statusPolls(page, 4, STALE_AFTER_MS + 1_000);
    expect(await reasons()).toEqual([]);
    expect(await page.locator(RECORDING).count()).toBe(1);
    expect(await page.locator(BANNER).count()).toBe(0);

    // A Chinese browser gets the Chinese screen.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // No order open: the camera records (the status panel says so), the bench waits for a scan.
    await expect(page.locator(INDICATOR).textContent()).resolves.toContain('待扫描');
    await expect(page.locator('[data-testid="camera-state"]').textContent()).resolves.toContain('录制中');

    await page.screenshot({ path: SCREENSHOT });
  });

  it('answers 401 to a browser without the token cookie', async () => {
    const page = await newPage('en-US');
    const res = await page.goto(fx.station.origin + '/', { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(401);
  });

  it('keeps the language the operator chose across reloads', async () => {
    const page = await openStationScreen('zh-CN');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator(INDICATOR).textContent()).resolves.toContain('Waiting for scan');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator(RECORDING).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect(page.locator(INDICATOR).textContent()).resolves.toContain('Waiting for scan');
  });

  it('shows the packer signed in, name large and badge code small, or that nobody is; it fits 1280x720 and 1366x768', async () => {
    const post = (path: string, body: unknown): Promise<Response> =>
      fx.station.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Markup in a name stays text.
    const name = '欧阳明月 <i>A</i>';
    expect((await post(routes.packers, { code: 'PK-OUYANG', name })).status).toBe(201);
    /** The box lies inside the window and the page scrolls neither way. */
    const fits = async (page: Page, sel: string): Promise<void> => {
      const box = (await page.locator(sel).boundingBox())!;
      const view = page.viewportSize()!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(view.width);
      expect(box.y + box.height).toBeLessThanOrEqual(view.height);
      const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
      expect(scroll).toEqual([view.width, view.height]);
    };

    const zh = await openStationScreen('zh-CN', { width: 1280, height: 720 });
    await expect(zh.locator('[data-testid="bench-packer-none"]').textContent()).resolves.toBe('未签到');
    await fits(zh, '[data-testid="bench-packer"]');
    expect((await post(routes.scans, { code: 'pk-ouyang' })).status).toBe(200);
    const shown = zh.locator('[data-testid="bench-packer-name"]');
    await shown.waitFor({ timeout: 5_000 });
    expect(await shown.textContent()).toBe(name);
    expect(await zh.locator('[data-testid="bench-packer"] i').count()).toBe(0);
    expect(await zh.locator('[data-testid="bench-packer-code"]').textContent()).toBe('PK-OUYANG');
    await fits(zh, '[data-testid="bench-packer"]');
    const sizes = () =>
      zh.evaluate(() => {
        const n = document.querySelector('[data-testid="bench-packer-name"]')!;
        const i = n.querySelector('.fit-text__inner')!;
        const c = document.querySelector('[data-testid="bench-packer-code"]')!;
        return { inner: i.getBoundingClientRect().width, outer: n.clientWidth, name: parseFloat(getComputedStyle(i).fontSize), code: parseFloat(getComputedStyle(c).fontSize) };
      });
    const usual = await sizes();
    expect(usual.name).toBeGreaterThan(usual.code * 1.8);
    await zh.screenshot({ path: '/tmp/station-screen-packer.png' });
    // A rename of the packer signed in shows at the next poll; the longest name is shown whole, shrunk to the column.
    const longest = '欧阳明月·Wang-Xiaoming 第二班 包装组 夜班 A';
    expect((await fx.station.api(routes.packer('PK-OUYANG'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: longest }) })).status).toBe(200);
    await expect.poll(() => shown.textContent(), { timeout: 5_000 }).toBe(longest);
    await expect.poll(async () => (await sizes()).name, { timeout: 2_000 }).toBeLessThan(usual.name);
    const long = await sizes();
    expect(long.inner).toBeLessThanOrEqual(long.outer);
    await fits(zh, '[data-testid="bench-packer"]');

    // A badge nobody named signs in under its code, shown once; in English, at 1366x768.
    const en = await openStationScreen('en-US', { width: 1366, height: 768 });
    expect((await post(routes.scans, { code: 'PK-TEMP7' })).status).toBe(200);
    await expect.poll(() => en.locator('[data-testid="bench-packer-name"]').textContent(), { timeout: 5_000 }).toBe('PK-TEMP7');
    expect(await en.locator('[data-testid="bench-packer-code"]').count()).toBe(0);
    await fits(en, '[data-testid="bench-packer"]');
    expect((await post(routes.scans, { code: 'PW-LOGOUT' })).status).toBe(200);
    await expect.poll(() => en.locator('[data-testid="bench-packer-none"]').textContent(), { timeout: 5_000 }).toBe('No packer signed in');
    await fits(en, '[data-testid="bench-packer"]');
    await en.screenshot({ path: '/tmp/station-screen-packer-en.png' });
  });

  it('says NOT RECORDING, "No answer from the station", while the station hangs (SIGSTOP), and clears when it resumes', async () => {
    const page = await openStationScreen('en-US');
    await page.waitForFunction((sel) => (document.querySelector<HTMLImageElement>(sel)?.naturalWidth ?? 0) > 0, PREVIEW, { timeout: 15_000 });
    const reasons = await recordBannerReasons(page);
    const pid = fx.station.proc.pid!;
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    try {
      // Hung, not gone: the connection is accepted and nothing answers. The last status goes stale.
      await page.locator(`${BANNER}[data-reason="stale"]`).waitFor({ timeout: STALE_AFTER_MS + 3_000 });
      console.log(`NOT RECORDING (no answer) ${Date.now() - t0} ms after SIGSTOP`);
      const banner = (await page.locator(BANNER).textContent()) ?? '';
      expect(banner).toContain('NOT RECORDING');
      expect(banner).toContain('未在录制');
      expect(banner).toContain('No answer from the station');
      expect(await page.locator(INDICATOR).getAttribute('data-recording')).toBe('false');
      // The numbers stay, marked as the last known ones; the live picture is taken down (its last
      // frame would look like a quiet camera).
      expect(await page.locator(STATUS_PANEL).getAttribute('data-stale')).toBe('true');
      expect(await page.locator(STATUS_PANEL).textContent()).toMatch(/Last known at/);
      expect(await page.locator(PREVIEW).count()).toBe(0);
      expect(await page.locator(PREVIEW_PLACEHOLDER).count()).toBe(1);
      // Never called unreachable on the way: nothing refused the connection.
      expect(await reasons()).toEqual(['stale']);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Resumed: REC again, the banner gone, the numbers current, the live picture back (its stream is
    // opened again once the station answers).
    await page.locator(RECORDING).waitFor({ timeout: 30_000 });
    await page.waitForFunction((sel) => (document.querySelector<HTMLImageElement>(sel)?.naturalWidth ?? 0) > 0, PREVIEW, { timeout: 15_000 });
    expect(await page.locator(BANNER).count()).toBe(0);
    expect(await page.locator(STATUS_PANEL).getAttribute('data-stale')).toBe('false');
    console.log(`banner reasons while hung and resuming: ${(await reasons()).join(' → ')}`);
  });

  it('raises the NOT RECORDING banner within 5 s of the station stopping', async () => {
    const page = await openStationScreen('en-US');
    expect(await page.locator(BANNER).count()).toBe(0);

    const stopped = fx.station.stop();
    const t0 = Date.now();
    await page.locator(BANNER).waitFor({ state: 'visible', timeout: 5_000 });
    const elapsed = Date.now() - t0;
    expect(await page.locator(INDICATOR).getAttribute('data-recording')).toBe('false');
    console.log(`NOT RECORDING banner ${elapsed} ms after SIGTERM (reason: ${await page.locator(BANNER).getAttribute('data-reason')})`);

    // The station does not finish exiting while a browser holds the MJPEG preview open (its HTTP
    // server waits for that response to end), so let go of the page before waiting for the exit.
    await page.context().close();
    expect(await stopped).toBe(0);
  });
});
