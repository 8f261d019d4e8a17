/**
 * Orders in Chromium, in Chinese: a packer scans a parcel's waybill and the station screen lists
 * the imported order's items as a large checklist beside the code; the next clip without an order
 * shows none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, StatusResponse } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';
import { scannerTypes } from '../helpers/wedge-keys.js';

const ORDER = '3908000000000000001';
const WAYBILL = '731000000000081';
const CHECKLIST = '[data-testid="order-checklist"]';

describe('the station screen shows a scanned order\'s items (Chromium, zh-CN)', () => {
  const fx = stationInBrowser({
    setup: async (station) => {
      const pushed = await station.api(routes.orders, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          platform: '淘宝',
          orders: [
            {
              orderNo: ORDER,
              buyer: '王小明',
              waybills: [WAYBILL],
              // An item name that looks like markup: shown as text, never as HTML.
              items: [{ name: '纯棉T恤 白色 M', sku: 'TS-WHT-M', qty: 2 }, { name: '帆布袋 <b>限量</b>', sku: 'BAG-01', qty: 1 }],
            },
          ],
        }),
      });
      expect(pushed.status).toBe(200);
    },
    page: { locale: 'zh-CN', viewport: { width: 1366, height: 768 }, ready: '[data-testid="recording-indicator"][data-recording="true"]', readyTimeoutMs: 20_000 },
  });
  beforeAll(async () => {
    await fx.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  });

  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());

  let orderClipId = 0;

  it('a scanned waybill shows the order number and its items, large, beside the code', async () => {
    await scannerTypes(fx.page, 'PK-E2E');
    await waitFor(async () => ((await status()).packer === 'PK-E2E' ? true : undefined), 5_000, 'the packer to sign in');
    await scannerTypes(fx.page, WAYBILL);
    const list = fx.page.locator(CHECKLIST);
    await list.waitFor({ timeout: 5_000 });
    expect(await fx.page.locator('[data-testid="active-codes"]').textContent()).toContain(WAYBILL);
    expect(await list.locator('[data-testid="order-no"]').textContent()).toBe(`订单 ${ORDER}`);
    expect(await list.textContent()).toContain('买家: 王*明');
    const items = list.locator('[data-testid="order-item"]');
    expect(await items.allTextContents()).toEqual(['× 2纯棉T恤 白色 M编码 TS-WHT-M', '× 1帆布袋 <b>限量</b>编码 BAG-01']);
    expect(await list.locator('b').count()).toBe(0);
    // Large: read from across the bench.
    const fontPx = await items.first().locator('label').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(22);
    // Beside the code, inside the band, not hidden under anything.
    expect(await list.isVisible()).toBe(true);
    expect(await fx.page.locator('[data-testid="clip-band"]').locator(CHECKLIST).count()).toBe(1);

    // A tick crosses the item off.
    await items.nth(1).locator('input').check();
    expect(await items.nth(1).getAttribute('data-checked')).toBe('true');
    const s = await status();
    expect(s.activeOrder?.orderNo).toBe(ORDER);
    orderClipId = s.activeClipId!;
  });

  it('the next parcel without an imported order shows no checklist', async () => {
    await scannerTypes(fx.page, '3908999999999999999');
    await waitFor(async () => ((await status()).activeCodes[0] === '3908999999999999999' ? true : undefined), 5_000, 'the switch');
    await fx.page.locator(CHECKLIST).waitFor({ state: 'detached', timeout: 5_000 });
    await scannerTypes(fx.page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
  });

  it('the library filters by packer and the clip page shows the order and the packer', async () => {
    await fx.page.goto(`${fx.station.origin}/#/library?packer=pk-e2e`, { waitUntil: 'domcontentloaded' });
    await fx.page.locator(`[data-testid="clip-row"][data-clip-id="${orderClipId}"]`).waitFor({ timeout: 10_000 });
    // Both parcels packed while PK-E2E was signed in, and nothing else.
    expect(await fx.page.locator('[data-testid="clip-row"]').count()).toBe(2);
    expect(await fx.page.locator('[data-testid="filter-packer"]').inputValue()).toBe('pk-e2e');
    await fx.page.goto(`${fx.station.origin}/#/clips/${orderClipId}`, { waitUntil: 'domcontentloaded' });
    const order = fx.page.locator('[data-testid="clip-order"]');
    await order.waitFor({ timeout: 10_000 });
    expect(await order.textContent()).toBe(`${ORDER} · 淘宝 · 买家: 王*明× 2 纯棉T恤 白色 M (TS-WHT-M)× 1 帆布袋 <b>限量</b> (BAG-01)`);
    expect(await fx.page.locator('[data-testid="clip-packer"]').textContent()).toBe('PK-E2E');
  });
});
