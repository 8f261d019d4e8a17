/**
 * LAN mode in a real Chromium: a customer-service PC opens the station's address without the READY
 * link, gets the password form (not the "open the READY link" notice), logs in, finds a clip, and
 * cannot reach the station screen; logging out brings the form back.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';
import { scannerTypes } from '../helpers/wedge-keys.js';
import { recordCrash } from '../../electron/station/crash-log.js';

const PASSWORD = 'packing-room 7';
const WAYBILL = 'SF1122334455667';

describe('viewer login (Chromium, LAN mode)', () => {
  const fx = stationInBrowser({ station: { args: ['--host', '0.0.0.0'], env: { PACKWITNESS_VIEWER_PASSWORD: PASSWORD } } });

  let clipId: number;

  beforeAll(async () => {
    const post = (code: string) => fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    await waitFor(async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json()).segmentCount > 0, 30_000, 'the first segment');
    clipId = ScanResponse.parse(await (await post(WAYBILL)).json()).id!;
    await new Promise((r) => setTimeout(r, 2_000));
    await post('PW-STOP');
    await waitFor(async () => Clip.parse(await (await fx.station.api(routes.clip(clipId))).json()).video, 30_000, 'the clip video');
  }, 90_000);

  async function openWithoutToken(locale: string, hash: string): Promise<Page> {
    const page = await fx.newPage({ locale, navigate: false });
    // The address a colleague types: no ?token=.
    const res = await page.goto(`${fx.station.origin}/${hash}`, { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    return page;
  }

  it('asks for the viewer password, refuses a wrong one, and opens the library with the right one', async () => {
    const page = await openWithoutToken('zh-CN', '#/library');
    const form = page.locator('[data-testid="login"]');
    await form.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="unauthorized"]').count()).toBe(0);
    expect(await form.locator('h1').textContent()).toBe('登录视频库');
    await page.screenshot({ path: '/tmp/viewer-login.png' });

    await page.locator('[data-testid="login-password"]').fill('not the password');
    await page.locator('[data-testid="login-submit"]').click();
    await expect(page.locator('[data-testid="login-error"]').textContent({ timeout: 10_000 })).resolves.toBe('密码错误。');

    await page.locator('[data-testid="login-password"]').fill(PASSWORD);
    await page.locator('[data-testid="login-submit"]').click();
    const box = page.locator('[data-testid="clip-search"]');
    await box.waitFor({ timeout: 15_000 });
    await box.fill('55667');
    await box.press('Enter');
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipId}"]`).waitFor({ timeout: 10_000 });

    // A viewer's PC has no scanner: keys as fast as a scanner's are typing here, never a scan.
    const scansBefore = ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=200`)).json()).scans.length;
    await box.fill('');
    await scannerTypes(page, WAYBILL);
    await expect.poll(() => box.inputValue(), { timeout: 5_000 }).toBe(WAYBILL);
    await page.locator(`[data-testid="clip-results"][data-query="${WAYBILL}"] [data-testid="clip-row"][data-clip-id="${clipId}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="scan-toast"]').count()).toBe(0);
    expect(ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=200`)).json()).scans.length).toBe(scansBefore);

    // The station screen (scanning, live camera) is the operator's: a viewer lands back in the library.
    expect(await page.locator('[data-testid="nav-station"]').count()).toBe(0);
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.waitForFunction(() => window.location.hash.startsWith('#/library'), null, { timeout: 5_000 });
    await box.waitFor();

    // Settings are the operator's too: no link, the address lands in the library, and the API refuses
    // the settings and the camera test (which would spawn ffmpeg against any address).
    expect(await page.locator('[data-testid="nav-settings"]').count()).toBe(0);
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.waitForFunction(() => window.location.hash.startsWith('#/library'), null, { timeout: 5_000 });
    const refused = await page.evaluate(async () => {
      const post = (path: string, body: unknown) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
      return [
        await post('/api/cameras/test', { spec: 'rtsp://127.0.0.1:9/x' }),
        await fetch('/api/settings/station').then((r) => r.status),
        await fetch('/api/settings/station', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"stationName":"x","operatorName":""}' }).then((r) => r.status),
        await fetch('/api/settings/display').then((r) => r.status),
      ];
    });
    expect(refused).toEqual([403, 403, 403, 200]);

    await page.locator('[data-testid="logout"]').click();
    await form.waitFor({ timeout: 10_000 });
  });

  // ---- Crash log panel: the operator's; a viewer's health page leaves it out. ----
  it('shows a viewer the health page without the crash panel (the route answers 403)', async () => {
    recordCrash(fx.station.dataDir, 'main', new Error('a crash the operator may see'));
    const page = await openWithoutToken('en-US', '#/library');
    await page.locator('[data-testid="login-password"]').fill(PASSWORD);
    await page.locator('[data-testid="login-submit"]').click();
    await page.locator('[data-testid="clip-search"]').waitFor({ timeout: 15_000 });
    const crashAnswer = page.waitForResponse((r) => r.url().includes('/api/logs/crash'), { timeout: 15_000 });
    await page.evaluate(() => (window.location.hash = '#/health'));
    await page.locator('[data-testid="last-errors"]').waitFor({ timeout: 15_000 });
    expect((await crashAnswer).status()).toBe(403);
    expect(await page.locator('[data-testid="crash-panel"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('a crash the operator may see');
    // The operator's token still reads it: the panel is missing for the viewer, not for want of a crash.
    expect((await fx.station.api(routes.crashLog)).status).toBe(200);
  });

  it('shows the English form to an English browser, from the station screen’s address too', async () => {
    const page = await openWithoutToken('en-US', '');
    await page.locator('[data-testid="login"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="login"] h1').textContent()).toBe('Log in to the clip library');
  });
});
