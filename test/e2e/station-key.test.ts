/**
 * The station's signing-key fingerprint on its three screens, in a real Chromium against a real
 * station: the whole 64 digits (grouped for reading) on the station screen's status panel, the
 * settings screen and the health page, in English and Chinese, equal to GET /api/status's; the Copy
 * button puts the 64 digits on the clipboard. A recipient checks bundles against this, so a prefix
 * or a different key on any screen would be a defect.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routes, StatusResponse } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

const SCREENS = [
  { name: 'station screen', hash: '', testId: 'status-station-key' },
  { name: 'settings screen', hash: '#/settings', testId: 'settings-station-key' },
  { name: 'health page', hash: '#/health', testId: 'health-station-key' },
] as const;

describe('station key fingerprint on screen (Chromium)', () => {
  let station: StationProcess | undefined;
  let browser: Browser | undefined;
  let fingerprint: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [station, browser] = await Promise.all([startStation(), launchChromium()]);
    fingerprint = StatusResponse.parse(await (await station.api(routes.status)).json()).stationKey!.fingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  async function open(locale: string, hash: string): Promise<Page> {
    const context = await browser!.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    // 127.0.0.1 is a secure context, so the Clipboard API is there once the permissions are granted.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(station!.url).origin });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    // Not 'load': the station screen's MJPEG preview never finishes loading.
    const res = await page.goto(station!.url + hash, { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    return page;
  }

  for (const screen of SCREENS) {
    it(`shows the whole fingerprint on the ${screen.name}, grouped, and Copy puts its 64 digits on the clipboard`, async () => {
      const page = await open('en-US', screen.hash);
      const digits = page.locator(`[data-testid="${screen.testId}-fingerprint"]`);
      await digits.waitFor({ timeout: 15_000 });
      const shown = (await digits.textContent())!.trim();
      expect(shown).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
      expect(shown.replace(/ /g, '')).toBe(fingerprint);

      const copy = page.locator(`[data-testid="${screen.testId}-copy"]`);
      expect(await copy.getAttribute('data-copy')).toBe(fingerprint);
      expect((await copy.textContent())!.trim()).toBe('Copy');
      await page.evaluate(() => navigator.clipboard.writeText('something else'));
      await copy.click();
      await expect.poll(() => copy.textContent(), { timeout: 5_000 }).toBe('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fingerprint);
    }, 60_000);
  }

  it('labels it in Chinese, with the same digits, on every screen', async () => {
    for (const screen of SCREENS) {
      const page = await open('zh-CN', screen.hash);
      const digits = page.locator(`[data-testid="${screen.testId}-fingerprint"]`);
      await digits.waitFor({ timeout: 15_000 });
      expect((await digits.textContent())!.replace(/ /g, '')).toBe(fingerprint);
      expect((await page.locator(`[data-testid="${screen.testId}-copy"]`).textContent())!.trim()).toBe('复制');
      if (screen.hash !== '') expect(await page.locator('body').textContent()).toContain('packwitness verify 只有对照它才能证明证据包出自本工作站');
      else expect(await page.locator('[data-testid="station-key"] dt').textContent()).toBe('签名密钥指纹');
    }
  }, 90_000);
});
