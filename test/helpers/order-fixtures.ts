/**
 * Order exports as the shops' back-ends write them, made by the tests: CSV in UTF-8 (with BOM) or
 * GBK, and XLSX, with Chinese headers. Nothing here is a checked-in file.
 */
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export const TAOBAO_HEADERS = ['订单编号', '买家会员名', '宝贝标题', '商家编码', '购买数量', '物流单号', '店铺名称'];

/** One cell per header; quotes doubled, cells with a comma, quote or newline quoted. */
export function csvText(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (v: string | number): string => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function writeCsv(file: string, rows: ReadonlyArray<ReadonlyArray<string | number>>, encoding: 'utf-8-bom' | 'utf-8' | 'gbk'): void {
  const text = csvText(rows);
  if (encoding === 'gbk') writeFileSync(file, iconv.encode(text, 'gbk'));
  else writeFileSync(file, (encoding === 'utf-8-bom' ? '\uFEFF' : '') + text, 'utf8');
}

export async function writeXlsx(file: string, rows: ReadonlyArray<ReadonlyArray<unknown>>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('订单');
  for (const r of rows) ws.addRow(r as unknown[]);
  await wb.xlsx.writeFile(file);
}

/** A streaming writer for big sheets (the 100k-order benchmark and test). */
export async function writeXlsxStream(file: string, rows: Iterable<ReadonlyArray<unknown>>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('订单');
  for (const r of rows) ws.addRow(r as unknown[]).commit();
  ws.commit();
  await wb.commit();
}

/**
 * A shop's day: `orders` orders, `itemsPer(i)` rows each (one per item), order numbers like Taobao's
 * (19 digits), waybills like ZTO's (15 digits), Chinese titles.
 */
export function* shopRows(orders: number, itemsPer: (i: number) => number = (i) => 1 + (i % 4 === 0 ? 2 : i % 2)): Generator<Array<string | number>> {
  yield TAOBAO_HEADERS;
  for (let i = 0; i < orders; i++) {
    const no = `${3_900_000_000_000_000_000n + BigInt(i)}`;
    const waybill = `7${String(10_000_000_000_000 + i).padStart(14, '0')}`;
    for (let k = 0; k < itemsPer(i); k++) {
      yield [no, `买家${i % 977}号`, `纯棉T恤 第${k + 1}件 尺码${['S', 'M', 'L'][k % 3]}`, `SKU-${i % 500}-${k}`, 1 + (k % 3), waybill, '旗舰店'];
    }
  }
}
