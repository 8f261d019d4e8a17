/**
 * Packers' badges in Chromium (zh-CN): the operator adds a packer in the settings screen, prints the
 * badge sheet and finds the name in large type over a Code128 barcode of the badge code; a code the
 * station's badge rule would not read is refused in Chinese; printing shows the sheet alone.
 */
import { describe, expect, it } from 'vitest';
import { PackersResponse, ScanResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';

describe('printing packers’ badges from the settings screen (Chromium, zh-CN)', () => {
  const fx = stationInBrowser({ page: { locale: 'zh-CN', viewport: { width: 1366, height: 900 }, hash: '#/settings', ready: '[data-testid="settings-packers"]', readyTimeoutMs: 10_000 } });

  it('adds a packer, and the badge sheet shows the name over a barcode of the badge code', async () => {
    const section = fx.page.locator('[data-testid="settings-packers"]');
    expect(await section.locator('h2').textContent()).toBe('打包员与工牌');
    await fx.page.locator('[data-testid="packers-empty"]').waitFor();
    expect(await fx.page.locator('[data-testid="packers-print"]').isDisabled()).toBe(true);

    // A code the badge rule (PK-…) would not read: the station says so, in Chinese.
    await fx.page.locator('[data-testid="packer-code"]').fill('SF123456');
    await fx.page.locator('[data-testid="packer-name"]').fill('周杰');
    await fx.page.locator('[data-testid="packer-add"]').click();
    expect(await fx.page.locator('[data-testid="packers-error"]').textContent()).toContain('扫码规则不会把 SF123456 识别为工牌');

    await fx.page.locator('[data-testid="packer-code"]').fill('pk-zhou');
    await fx.page.locator('[data-testid="packer-name"]').fill('周<b>杰</b>');
    await fx.page.locator('[data-testid="packer-add"]').click();
    const row = fx.page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="packer-row-name"]').inputValue()).toBe('周<b>杰</b>');
    expect(PackersResponse.parse(await (await fx.station.api(routes.packers)).json()).packers.map((p) => [p.code, p.name])).toEqual([['PK-ZHOU', '周<b>杰</b>']]);

    await fx.page.locator('[data-testid="packers-print"]').click();
    const sheet = fx.page.locator('[data-testid="badge-sheet"]');
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
    await fx.page.emulateMedia({ media: 'print' });
    expect(await fx.page.locator('#root').isVisible()).toBe(false);
    expect(await badge.isVisible()).toBe(true);
    expect(await sheet.locator('[data-testid="print-badge-sheet"]').isVisible()).toBe(false);
    await fx.page.screenshot({ path: '/tmp/packer-badges-print.png', fullPage: true });
    await fx.page.emulateMedia({ media: 'screen' });
    await fx.page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });

  it('a clip packed under the badge shows the packer’s name in the library and on the clip page; the library finds it by the name', async () => {
    const scan = async (code: string) =>
      ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    expect((await scan('PK-ZHOU')).packerName).toBe('周<b>杰</b>');
    const start = await scan('SF2718281828459');
    await scan('PW-STOP');
    await scan('PW-LOGOUT');
    await fx.page.goto(`${fx.station.origin}/#/library?packer=${encodeURIComponent('周<b>杰</b>')}`, { waitUntil: 'domcontentloaded' });
    const row = fx.page.locator(`[data-testid="clip-row"][data-clip-id="${start.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await fx.page.locator('[data-testid="clip-row"]').count()).toBe(1);
    expect(await row.locator('[data-testid="clip-row-packer"]').textContent()).toBe('打包员: 周<b>杰</b> (PK-ZHOU)');
    await fx.page.goto(`${fx.station.origin}/#/clips/${start.id}`, { waitUntil: 'domcontentloaded' });
    const packer = fx.page.locator('[data-testid="clip-packer"]');
    await packer.waitFor({ timeout: 10_000 });
    expect(await packer.textContent()).toBe('周<b>杰</b> (PK-ZHOU)');
    expect(await fx.page.locator('[data-testid="clip-packer"] b').count()).toBe(0);
    await fx.page.goto(`${fx.station.origin}/#/settings`, { waitUntil: 'domcontentloaded' });
    await fx.page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]').waitFor({ timeout: 10_000 });
  });

  it('renames and removes a packer from the list', async () => {
    const row = fx.page.locator('[data-testid="packer-row"][data-code="PK-ZHOU"]');
    await row.locator('[data-testid="packer-row-name"]').fill('周杰伦');
    await row.locator('[data-testid="packer-rename"]').click();
    await fx.page.waitForFunction(() => document.querySelector('[data-testid="packer-rename"]')?.hasAttribute('disabled'));
    expect(PackersResponse.parse(await (await fx.station.api(routes.packers)).json()).packers[0]!.name).toBe('周杰伦');
    await row.locator('[data-testid="packer-remove"]').click();
    await fx.page.locator('[data-testid="packers-empty"]').waitFor({ timeout: 10_000 });
  });
});
