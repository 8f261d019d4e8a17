import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ClipSearchResponse, OrderImportResult, ScanResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { TAOBAO_HEADERS, writeCsv, writeXlsx } from '../helpers/order-fixtures.js';
import { cliPath, repoRoot, startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

const ORDER_A = '3907000000000000001'; // Taobao: 19 digits
const WAYBILL_A = '731000000000071'; // ZTO-like: 15 digits
const ORDER_B = '240115-123456789012345'; // Pinduoduo, pushed over the API
const WAYBILL_B = 'SF1234567890123';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('orders on a real station: import beside it, scan a waybill, see the order, find the clip by either number', () => {
  let station: StationProcess;
  const post = (path: string, body: unknown): Promise<Response> =>
    station.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scan = async (code: string): Promise<ScanResponse> => ScanResponse.parse(await (await post(routes.scans, { code })).json());
  const search = async (q: string): Promise<number[]> => ClipSearchResponse.parse(await (await station.api(`${routes.clips}?q=${encodeURIComponent(q)}`)).json()).items.map((c) => c.id);

  let imported: ReturnType<typeof cli>;
  let pushed: OrderImportResult;
  let byWaybill: ScanResponse;
  let byOrderNo: ScanResponse;
  let unknown: ScanResponse;

  beforeAll(async () => {
    station = await startStation();
    // A GBK export, as Taobao's back-end writes it, imported while the station records into the same database.
    const file = join(tempDataDir('pw-orders-file-'), '淘宝订单.csv');
    writeCsv(
      file,
      [
        TAOBAO_HEADERS,
        [`="${ORDER_A}"`, '张小三', '纯棉T恤 白色 M', 'TS-WHT-M', 2, WAYBILL_A, ''],
        [`="${ORDER_A}"`, '张小三', '帆布袋', 'BAG-01', 1, WAYBILL_A, ''],
        ['=HYPERLINK("x")', '李四', '杯子', 'CUP', 1, '', ''],
      ],
      'gbk',
    );
    imported = cli(['orders', 'import', '--data', station.dataDir, file, '--platform', '淘宝']);
    pushed = OrderImportResult.parse(
      await (
        await post(routes.orders, {
          platform: '拼多多',
          orders: [{ orderNo: ORDER_B, buyer: 'pdd_buyer_01', waybills: [WAYBILL_B], items: [{ name: '陶瓷杯 350ml', sku: 'CUP-350', qty: 3 }] }],
        })
      ).json(),
    );
    await sleep(2_000);
    byWaybill = await scan(WAYBILL_A);
    await sleep(1_500);
    await scan('PW-STOP');
    await sleep(3_000);
    byOrderNo = await scan(ORDER_B);
    await sleep(1_500);
    unknown = await scan('3907999999999999999');
    await sleep(1_000);
    await scan('PW-STOP');
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('packwitness orders import prints the counts and the skipped rows with their line numbers', () => {
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout.split('\n')).toEqual([
      'imported 1 orders, 2 items (1 new, 0 updated; gb18030)',
      'skipped line 4: the order number is a formula (=HYPERLINK("x"))',
      '',
    ]);
  });

  it('POST /api/orders takes orders as JSON', () => {
    expect(pushed).toEqual({ orders: 1, items: 1, created: 1, updated: 0, skipped: [] });
  });

  it('a scanned waybill answers with its order: number, platform, masked buyer, items', () => {
    expect(byWaybill).toMatchObject({
      action: 'started',
      code: WAYBILL_A,
      order: {
        orderNo: ORDER_A,
        platform: '淘宝',
        buyer: '张*三',
        items: [
          { name: '纯棉T恤 白色 M', sku: 'TS-WHT-M', qty: 2 },
          { name: '帆布袋', sku: 'BAG-01', qty: 1 },
        ],
      },
    });
    expect(byOrderNo.order).toMatchObject({ orderNo: ORDER_B, platform: '拼多多', buyer: 'p***1', items: [{ name: '陶瓷杯 350ml', sku: 'CUP-350', qty: 3 }] });
  });

  it('a scan of an unknown order records as before, without an order', () => {
    expect(unknown).toMatchObject({ action: 'switched', kind: 'order', order: null });
    expect(unknown.id).not.toBeNull();
  });

  it('the clip keeps the order it packed', async () => {
    const clip = Clip.parse(await (await station.api(routes.clip(byWaybill.id!))).json());
    expect(clip.codes).toEqual([WAYBILL_A]);
    expect(clip.order).toMatchObject({ orderNo: ORDER_A, items: [{ sku: 'TS-WHT-M' }, { sku: 'BAG-01' }] });
    const db = openDatabase(join(station.dataDir, 'packwitness.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT o.order_no FROM clips c JOIN orders o ON o.id = c.order_id WHERE c.id = ?').get(byWaybill.id) as { order_no: string };
      expect(row.order_no).toBe(ORDER_A);
    } finally {
      db.close();
    }
  });

  it('searching the order number finds the clip where only the waybill was scanned, and the reverse', async () => {
    expect(await search(ORDER_A)).toEqual([byWaybill.id]);
    expect(await search(WAYBILL_A)).toEqual([byWaybill.id]);
    expect(await search(WAYBILL_B)).toEqual([byOrderNo.id]);
    expect(await search(ORDER_B)).toEqual([byOrderNo.id]);
    // A fragment still searches the codes as scanned.
    expect(await search(WAYBILL_A.slice(-6))).toEqual([byWaybill.id]);
  });

  it('a bad file is refused in one sentence by the CLI, and nothing is imported', async () => {
    const file = join(tempDataDir('pw-orders-bad-'), 'orders.xlsx');
    await writeXlsx(file, [['单据号', '货品'], ['X-1', '杯子']]);
    const r = cli(['orders', 'import', '--data', station.dataDir, file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^packwitness: orders\.xlsx has no column for the order number \(订单编号\/订单号\/Order No\); its headers are "单据号", "货品" — map one with --map orderNo=Header/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const again = cli(['orders', 'import', '--data', station.dataDir, file, '--map', 'orderNo=单据号', '--map', 'itemName=货品']);
    expect(again.stdout).toMatch(/^imported 1 orders, 1 items/);
    const bad = await post(routes.orders, { orders: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^send JSON \{"orders"/);
  });
});
