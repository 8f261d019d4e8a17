/**
 * `orders` benchmark: how long a shop's big export takes to import, and whether a million
 * imported orders slow a scan down.
 *
 * - import: 100,000 orders with 250,000 items (one row per item, as Taobao exports), written as a
 *   UTF-8 CSV, a GBK CSV and an XLSX, each imported into a new database through `importOrderFile`
 *   (read, map, check, one transaction). Target: the CSV in ≤ 10 s.
 * - lookup: the order lookup a scan makes (`scanOrder`), 20,000 times, on a database
 *   with 1,000,000 orders and on an empty one: the cost a scan pays, without HTTP's noise.
 * - scan: POST /api/scans on a real station (demo camera), every scan a clip switch whose waybill is
 *   an imported order (the response carries the order), with 1M orders, and the same scans on a
 *   station without orders, both running at once and scanned in turn so the machine's other load
 *   falls on both alike. Target: p95 within 1 ms of the one without orders.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { openDatabase } from '../electron/station/catalog/database.js';
import { importOrderFile } from '../electron/station/orders/order-import.js';
import type { ParsedOrder } from '../electron/station/orders/order-rows.js';
import { OrdersRepo } from '../electron/station/orders/orders-repo.js';
import { postScan, root, round, startStation, stats, stopStation } from './station.js';

const ORDERS = 100_000;
const BIG = 1_000_000;
const LOOKUPS = 20_000;
const SCANS = 200;
const TARGETS = { csvImportS: 10, scanP95ExtraMs: 1 };

const HEADERS = ['订单编号', '买家会员名', '宝贝标题', '商家编码', '购买数量', '物流单号', '店铺名称'];
const orderNo = (i: number): string => `${3_900_000_000_000_000_000n + BigInt(i)}`;
const waybillOf = (i: number): string => `7${String(10_000_000_000_000 + i).padStart(14, '0')}`;

/** 100,000 orders, alternately 2 and 3 items: 250,000 rows. */
function* rows(): Generator<Array<string | number>> {
  for (let i = 0; i < ORDERS; i++) {
    for (let k = 0; k < (i % 2 ? 3 : 2); k++) yield [orderNo(i), `买家${i % 977}号`, `纯棉T恤 第${k + 1}件 尺码${['S', 'M', 'L'][k]}`, `SKU-${i % 500}-${k}`, 1 + k, waybillOf(i), '旗舰店'];
  }
}

function csv(): string {
  const out = [HEADERS.join(',')];
  for (const r of rows()) out.push(r.join(','));
  return `${out.join('\r\n')}\r\n`;
}

