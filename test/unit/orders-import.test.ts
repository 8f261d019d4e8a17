import { mkdtempSync, writeFileSync } from 'node:fs';
import { renderKnown } from '../../shared/messages/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { guessMapping } from '../../electron/station/orders/order-columns.js';
import { importOrderFile, importPushedOrders } from '../../electron/station/orders/order-import.js';
import { OrderImportError } from '../../electron/station/orders/order-import-error.js';
import { maskBuyer } from '../../electron/station/orders/order-rows.js';
import { OrdersRepo } from '../../electron/station/orders/orders-repo.js';
import { migration019 } from '../../electron/station/catalog/migrations/019-order-scan-view.js';
import type { ScannedOrder } from '../../shared/api.js';
import { csvText, shopRows, TAOBAO_HEADERS, writeCsv, writeXlsx } from '../helpers/order-fixtures.js';

const dir = (): string => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-orders-'));
const freshDb = (): Db => openDatabase(join(dir(), 'packwitness.db'));
const count = (db: Db, table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Two orders, one with two items and two waybills in one cell, one item title with a quoted newline. */
const SAMPLE: Array<Array<string | number>> = [
  TAOBAO_HEADERS,
  ['3901234567890123456', '张小三', '纯棉T恤 白色\n（送礼盒）', 'TS-WHT-M', 2, '73100000000001,73100000000002', '旗舰店'],
  ['3901234567890123456', '张小三', '帆布袋', 'BAG-01', 1, '73100000000001', '旗舰店'],
  ['3909999999999999999', 'ab', '陶瓷杯', 'CUP-9', 1, '', '旗舰店'],
];

/** The scan's ready-made answer, checked against the order as its three tables hold it. */
function scanned(repo: OrdersRepo, code: string): ScannedOrder | null {
  const found = repo.scanOrder(code);
  if (found) expect(found.order).toEqual(repo.view(found.id));
  return found?.order ?? null;
}

function expectSampleImported(db: Db): void {
  const repo = new OrdersRepo(db);
  const byWaybill = repo.scanOrder('73100000000002');
  expect(byWaybill).not.toBeNull();
  expect(repo.scanOrder('3901234567890123456')?.id).toBe(byWaybill!.id);
  expect(scanned(repo, '73100000000002')).toEqual({
    orderNo: '3901234567890123456',
    platform: '旗舰店',
    buyer: '张*三',
    items: [
      // One cell across two lines: one item, its line break shown as a space on the checklist.
      { name: '纯棉T恤 白色 （送礼盒）', sku: 'TS-WHT-M', qty: 2 },
      { name: '帆布袋', sku: 'BAG-01', qty: 1 },
    ],
    waybills: ['73100000000001', '73100000000002'],
  });
  expect(scanned(repo, '3909999999999999999')!.buyer).toBe('a*');
}

describe('order import: the shops\' own exports', () => {
  it('guesses the usual Chinese and English headers', () => {
    expect(guessMapping(TAOBAO_HEADERS)).toEqual({ orderNo: '订单编号', buyer: '买家会员名', itemName: '宝贝标题', sku: '商家编码', qty: '购买数量', waybill: '物流单号', platform: '店铺名称' });
    expect(guessMapping(['订单号', '快递单号', '商品名称', '数量', '买家', '平台', 'SKU'])).toMatchObject({ orderNo: '订单号', waybill: '快递单号', itemName: '商品名称', qty: '数量', buyer: '买家', platform: '平台', sku: 'SKU' });
    expect(guessMapping(['Order No.', 'Tracking Number', 'Product Name', 'Quantity', 'Seller SKU'])).toMatchObject({ orderNo: 'Order No.', waybill: 'Tracking Number', itemName: 'Product Name', qty: 'Quantity', sku: 'Seller SKU' });
  });

  it('masks buyers: first and last character only', () => {
    expect(maskBuyer('张小三')).toBe('张*三');
    expect(maskBuyer('tb_buyer_2024')).toBe('t***4');
    expect(maskBuyer('李')).toBe('*');
    expect(maskBuyer('  ')).toBeNull();
  });

  it('reads a UTF-8 CSV with BOM, a quoted newline inside a title, two waybills in one cell', async () => {
    const db = freshDb();
    const f = join(dir(), 'taobao.csv');
    writeCsv(f, SAMPLE, 'utf-8-bom');
    const r = await importOrderFile(db, f);
    expect(r).toMatchObject({ orders: 2, items: 3, created: 2, updated: 0, skipped: [], encoding: 'utf-8' });
    expectSampleImported(db);
  });

  it('detects a GBK CSV and reads it the same', async () => {
    const db = freshDb();
    const f = join(dir(), 'gbk.csv');
    writeCsv(f, SAMPLE, 'gbk');
    // The bytes really are GBK: not valid UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(iconv.encode('订单编号', 'gbk'))).toThrow();
    const r = await importOrderFile(db, f);
    expect(r).toMatchObject({ orders: 2, items: 3, encoding: 'gb18030' });
    expectSampleImported(db);
  });

  it('reads XLSX: text and number cells, a formula by its result, a number too long to be exact refused', async () => {
    const db = freshDb();
    const f = join(dir(), 'orders.xlsx');
    await writeXlsx(f, [
      ...SAMPLE,
      [{ formula: 'CONCAT("39055","55")', result: '3905555' }, '王五', '雨伞', 'UMB', { formula: '1+1', result: 2 }, 12345678901234, ''],
      // An 18-digit order number typed into Excel as a number: its last digits are already gone.
      [Number('3901234567890999999'), '赵六', '毛巾', 'TWL', 1, '', ''],
    ]);
    const r = await importOrderFile(db, f);
    expect(r.encoding).toBe('xlsx');
    expect(r.orders).toBe(3);
    expect(r.skipped).toMatchObject([{ line: 6, reason: expect.stringMatching(/^the order number was stored as a number too long to be exact .*format that column as text/) as string }]);
    expectSampleImported(db);
    const repo = new OrdersRepo(db);
    expect(scanned(repo, '12345678901234')!).toMatchObject({ orderNo: '3905555', items: [{ name: '雨伞', sku: 'UMB', qty: 2 }] });
  });

  it('re-importing the same file updates and never duplicates', async () => {
    const db = freshDb();
    const f = join(dir(), 'again.csv');
    writeCsv(f, SAMPLE, 'utf-8');
    await importOrderFile(db, f);
    const before = [count(db, 'orders'), count(db, 'order_items'), count(db, 'order_waybills')];
    const again = await importOrderFile(db, f);
    expect(again).toMatchObject({ orders: 2, items: 3, created: 0, updated: 2 });
    expect([count(db, 'orders'), count(db, 'order_items'), count(db, 'order_waybills')]).toEqual(before);
    // A later export of the same order with one item fewer: the items follow the export.
    writeCsv(f, SAMPLE.slice(0, 2), 'utf-8');
    await importOrderFile(db, f);
    const repo = new OrdersRepo(db);
    expect(scanned(repo, '3901234567890123456')!.items.map((i) => i.sku)).toEqual(['TS-WHT-M']);
  });

  it('remembers the mapping chosen for a source whose headers are not guessed', async () => {
    const db = freshDb();
    const f = join(dir(), 'erp.csv');
    writeCsv(f, [['单据号', '货品', '件数'], ['ERP-0001', '保温杯', 3]], 'utf-8');
    await expect(importOrderFile(db, f)).rejects.toThrow(/^erp\.csv has no column for the order number .*headers are "单据号", "货品", "件数"/);
    expect(count(db, 'orders')).toBe(0);
    const r = await importOrderFile(db, f, { mapping: { orderNo: '单据号', itemName: '货品', qty: '件数' } });
    expect(r).toMatchObject({ orders: 1, items: 1 });
    // Next export from the same ERP: no mapping given, the remembered one is used.
    writeCsv(f, [['单据号', '货品', '件数'], ['ERP-0002', '茶叶', 5]], 'utf-8');
    expect(await importOrderFile(db, f)).toMatchObject({ orders: 1, items: 1, mapping: { orderNo: '单据号', itemName: '货品', qty: '件数' } });
    const repo = new OrdersRepo(db);
    expect(scanned(repo, 'erp0002')!.items).toEqual([{ name: '茶叶', sku: null, qty: 5 }]);
  });

  describe('bad input: one clear sentence, nothing half imported', () => {
    it('a file in neither UTF-8 nor GBK', async () => {
      const db = freshDb();
      const f = join(dir(), 'bad.csv');
      writeFileSync(f, Buffer.concat([Buffer.from('order,item\r\n1,'), Buffer.from([0xff, 0xfe, 0xff, 0x30]), Buffer.from('\r\n')]));
      await expect(importOrderFile(db, f)).rejects.toThrow(/^bad\.csv is neither UTF-8 nor GBK\/GB18030 text; save it as CSV \(UTF-8\)/);
      const u16 = join(dir(), 'u16.csv');
      writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('订单编号\r\n1\r\n', 'utf16le')]));
      await expect(importOrderFile(db, u16)).rejects.toThrow(/is UTF-16 text/);
      const xls = join(dir(), 'old.xls');
      writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
      await expect(importOrderFile(db, xls)).rejects.toThrow(/old Excel \.xls file; save it as \.xlsx/);
      expect(count(db, 'orders')).toBe(0);
    });

    it('Big5 text read as GBK: garbled headers, said so', async () => {
      const db = freshDb();
      const f = join(dir(), 'big5.csv');
      writeFileSync(f, iconv.encode(csvText([['訂單編號', '商品名稱'], ['1001', '杯子']]), 'big5'));
      await expect(importOrderFile(db, f)).rejects.toThrow(/has no column for the order number .*if they look garbled the file is in another encoding/);
    });

    it('a mapped column missing from the file', async () => {
      const db = freshDb();
      const f = join(dir(), 'm.csv');
      writeCsv(f, [['订单编号', '商品名称'], ['1001', '杯子']], 'utf-8');
      await expect(importOrderFile(db, f, { mapping: { waybill: '运单' } })).rejects.toThrow(/^m\.csv has no column "运单"; its headers are "订单编号", "商品名称"\.$/);
    });

    it('formulas, bad quantities and empty numbers are skipped by line; the rest imports', async () => {
      const db = freshDb();
      const f = join(dir(), 'mixed.csv');
      writeCsv(
        f,
        [
          TAOBAO_HEADERS,
          ['="3901111111111111111"', 'x', '杯子', 'C', 1, '', ''], // Taobao's way of keeping digits: text, taken
          ['=HYPERLINK("http://evil","1")', 'x', '杯子', 'C', 1, '', ''],
          ['3902222222222222222', 'x', '杯子', 'C', 'two', '', ''],
          ['', 'x', '杯子', 'C', 1, '', ''],
          ['3903333333333333333', 'x', '杯子', 'C', 1, '@SUM(A1)', ''],
        ],
        'utf-8',
      );
      const r = await importOrderFile(db, f);
      expect(r.orders).toBe(1);
      // English for the CLI and scripts; the same reason as a message the settings screen words in Chinese.
      expect(r.skipped.map((x) => [x.line, x.reason, renderKnown(x.text!, 'zh-CN')])).toEqual([
        [3, 'the order number is a formula (=HYPERLINK("http://evil","1"))', '订单号是公式（=HYPERLINK("http://evil","1")）'],
        [4, 'the quantity "two" is not a whole number from 1 to 100000', '数量“two”不是 1 到 100000 之间的整数'],
        [5, 'the order number is empty', '订单号为空'],
        [6, 'the waybill is a formula (@SUM(A1))', '运单号是公式（@SUM(A1)）'],
      ]);
      expect(new OrdersRepo(db).scanOrder('3901111111111111111')).not.toBeNull();
    });

    it('10,000 duplicate rows are one order line, each duplicate named', async () => {
      const db = freshDb();
      const f = join(dir(), 'dups.csv');
      const row = ['3904444444444444444', '买家', '杯子', 'C', 1, '75500000000001', '店'];
      writeCsv(f, [TAOBAO_HEADERS, ...Array.from({ length: 10_000 }, () => row)], 'utf-8');
      const r = await importOrderFile(db, f);
      expect(r).toMatchObject({ orders: 1, items: 1 });
      expect(r.skipped).toHaveLength(9_999);
      expect(r.skipped[0]).toMatchObject({ line: 3, reason: 'duplicate of line 2' });
      expect(r.skipped.at(-1)).toMatchObject({ line: 10_001, reason: 'duplicate of line 2' });
      expect(renderKnown(r.skipped.at(-1)!.text!, 'zh-CN')).toBe('与第 2 行重复');
      expect(count(db, 'order_items')).toBe(1);
    });

    it('a file where no row can be imported says so and imports nothing', async () => {
      const db = freshDb();
      const f = join(dir(), 'none.csv');
      writeCsv(f, [TAOBAO_HEADERS, ['=1+1', 'x', 'y', 'z', 1, '', ''], ['', 'x', 'y', 'z', 1, '', '']], 'utf-8');
      await expect(importOrderFile(db, f)).rejects.toThrow(/^none\.csv has no row that can be imported \(line 2: the order number is a formula \(=1\+1\); line 3: the order number is empty\); nothing was imported\.$/);
      expect(count(db, 'order_sources')).toBe(0);
    });

    it('a failure half-way through writing leaves nothing: orders, items and the mapping roll back together', async () => {
      const db = freshDb();
      const f = join(dir(), 'half.csv');
      const rows = [...shopRows(2_000)];
      rows[3_000]![2] = 'poison';
      writeCsv(f, rows, 'utf-8');
      // A real SQLite failure in the middle of the transaction (as a full disk would raise).
      db.exec("CREATE TEMP TRIGGER poison BEFORE INSERT ON order_items WHEN new.name = 'poison' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
      await expect(importOrderFile(db, f)).rejects.toThrow(/disk I\/O error/);
      expect([count(db, 'orders'), count(db, 'order_items'), count(db, 'order_waybills'), count(db, 'order_sources')]).toEqual([0, 0, 0, 0]);
    });

    it('100,000 rows import in one go', async () => {
      const db = freshDb();
      const f = join(dir(), 'big.csv');
      writeCsv(f, [...shopRows(50_000, () => 2)], 'utf-8');
      const t0 = performance.now();
      const r = await importOrderFile(db, f);
      const s = (performance.now() - t0) / 1000;
      expect(r).toMatchObject({ orders: 50_000, items: 100_000, skipped: [] });
      expect(count(db, 'order_items')).toBe(100_000);
      // Generous for a shared 2-core machine; bench/orders.ts measures it properly.
      expect(s).toBeLessThan(30);
    });
  });

  it('orders pushed as JSON: the same checks, items replaced only when sent', () => {
    const db = freshDb();
    const r = importPushedOrders(db, {
      platform: 'Shopify',
      orders: [
        { orderNo: '#1001', buyer: 'Alice Smith', waybills: ['1Z999AA10123456784'], items: [{ name: 'Mug', sku: 'MUG-1', qty: 2 }] },
        { orderNo: '=cmd|calc', items: [] },
      ],
    });
    expect(r).toMatchObject({ orders: 1, items: 1, created: 1, skipped: [{ line: 2, reason: 'the order number is a formula (=cmd|calc)' }] });
    importPushedOrders(db, { orders: [{ orderNo: '#1001', waybills: ['1Z999AA10123456785'] }] });
    const repo = new OrdersRepo(db);
    expect(scanned(repo, '1Z999AA10123456785')!).toEqual({
      orderNo: '#1001',
      platform: 'Shopify',
      buyer: 'A***h',
      items: [{ name: 'Mug', sku: 'MUG-1', qty: 2 }],
      waybills: ['1Z999AA10123456784', '1Z999AA10123456785'],
    });
    expect(() => importPushedOrders(db, { orders: [{ orderNo: '@x' }] })).toThrow(OrderImportError);
  });
});

