/**
 * Rows of an export → orders, each row checked on its own: a row that cannot be an order line is
 * skipped with its line number and why, the rest go on. Pure: no database here.
 *
 * A shop's export has one row per item, the order's number repeated on each (Taobao, Pinduoduo,
 * Shopify); the rows of one order are gathered into one order with several items. A row identical to
 * an earlier one (every mapped cell) is a duplicate of it, not a second item: exports concatenated
 * twice are common, a buyer's two identical lines are not.
 */
import { normalizeCode } from '../../../shared/api.js';
import type { OrderField } from './order-columns.js';
import type { OrderRow } from './order-file.js';
import { render, msg, type Message } from '../../../shared/messages/index.js';

export interface ParsedItem {
  name: string;
  sku: string | null;
  qty: number;
}

export interface ParsedOrder {
  orderNo: string;
  norm: string;
  platform: string | null;
  buyerMasked: string | null;
  /** normalized → as written */
  waybills: Map<string, string>;
  items: ParsedItem[];
}

export interface SkippedRow {
  line: number;
  /** English, for the CLI and scripts. */
  reason: string;
  /** The same reason as a catalogue message, which the settings screen renders in its language. */
  text: Message;
}

/** A skipped row: its reason in English and as its message. */
export function skippedRow(line: number, text: Message): SkippedRow {
  return { line, reason: render(text, 'en'), text };
}

export interface ParsedOrders {
  orders: ParsedOrder[];
  /** Whether the source lists items at all: then a re-import replaces an order's items. */
  hasItems: boolean;
  skipped: SkippedRow[];
}

/** A number or code longer than this is not an order number or a waybill (the longest seen: 32). */
export const MAX_NUMBER_CHARS = 64;
export const MAX_QTY = 100_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * A number as the export wrote it. Taobao writes `="2938…"` and others a leading apostrophe or tab
 * so Excel keeps the digits: those are text, unwrapped. Any other cell starting with = + @ is a
 * formula, refused (null + reason): its text is not the number the sheet showed.
 */
export function numberCell(raw: string): { ok: true; value: string } | { ok: false; reason: Message } {
  let v = raw.trim();
  const quoted = /^="(.*)"$/s.exec(v);
  if (quoted) v = (quoted[1] ?? '').trim();
  else if (/^[=+@]/.test(v)) return { ok: false, reason: msg('orders.cellFormula', { text: v.slice(0, 30) }) };
  v = v.replace(/^'/, '').trim();
  if (v.endsWith('~')) return { ok: false, reason: msg('orders.cellInexactNumber', { text: v.slice(0, -1) }) };
  if (v === '') return { ok: false, reason: msg('orders.cellEmpty') };
  if (v.length > MAX_NUMBER_CHARS) return { ok: false, reason: msg('orders.cellTooLong', { max: MAX_NUMBER_CHARS }) };
  if (CONTROL.test(v)) return { ok: false, reason: msg('orders.cellControl') };
  if (normalizeCode(v) === '') return { ok: false, reason: msg('orders.cellEmpty') };
  return { ok: true, value: v };
}

/** A buyer's name or account as the screens may show it: first and last character, the rest starred. */
export function maskBuyer(name: string): string | null {
  const chars = Array.from(name.trim().replace(CONTROL, ''));
  if (!chars.length) return null;
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars.at(-1)}`;
}

function text(raw: string | undefined, max = 300): string | null {
  const v = (raw ?? '').replace(CONTROL, ' ').trim();
  return v ? v.slice(0, max) : null;
}

/** Waybill cells may hold several numbers (split parcels): separated by commas, semicolons, slashes, spaces or newlines. */
function waybillsOf(raw: string): Array<ReturnType<typeof numberCell>> {
  const parts = raw.split(/[,，;；/、\s]+/).filter((p) => p.trim() !== '');
  return parts.map(numberCell);
}

export function parseOrderRows(rows: readonly OrderRow[], columns: Partial<Record<OrderField, number>>, defaultPlatform: string | null): ParsedOrders {
  const byNorm = new Map<string, ParsedOrder>();
  const seen = new Map<string, number>();
  const skipped: SkippedRow[] = [];
  const cell = (r: OrderRow, f: OrderField): string | undefined => (columns[f] === undefined ? undefined : (r.cells[columns[f]!] ?? ''));
  const hasItems = columns.itemName !== undefined || columns.sku !== undefined;

  for (const r of rows) {
    const no = numberCell(cell(r, 'orderNo') ?? '');
    if (!no.ok) {
      skipped.push(skippedRow(r.line, msg('orders.orderNumberBad', { why: no.reason })));
      continue;
    }
    const key = JSON.stringify((['orderNo', 'waybill', 'itemName', 'qty', 'sku', 'buyer', 'platform'] as const).map((f) => (cell(r, f) ?? '').trim()));
    const first = seen.get(key);
    if (first !== undefined) {
      skipped.push(skippedRow(r.line, msg('orders.duplicateOfLine', { first })));
      continue;
    }
    seen.set(key, r.line);

    let qty = 1;
    const rawQty = (cell(r, 'qty') ?? '').trim();
    if (rawQty !== '') {
      const n = Number(rawQty.replace(/^="(.*)"$/, '$1'));
      if (!Number.isInteger(n) || n < 1 || n > MAX_QTY) {
        skipped.push(skippedRow(r.line, msg('orders.quantityBad', { qty: rawQty.slice(0, 20), max: MAX_QTY })));
        continue;
      }
      qty = n;
    }
    const waybills: Array<[string, string]> = [];
    let bad: Message | null = null;
    for (const w of waybillsOf(cell(r, 'waybill') ?? '')) {
      if (!w.ok) {
        bad = msg('orders.waybillBad', { why: w.reason });
        break;
      }
      waybills.push([normalizeCode(w.value), w.value]);
    }
    if (bad) {
      skipped.push(skippedRow(r.line, bad));
      continue;
    }

    const norm = normalizeCode(no.value);
    let order = byNorm.get(norm);
    if (!order) {
      order = { orderNo: no.value, norm, platform: null, buyerMasked: null, waybills: new Map(), items: [] };
      byNorm.set(norm, order);
    }
    order.platform ??= text(cell(r, 'platform'), 64) ?? defaultPlatform;
    if (order.buyerMasked === null) {
      const buyer = text(cell(r, 'buyer'), 64);
      if (buyer) order.buyerMasked = maskBuyer(buyer);
    }
    for (const [n, w] of waybills) if (!order.waybills.has(n)) order.waybills.set(n, w);
    const name = text(cell(r, 'itemName'));
    const sku = text(cell(r, 'sku'), 64);
    if (name || sku) order.items.push({ name: name ?? sku!, sku, qty });
  }
  return { orders: [...byNorm.values()], hasItems, skipped };
}
