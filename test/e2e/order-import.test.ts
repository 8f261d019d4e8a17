/**
 * Order import in Chromium: a merchant imports the shop's order export from the settings screen: chooses
 * the file, sees its first rows (GBK decoded, markup in a cell shown as text) and the columns, picks
 * the order-number column no guess knew, imports, reads the counts and the skipped rows; a scan of
 * the waybill then finds the order. A file that is not an export gets one sentence.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ScanResponse, routes } from '../../shared/api.js';
import { csvText } from '../helpers/order-fixtures.js';
import { stationInBrowser } from '../helpers/station-browser.js';

const HEADERS = ['单据号', '物流单号', '宝贝标题', '购买数量'];
const ROWS = [HEADERS, ['ERP-0001', '731000000000201', '保温杯 <b>限量</b>', 2], ['ERP-0001', '731000000000201', '杯刷', 1], ['', '731000000000202', '茶叶罐', 1]];

describe('importing orders from the settings screen (Chromium)', () => {
  const fx = stationInBrowser({ page: { locale: 'en-US', viewport: { width: 1366, height: 900 }, hash: '#/settings', ready: '[data-testid="settings-orders"]', readyTimeoutMs: 10_000 } });

  it('previews the file, asks for the order-number column, imports, and a scanned waybill finds the order', async () => {
    await fx.page.locator('[data-testid="order-file"]').setInputFiles({ name: '商城订单.csv', mimeType: 'text/csv', buffer: iconv.encode(csvText(ROWS), 'gbk') });
    const panel = fx.page.locator('[data-testid="order-preview-panel"]');
    await panel.waitFor({ timeout: 15_000 });
    expect(await fx.page.locator('[data-testid="order-preview-summary"]').textContent()).toBe(
      '商城订单.csv: 3 rows, CSV in GBK/GB18030. The columns were guessed from the headers: check them.',
    );
    const table = fx.page.locator('[data-testid="order-preview"]');
    expect(await table.locator('thead th').allTextContents()).toEqual(['Line', '单据号', '物流单号Waybill number', '宝贝标题Item name', '购买数量Quantity']);
    expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['ERP-0001', '731000000000201', '保温杯 <b>限量</b>', '2']);
    expect(await table.locator('b').count()).toBe(0);
    // No guess for 单据号: the import waits for the order-number column.
    expect(await fx.page.locator('[data-testid="order-map-orderNo"]').inputValue()).toBe('');
    expect(await fx.page.locator('[data-testid="order-import"]').isDisabled()).toBe(true);
    await fx.page.locator('[data-testid="order-map-orderNo"]').selectOption('单据号');
    expect(await table.locator('thead th[data-field="orderNo"]').textContent()).toBe('单据号Order number');
    await fx.page.locator('[data-testid="order-platform"]').fill('自营商城');
    await fx.page.locator('[data-testid="order-import"]').click();
    const result = fx.page.locator('[data-testid="order-import-result"]');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.locator('.order-import__done').textContent()).toBe('商城订单.csv: imported 1 orders with 2 items (1 new, 0 updated).');
    expect(await result.locator('[data-testid="order-import-skipped"] li').allTextContents()).toEqual([expect.stringMatching(/^line 4: /)]);
    await fx.page.screenshot({ path: '/tmp/order-import.png', fullPage: true });

    const scan = ScanResponse.parse(
      await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '731000000000201' }) })).json(),
    );
    expect(scan.order).toMatchObject({ orderNo: 'ERP-0001', platform: '自营商城', items: [{ name: '保温杯 <b>限量</b>', qty: 2 }, { name: '杯刷', qty: 1 }] });
    await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'PW-CANCEL' }) });
  });

  it('says in one sentence why a file is not an export, and keeps nothing half-done', async () => {
    await fx.page.locator('[data-testid="order-file"]').setInputFiles({ name: 'orders.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(256)]) });
    const error = fx.page.locator('[data-testid="order-import-error"]');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toBe('Not imported: orders.xls is an old Excel .xls file; save it as .xlsx or as CSV and import that.');
    expect(await fx.page.locator('[data-testid="order-preview-panel"]').count()).toBe(0);
  });

  it('words the refusal and the skipped rows in Chinese when the screen is in Chinese', async () => {
    await fx.page.locator('.language-switch button[lang="zh-CN"]').click();
    try {
      await fx.page.locator('[data-testid="order-file"]').setInputFiles({ name: '空.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
      const error = fx.page.locator('[data-testid="order-import-error"]');
      await error.getByText('空.csv 是空文件。').waitFor({ timeout: 15_000 });
      expect(await error.textContent()).toBe('未导入：空.csv 是空文件。');

      await fx.page.locator('[data-testid="order-file"]').setInputFiles({ name: 'skips.csv', mimeType: 'text/csv', buffer: Buffer.from('订单编号,物流单号\nZH-0001,731000000000501\n,731000000000502\n', 'utf8') });
      await fx.page.locator('[data-testid="order-import"]').click();
      const result = fx.page.locator('[data-testid="order-import-result"]');
      await result.waitFor({ timeout: 15_000 });
      expect(await result.locator('[data-testid="order-import-skipped"] li').allTextContents()).toEqual([expect.stringMatching(/订单号为空$/)]);
    } finally {
      await fx.page.locator('.language-switch button[lang="en"]').click();
    }
  });
});
