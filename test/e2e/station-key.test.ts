/**
 * The station's signing-key fingerprint on its three screens, in a real Chromium against a real
 * station: the whole 64 digits (grouped for reading) on the station screen's status panel, the
 * settings screen and the health page, in English and Chinese, equal to GET /api/status's; the Copy
 * button puts the 64 digits on the clipboard. A recipient checks bundles against this, so a prefix
 * or a different key on any screen would be a defect.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, StatusResponse } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';

const SCREENS = [
  { name: 'station screen', hash: '', testId: 'status-station-key' },
  { name: 'settings screen', hash: '#/settings', testId: 'settings-station-key' },
  { name: 'health page', hash: '#/health', testId: 'health-station-key' },
] as const;

describe('station key fingerprint on screen (Chromium)', () => {
  const fx = stationInBrowser();
  let fingerprint: string;

  beforeAll(async () => {
    fingerprint = StatusResponse.parse(await (await fx.station.api(routes.status)).json()).stationKey!.fingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  async function open(locale: string, hash: string): Promise<Page> {
    return fx.newPage({
      locale,
      hash,
      // 127.0.0.1 is a secure context, so the Clipboard API is there once the permissions are granted.
      beforeGoto: (_page, context) => context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fx.station.origin }),
    });
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
