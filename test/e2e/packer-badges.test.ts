/**
 * Packers' badges in Chromium (zh-CN): the operator adds a packer in the settings screen, prints the
 * badge sheet and finds the name in large type over a Code128 barcode of the badge code; a code the
 * station's badge rule would not read is refused in Chinese; printing shows the sheet alone.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackersResponse, ScanResponse, routes } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

describe('printing packers’ badges from the settings screen (Chromium, zh-CN)', () => {
  let station: StationProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    [station, browser] = await Promise.all([startStation(), launchChromium()]);
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(station.url, { waitUntil: 'domcontentloaded' });
    await page.evaluate(() => (location.hash = '#/settings'));
    await page.locator('[data-testid="settings-packers"]').waitFor({ timeout: 10_000 });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  it('adds a packer, and the badge sheet shows the name over a barcode of the badge code', async () => {
    const section = page.locator('[data-testid="settings-packers"]');
    expect(await section.locator('h2').textContent()).toBe('打包员与工牌');
    await page.locator('[data-testid="packers-empty"]').waitFor();
    expect(await page.locator('[data-testid="packers-print"]').isDisabled()).toBe(true);

    // A code the badge rule (PK-…) would not read: the station says so, in Chinese.
    await page.locator('[data-testid="packer-code"]').fill('SF123456');
    await page.locator('[data-testid="packer-name"]').fill('周杰');
    await page.locator('[data-testid="packer-add"]').click();
    expect(await page.locator('[data-testid="packers-error"]').textContent()).toContain('扫码规则不会把 SF123456 识别为工牌');

    await page.locator('[data-testid="packer-code"]').fill('pk-zhou');
    await page.locator('[data-testid="packer-name"]').fill('周<b>杰</b>');
    await page.locator('[data-testid="packer-add"]').click();
    const row = page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="packer-row-name"]').inputValue()).toBe('周<b>杰</b>');
    expect(PackersResponse.parse(await (await station!.api(routes.packers)).json()).packers.map((p) => [p.code, p.name])).toEqual([['PK-ZHOU', '周<b>杰</b>']]);

    await page.locator('[data-testid="packers-print"]').click();
    const sheet = page.locator('[data-testid="badge-sheet"]');
    await sheet.waitFor();
    expect(await sheet.locator('h1').textContent()).toContain('打包员工牌');
    const badge = sheet.locator('[data-testid="badge-card"][data-code="PK-ZHOU"]');
    expect(await badge.locator('[data-testid="badge-name"]').textContent()).toBe('周<b>杰</b>');
    // The name is text, never markup.
    expect(await sheet.locator('b').count()).toBe(0);
    const barcode = badge.locator('svg[data-testid="badge-barcode"]');
    expect(await barcode.getAttribute('aria-label')).toBe('PK-ZHOU');
    // jsbarcode drew bars and the human-readable code under them.
    expect(await barcode.locator('rect').count()).toBeGreaterThan(20);
    expect(await barcode.locator('text').textContent()).toBe('PK-ZHOU');
    // Large: the name is the biggest text on the badge.
    const nameSize = await badge.locator('[data-testid="badge-name"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(nameSize).toBeGreaterThanOrEqual(36);

    // Printed, the sheet is all there is on the page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#root').isVisible()).toBe(false);
    expect(await badge.isVisible()).toBe(true);
    expect(await sheet.locator('[data-testid="print-badge-sheet"]').isVisible()).toBe(false);
    await page.screenshot({ path: '/tmp/packer-badges-print.png', fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });

  it('a clip packed under the badge shows the packer’s name in the library and on the clip page; the library finds it by the name', async () => {
    const scan = async (code: string) =>
      ScanResponse.parse(await (await station!.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    expect((await scan('PK-ZHOU')).packerName).toBe('周<b>杰</b>');
    const start = await scan('SF2718281828459');
    await scan('PW-STOP');
    await scan('PW-LOGOUT');
    await page.goto(`${station!.origin}/#/library?packer=${encodeURIComponent('周<b>杰</b>')}`, { waitUntil: 'domcontentloaded' });
    const row = page.locator(`[data-testid="clip-row"][data-clip-id="${start.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-row"]').count()).toBe(1);
    expect(await row.locator('[data-testid="clip-row-packer"]').textContent()).toBe('打包员: 周<b>杰</b> (PK-ZHOU)');
    await page.goto(`${station!.origin}/#/clips/${start.id}`, { waitUntil: 'domcontentloaded' });
    const packer = page.locator('[data-testid="clip-packer"]');
    await packer.waitFor({ timeout: 10_000 });
    expect(await packer.textContent()).toBe('周<b>杰</b> (PK-ZHOU)');
    expect(await page.locator('[data-testid="clip-packer"] b').count()).toBe(0);
    await page.goto(`${station!.origin}/#/settings`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]').waitFor({ timeout: 10_000 });
  });

  it('renames and removes a packer from the list', async () => {
    const row = page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]');
    await row.locator('[data-testid="packer-row-name"]').fill('周杰伦');
    await row.locator('[data-testid="packer-rename"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="packer-rename"]')?.hasAttribute('disabled'));
    expect(PackersResponse.parse(await (await station!.api(routes.packers)).json()).packers[0]!.name).toBe('周杰伦');
    await row.locator('[data-testid="packer-remove"]').click();
    await page.locator('[data-testid="packers-empty"]').waitFor({ timeout: 10_000 });
  });
});