async function xlsx(file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('订单');
  ws.addRow(HEADERS).commit();
  for (const r of rows()) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

/**
 * Wall-clock seconds, and the CPU seconds the import used: on a shared machine (other jobs running) the
 * wall clock says more about the neighbours than about the import; CPU time does not.
 */
async function timeImport(dir: string, file: string): Promise<{ seconds: number; cpuSeconds: number; writeTransactionSeconds: number; rowsPerSecond: number; orders: number; items: number; mb: number }> {
  const dbDir = mkdtempSync(join(dir, 'db-'));
  const db = openDatabase(join(dbDir, 'packwitness.db'));
  try {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await importOrderFile(db, file);
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpuSeconds = (c.user + c.system) / 1e6;
    if (r.orders !== ORDERS || r.items !== 250_000) throw new Error(`imported ${r.orders} orders, ${r.items} items from ${file}`);
    return { seconds: round(seconds), cpuSeconds: round(cpuSeconds), writeTransactionSeconds: round(r.writeMs / 1000), rowsPerSecond: Math.round(250_000 / seconds), orders: r.orders, items: r.items, mb: round(statSync(file).size / 1e6) };
  } finally {
    db.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** A station folder whose database holds `n` orders (1 item, 1 waybill each), written in batches through the repo. */
function seedOrders(dataDir: string, n: number): number {
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  const t0 = performance.now();
  try {
    const repo = new OrdersRepo(db);
    for (let start = 0; start < n; start += 100_000) {
      const batch: ParsedOrder[] = [];
      for (let i = start; i < Math.min(n, start + 100_000); i++) {
        const no = orderNo(i);
        batch.push({ orderNo: no, norm: no, platform: '淘宝', buyerMasked: '张*三', waybills: new Map([[waybillOf(i), waybillOf(i)]]), items: [{ name: `商品 ${i}`, sku: `SKU-${i}`, qty: 1 }] });
      }
      repo.importOrders(batch, { source: 'bench', replaceItems: true });
    }
  } finally {
    db.close();
  }
  return (performance.now() - t0) / 1000;
}

function lookups(dataDir: string): number[] {
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  try {
    const repo = new OrdersRepo(db);
    const us: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const code = waybillOf((i * 7919) % BIG);
      const t = performance.now();
      repo.scanOrder(code);
      us.push((performance.now() - t) * 1000);
    }
    return us;
  } finally {
    db.close();
  }
}

/**
 * Both stations run at once and take their scans in turn (one here, one there), so whatever else the
 * machine does falls on both alike: the difference is the orders, not the moment each ran.
 */
async function pairedScanLatency(emptyDir: string, fullDir: string): Promise<{ empty: number[]; full: number[]; withOrder: number }> {
  const [a, b] = await Promise.all([startStation('demo:640x360@15', { dataDir: emptyDir }), startStation('demo:640x360@15', { dataDir: fullDir })]);
  try {
    await sleep(3_000);
    const empty: number[] = [];
    const full: number[] = [];
    let withOrder = 0;
    for (let i = 0; i < SCANS; i++) {
      const code = waybillOf((i * 4_999) % BIG);
      // Alternate which goes first, so neither always follows the other's work.
      for (const [s, into] of i % 2 ? ([[b, full], [a, empty]] as const) : ([[a, empty], [b, full]] as const)) {
        const t = performance.now();
        const r = await postScan(s, code);
        into.push(performance.now() - t);
        if (s === b && r.order) withOrder++;
      }
      await sleep(50);
    }
    await Promise.all([postScan(a, 'PW-CANCEL'), postScan(b, 'PW-CANCEL')]);
    return { empty, full, withOrder };
  } finally {
    await Promise.all([stopStation(a, { keepData: true }), stopStation(b, { keepData: true })]);
  }
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-orders-'));
  try {
    const loadBefore = loadavg()[0]!;
    console.log(`orders: writing 100,000 orders / 250,000 rows as UTF-8 CSV, GBK CSV and XLSX … (load average ${loadBefore.toFixed(1)} on ${cpus().length} cores)`);
    const text = csv();
    const utf8 = join(dir, 'orders-utf8.csv');
    const gbk = join(dir, 'orders-gbk.csv');
    const book = join(dir, 'orders.xlsx');
    writeFileSync(utf8, `\uFEFF${text}`);
    writeFileSync(gbk, iconv.encode(text, 'gbk'));
    await xlsx(book);
    const importCsvUtf8 = await timeImport(dir, utf8);
    console.log(`  CSV UTF-8: ${importCsvUtf8.seconds} s, ${importCsvUtf8.cpuSeconds} s CPU, write transaction ${importCsvUtf8.writeTransactionSeconds} s (${importCsvUtf8.rowsPerSecond} rows/s)`);
    const importCsvGbk = await timeImport(dir, gbk);
    console.log(`  CSV GBK:   ${importCsvGbk.seconds} s, ${importCsvGbk.cpuSeconds} s CPU (${importCsvGbk.rowsPerSecond} rows/s)`);
    const importXlsx = await timeImport(dir, book);
    console.log(`  XLSX:      ${importXlsx.seconds} s, ${importXlsx.cpuSeconds} s CPU (${importXlsx.rowsPerSecond} rows/s)`);

    const empty = mkdtempSync(join(dir, 'station-empty-'));
    const full = mkdtempSync(join(dir, 'station-1m-'));
    openDatabase(join(empty, 'packwitness.db')).close();
    const seedS = seedOrders(full, BIG);
    console.log(`  seeded ${BIG.toLocaleString('en')} orders in ${round(seedS)} s`);
    const lookupEmpty = stats(lookups(empty));
    const lookupFull = stats(lookups(full));
    console.log(`  lookup µs p50/p95: empty ${lookupEmpty.p50}/${lookupEmpty.p95}, 1M orders ${lookupFull.p50}/${lookupFull.p95}`);
    const scans = await pairedScanLatency(empty, full);
    const scanFull = { withOrder: scans.withOrder };
    const se = stats(scans.empty);
    const sf = stats(scans.full);
    console.log(`  scan ms p50/p95: without orders ${se.p50}/${se.p95}, with 1M orders ${sf.p50}/${sf.p95} (${scanFull.withOrder}/${SCANS} answered with their order)`);

    const meetsTarget = importCsvUtf8.seconds <= TARGETS.csvImportS && sf.p95 - se.p95 <= TARGETS.scanP95ExtraMs;
    const result = {
      benchmark: 'orders',
      description: 'Order import (100,000 orders / 250,000 item rows) from CSV and XLSX; scan latency with 1,000,000 imported orders against none',
      date: new Date().toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, node: process.version, loadAverageAtStart: round(loadBefore), loadAverageAtEnd: round(loadavg()[0]!) },
      targets: TARGETS,
      import: { csvUtf8: importCsvUtf8, csvGbk: importCsvGbk, xlsx: importXlsx },
      seed1MOrdersSeconds: round(seedS),
      orderLookupMicroseconds: { withoutOrders: lookupEmpty, with1MOrders: lookupFull },
      scanResponseMs: { withoutOrders: se, with1MOrders: sf, answeredWithOrder: scanFull.withOrder, p95DifferenceMs: round(sf.p95 - se.p95) },
      meetsTarget,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'orders.json'), `${JSON.stringify(result, null, 2)}\n`);
    return { meetsTarget, failed: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