describe('migration 013 (orders)', () => {
  it('a scan\'s lookups and the clip filters use indexes, not table scans', () => {
    const db = freshDb();
    const plan = (sql: string, ...args: unknown[]): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan('SELECT id, scan_json FROM orders WHERE order_norm = ?', 'X')).toMatch(/USING INDEX sqlite_autoindex_orders_1/);
    expect(plan('SELECT o.id, o.scan_json FROM order_waybills w JOIN orders o ON o.id = w.order_id WHERE w.waybill_norm = ? ORDER BY w.order_id DESC LIMIT 1', 'X')).toMatch(
      /SEARCH w USING PRIMARY KEY[^\n]*\nSEARCH o USING INTEGER PRIMARY KEY/,
    );
    expect(plan('SELECT name FROM order_items WHERE order_id = ? ORDER BY position', 1)).toMatch(/USING INDEX order_items_order/);
    expect(plan('SELECT id FROM clips WHERE order_id = ?', 1)).toMatch(/USING (COVERING )?INDEX clips_order/);
    expect(plan('SELECT id FROM clips WHERE packer = ? AND start_ms >= ?', 'PK-1', 0)).toMatch(/USING (COVERING )?INDEX clips_packer/);
  });
});

describe('migration 019 (each order\'s scan answer)', () => {
  it('fills the answer of orders imported before it exactly as view() assembles it', async () => {
    const db = freshDb();
    const f = join(dir(), 'before.csv');
    // Items past the scan's 50, waybills in an order other than their sort, an order without either.
    const many = Array.from({ length: 55 }, (_, i) => ['3907777777777777777', '钱七', `配件 ${i + 1}`, `P-${i + 1}`, 1, i === 0 ? 'YT9000000000002,SF1000000000001' : '', '']);
    writeCsv(f, [...SAMPLE, ...many, ['3908888888888888888', '', '', '', '', '', '']], 'utf-8');
    await importOrderFile(db, f);
    const repo = new OrdersRepo(db);
    const ids = db.prepare('SELECT id FROM orders ORDER BY id').pluck().all() as number[];
    expect(ids).toHaveLength(4);
    // As a station upgraded from 018 has them: no column yet.
    db.exec('ALTER TABLE orders DROP COLUMN scan_json');
    db.exec(migration019.up);
    for (const id of ids) {
      const stored = JSON.parse(db.prepare('SELECT scan_json FROM orders WHERE id = ?').pluck().get(id) as string) as ScannedOrder;
      expect(stored).toEqual(repo.view(id));
    }
    expect(scanned(repo, 'SF1000000000001')).toMatchObject({ orderNo: '3907777777777777777', waybills: ['SF1000000000001', 'YT9000000000002'] });
    expect(scanned(repo, 'SF1000000000001')!.items).toHaveLength(50);
    expect(scanned(repo, '3908888888888888888')).toMatchObject({ items: [], waybills: [] });
  });
});
