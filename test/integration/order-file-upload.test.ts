/**
 * Order files over HTTP, as the settings screen sends them (the file as the body): a preview
 * that writes nothing, an import with a mapping the user chose for headers no guess knows, remembered
 * for the next file with those headers, an import that a scan then finds, re-import updating, and
 * refusals as one sentence with nothing written. The station records on throughout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponse, OrderFileImportResponse, OrderFilePreview, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { messageText, refusalText } from '../../renderer/src/i18n/refusal-text.js';
import { csvText, TAOBAO_HEADERS, writeXlsx } from '../helpers/order-fixtures.js';
import iconv from 'iconv-lite';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

// Headers of a shop's own ERP export, which no built-in guess knows.
const ERP_HEADERS = ['单据号', '快件号', '品名', '件数'];
const ERP_ROWS = [ERP_HEADERS, ['ERP-2026-0001', '731000000000091', '保温杯 500ml', 2], ['ERP-2026-0001', '731000000000091', '杯刷', 1], ['ERP-2026-0002', '731000000000092', '茶叶罐', 1]];

describe('order files from the settings screen, over HTTP', () => {
  let station: StationProcess;
  const send = (path: string, body: Buffer | string, query: Record<string, string>, type = 'application/octet-stream'): Promise<Response> =>
    station.api(`${path}?${new URLSearchParams(query).toString()}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const scan = async (code: string) =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());

  beforeAll(async () => {
    station = await startStation();
    await waitFor(async () => ((await status()).recording ? true : undefined), 20_000, 'the demo camera to record');
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('previews a GBK export: Chinese headers decoded, the first rows, the guessed columns, nothing written', async () => {
    const gbk = iconv.encode(csvText([TAOBAO_HEADERS, ['3907000000000000101', '张小三', '纯棉T恤', 'TS-1', 2, '731000000000101', '淘宝']]), 'gbk');
    const res = await send(routes.ordersFilePreview, gbk, { name: '淘宝订单.csv' });
    expect(res.status).toBe(200);
    const p = OrderFilePreview.parse(await res.json());
    expect(p).toMatchObject({ name: '淘宝订单.csv', encoding: 'gb18030', headers: TAOBAO_HEADERS, rowCount: 1, remembered: false });
    expect(p.rows).toEqual([{ line: 2, cells: ['3907000000000000101', '张小三', '纯棉T恤', 'TS-1', '2', '731000000000101', '淘宝'] }]);
    expect(p.mapping).toMatchObject({ orderNo: '订单编号', waybill: '物流单号', itemName: '宝贝标题', qty: '购买数量', buyer: '买家会员名' });
    // A preview writes nothing: the waybill is not an order yet.
    const r = await scan('731000000000101');
    expect(r.order ?? null).toBeNull();
    await scan('PW-CANCEL');
  });

  it('imports an XLSX with the columns the user chose, remembers them, and a scanned waybill then shows the order', async () => {
    const file = join(tempDataDir('pw-order-upload-'), 'erp.xlsx');
    await writeXlsx(file, ERP_ROWS);
    const bytes = readFileSync(file);
    const preview = OrderFilePreview.parse(await (await send(routes.ordersFilePreview, bytes, { name: 'erp.xlsx' })).json());
    expect(preview.encoding).toBe('xlsx');
    expect(preview.mapping.orderNo).toBeUndefined();
    // Without an order-number column the import refuses, in one sentence, and writes nothing.
    const refused = await send(routes.ordersFile, bytes, { name: 'erp.xlsx' });
    expect(refused.status).toBe(422);
    const refusedBody = ErrorResponse.parse(await refused.json());
    expect(refusedBody.error).toMatch(/^erp\.xlsx has no column for the order number/);
    // The settings screen words it in its language from the code.
    expect(refusalText(refusedBody, 'zh-CN')).toMatch(/^erp\.xlsx 里没有订单号列（订单编号\/订单号\/Order No）；表头是 "单据号", "快件号"/);

    const mapping = { orderNo: '单据号', waybill: '快件号', itemName: '品名', qty: '件数' };
    const res = await send(routes.ordersFile, bytes, { name: 'erp.xlsx', mapping: JSON.stringify(mapping), platform: '自营商城' });
    expect(res.status).toBe(200);
    const done = OrderFileImportResponse.parse(await res.json());
    expect(done).toMatchObject({ orders: 2, items: 3, created: 2, updated: 0, skipped: [], encoding: 'xlsx', mapping });

    const r = await scan('731000000000091');
    expect(r.action).toBe('started');
    expect(r.order).toMatchObject({ orderNo: 'ERP-2026-0001', platform: '自营商城', items: [{ name: '保温杯 500ml', qty: 2 }, { name: '杯刷', qty: 1 }] });
    await scan('PW-CANCEL');

    // The next file with these headers (a CSV this time) is previewed with the remembered columns, and re-importing updates.
    const csv = Buffer.from(csvText(ERP_ROWS), 'utf8');
    const again = OrderFilePreview.parse(await (await send(routes.ordersFilePreview, csv, { name: 'erp-day2.csv' })).json());
    expect(again).toMatchObject({ remembered: true, mapping, encoding: 'utf-8' });
    const second = OrderFileImportResponse.parse(await (await send(routes.ordersFile, csv, { name: 'erp-day2.csv', mapping: JSON.stringify(again.mapping) })).json());
    expect(second).toMatchObject({ orders: 2, created: 0, updated: 2 });
  });

  it('names skipped rows in both languages: English for scripts, a message the settings screen renders', async () => {
    const csv = Buffer.from('订单编号,物流单号,数量\nSKIP-1,731000000000301,1\n,731000000000302,1\nSKIP-3,731000000000303,two\n', 'utf8');
    const done = OrderFileImportResponse.parse(await (await send(routes.ordersFile, csv, { name: 'skips.csv' })).json());
    expect(done.orders).toBe(1);
    expect(done.skipped.map((r) => [r.line, r.reason, messageText(r.text, 'zh-CN', r.reason)])).toEqual([
      [3, 'the order number is empty', '订单号为空'],
      [4, 'the quantity "two" is not a whole number from 1 to 100000', '数量“two”不是 1 到 100000 之间的整数'],
    ]);
  });

  it('refuses what is not an order file with one sentence, and the station records on', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const xls = await send(routes.ordersFilePreview, ole, { name: '订单.xls' });
    expect(xls.status).toBe(422);
    const xlsBody = ErrorResponse.parse(await xls.json());
    expect(xlsBody.error).toBe('订单.xls is an old Excel .xls file; save it as .xlsx or as CSV and import that.');
    expect(refusalText(xlsBody, 'zh-CN')).toBe('订单.xls 是旧版 Excel .xls 文件；请另存为 .xlsx 或 CSV 后再导入。');

    const fake = await send(routes.ordersFilePreview, Buffer.from('not a zip'), { name: 'orders.xlsx' });
    expect(fake.status).toBe(422);
    expect(((await fake.json()) as { error: string }).error).toBe('orders.xlsx is named .xlsx but is not an Excel workbook.');

    // A broken workbook (a zip header and nothing after): read in the worker, refused, the station answers on.
    const broken = await send(routes.ordersFilePreview, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]), { name: 'broken.xlsx' });
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: string }).error).toMatch(/^broken\.xlsx /);

    // A path in the name is cut to its last part; control characters never reach a message.
    const empty = await send(routes.ordersFilePreview, Buffer.alloc(0), { name: '../../etc/\u202eevil\n.csv' });
    expect(empty.status).toBe(422);
    const emptyBody = ErrorResponse.parse(await empty.json());
    expect(emptyBody.error).toBe('_evil_.csv is empty.');
    expect(refusalText(emptyBody, 'zh-CN')).toBe('_evil_.csv 是空文件。');

    const json = await send(routes.ordersFile, '{}', { name: 'x.csv' }, 'application/json');
    expect(json.status).toBe(415);
    const badMapping = await send(routes.ordersFile, Buffer.from('a\n1\n'), { name: 'x.csv', mapping: '{"orderNo": 5}' });
    expect(badMapping.status).toBe(400);

    expect((await status()).recording).toBe(true);
  });
});
