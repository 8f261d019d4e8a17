/**
 * A shop's order export as rows of text: CSV in UTF-8 (with or without BOM) or GBK/GB18030, which
 * the Chinese back-ends still write, or XLSX. The encoding is found, not asked: a file that is valid
 * UTF-8 is UTF-8 (Chinese text in GBK is almost never valid UTF-8), anything else is decoded as
 * GB18030 (a superset of GBK) and refused if even that leaves undecodable bytes.
 *
 * Every row keeps the line (CSV) or row number (XLSX) it started on, so a skipped row can be named.
 * Hostile files meet limits: size, rows, cell length (limits below).
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { OrderImportError } from './order-import-error.js';
import { msg } from '../localized-error.js';

/** The largest export read: a 100,000-order CSV with items is ~40 MB; more is not a shop's export. */
export const MAX_ORDER_FILE_BYTES = 256 * 1024 * 1024;
/** Rows per import. A million rows parse in seconds and fit in memory; a billion would not. */
export const MAX_ORDER_ROWS = 1_000_000;
/** Longer cells are cut: a product title is under 100 characters, a cell of a megabyte is not data. */
export const MAX_CELL_CHARS = 1_000;

export type OrderFileEncoding = 'utf-8' | 'gb18030' | 'xlsx';

export interface OrderRow {
  /** 1-based line (CSV, where a quoted newline makes a row span lines: its first) or sheet row (XLSX). */
  line: number;
  cells: string[];
}

export interface OrderSheet {
  encoding: OrderFileEncoding;
  headers: string[];
  headerLine: number;
  rows: OrderRow[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

export async function readOrderFile(file: string): Promise<OrderSheet> {
  const name = file.split(/[\\/]/).at(-1) ?? file;
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new OrderImportError(msg('orders.notAFile', { name }));
    size = s.size;
  } catch (err) {
    if (err instanceof OrderImportError) throw err;
    throw new OrderImportError(msg('orders.cannotBeRead', { name, detail: (err as Error).message }));
  }
  if (size === 0) throw new OrderImportError(msg('orders.fileEmpty', { name }));
  if (size > MAX_ORDER_FILE_BYTES) throw new OrderImportError(msg('orders.fileTooBig', { name, size: (size / 1e6).toFixed(0), max: MAX_ORDER_FILE_BYTES / 1024 / 1024 }));
  const head = Buffer.alloc(8);
  const fh = await open(file, 'r');
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return readXlsx(file, name);
  if (head.subarray(0, 4).equals(OLE_MAGIC)) throw new OrderImportError(msg('orders.oldXls', { name }));
  if (extname(file).toLowerCase() === '.xlsx') throw new OrderImportError(msg('orders.notXlsx', { name }));
  const { readFile } = await import('node:fs/promises');
  return parseCsv(await readFile(file), name);
}

/** CSV bytes → rows; exported for the API's and the tests' in-memory files. */
export function parseCsv(bytes: Buffer, name: string): OrderSheet {
  const { text, encoding } = decodeCsv(bytes, name);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: MAX_CELL_CHARS * 200,
      to: MAX_ORDER_ROWS + 2,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    const at = typeof e.lines === 'number' ? msg('orders.csvAtLine', { line: e.lines }) : '';
    throw new OrderImportError(msg('orders.badCsv', { name, at, detail: e.message.replace(/^Invalid Record Length: /, '') }));
  }
  const rows: OrderRow[] = [];
  let prevEnd = 0;
  for (const { record, info } of records) {
    const line = prevEnd + 1;
    prevEnd = info.lines;
    if (record.every((c) => c.trim() === '')) continue;
    rows.push({ line, cells: record.map(cutCell) });
  }
  return sheetOf(rows, encoding, name);
}

function decodeCsv(bytes: Buffer, name: string): { text: string; encoding: OrderFileEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new OrderImportError(msg('orders.utf16', { name }));
  }
  if (bytes.subarray(0, 65_536).includes(0)) throw new OrderImportError(msg('orders.notText', { name }));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: the GBK family is what the Chinese back-ends write otherwise.
  }
  const text = iconv.decode(bytes, 'gb18030');
  if (text.includes('\uFFFD')) throw new OrderImportError(msg('orders.unknownEncoding', { name }));
  return { text, encoding: 'gb18030' };
}

async function readXlsx(file: string, name: string): Promise<OrderSheet> {
  const rows: OrderRow[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore' });
    // The first worksheet only: an export has one; later sheets are a shop's own notes.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (rows.length > MAX_ORDER_ROWS) break;
        const values = (row as ExcelJS.Row).values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cutCell(cellText(values[i])));
        if (cells.every((c) => c.trim() === '')) continue;
        rows.push({ line: (row as ExcelJS.Row).number, cells });
      }
      break;
    }
  } catch (err) {
    if (err instanceof OrderImportError) throw err;
    throw new OrderImportError(msg('orders.badXlsx', { name, detail: (err as Error).message }));
  }
  return sheetOf(rows, 'xlsx', name);
}

/**
 * A cell as text. A formula cell is its computed result, as the sheet showed it; one saved without a
 * result comes out as its formula text, which the import then refuses for that row. A number too
 * large to be exact (an 18-digit order number typed as a number) is kept as Excel shows it, and the
 * import refuses it rather than match the wrong order.
 */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : `${v.toPrecision(15)}~`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { formula?: string; sharedFormula?: string; result?: unknown; richText?: Array<{ text: string }>; text?: unknown; error?: string };
    if ('formula' in o || 'sharedFormula' in o) return o.result === undefined || o.result === null ? `=${o.formula ?? o.sharedFormula ?? ''}` : cellText(o.result);
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (typeof o.error === 'string') return o.error;
  }
  return '';
}

function cutCell(s: string): string {
  return s.length > MAX_CELL_CHARS ? s.slice(0, MAX_CELL_CHARS) : s;
}

function sheetOf(rows: OrderRow[], encoding: OrderFileEncoding, name: string): OrderSheet {
  const header = rows.shift();
  if (!header) throw new OrderImportError(msg('orders.noRows', { name }));
  if (rows.length > MAX_ORDER_ROWS) throw new OrderImportError(msg('orders.tooManyRows', { name, max: MAX_ORDER_ROWS.toLocaleString('en') }));
  return { encoding, headers: header.cells.map((h) => h.trim()), headerLine: header.line, rows };
}
