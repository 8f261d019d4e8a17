/**
 * An order import from start to end: the file read (order-file.ts), its columns mapped (the mapping
 * given, else the one remembered for this source, else the built-in guesses), each row checked
 * (order-rows.ts), then every order written in one transaction (orders-repo.ts). A refusal of the
 * whole file is one sentence and writes nothing; rows that cannot be used are skipped and named.
 */
import { normalizeCode, type OrderFilePreview, type OrderImportResult, type OrdersPushRequest } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { guessMapping, headerSignature, resolveColumns, type ColumnMapping } from './order-columns.js';
import { readOrderFile, type OrderSheet } from './order-file.js';
import { OrderImportError } from './order-import-error.js';
import { maskBuyer, numberCell, parseOrderRows, skippedRow, type ParsedOrder, type SkippedRow } from './order-rows.js';
import { msg, type Message } from '../localized-error.js';
import { render } from '../../../shared/messages/index.js';
import { OrdersRepo } from './orders-repo.js';
import { printable } from '../printable.js';

export interface OrderImportOptions {
  /** The platform of orders whose rows do not name one (`--platform`). */
  platform?: string | null;
  /** Columns chosen by the user; remembered for this source. */
  mapping?: ColumnMapping;
}

export interface OrderFileImportResult extends OrderImportResult {
  encoding: OrderSheet['encoding'];
  mapping: ColumnMapping;
  /** How long the write transaction held the database (other writers, the station's included, wait that long). */
  writeMs: number;
}

export async function importOrderFile(db: Db, file: string, o: OrderImportOptions = {}): Promise<OrderFileImportResult> {
  const sheet = await readOrderFile(file);
  return importOrderSheet(db, sheet, file.split(/[\\/]/).at(-1) ?? file, o);
}

export function importOrderSheet(db: Db, sheet: OrderSheet, name: string, o: OrderImportOptions = {}): OrderFileImportResult {
  const repo = new OrdersRepo(db);
  const signature = headerSignature(sheet.headers);
  const mapping: ColumnMapping = { ...guessMapping(sheet.headers), ...(repo.savedMapping(signature) ?? {}), ...(o.mapping ?? {}) };
  // Header text comes from the file: shown with its control characters made visible (printable.ts).
  const shown = sheet.headers.slice(0, 12).map((h) => `"${printable(h.slice(0, 20))}"`).join(', ');
  if (!mapping.orderNo) {
    throw new OrderImportError(msg('orders.noOrderNoColumn', { name: printable(name), headers: shown || msg('orders.noHeaders') }));
  }
  const resolved = resolveColumns(sheet.headers, mapping);
  if (!resolved.ok) throw new OrderImportError(msg('orders.noColumn', { name: printable(name), column: printable(resolved.missing), headers: shown }));
  const parsed = parseOrderRows(sheet.rows, resolved.columns, o.platform ?? null);
  if (!parsed.orders.length) {
    throw new OrderImportError(msg('orders.noImportableRow', { name: printable(name), why: skippedWhy(parsed.skipped, 'orders.lineReason') }));
  }
  // Mapping and orders in the same transaction: a failed import remembers nothing either.
  let counts!: ReturnType<OrdersRepo['importOrders']>;
  const t0 = performance.now();
  db.transaction(() => {
    counts = repo.importOrders(parsed.orders, { source: `file:${signature}`, replaceItems: parsed.hasItems });
    repo.saveMapping(signature, sheet.headers, mapping);
  })();
  return { ...counts, skipped: parsed.skipped, encoding: sheet.encoding, mapping, writeMs: performance.now() - t0 };
}

/** Rows the settings screen shows before an import: enough to recognise the file and check the columns. */
export const PREVIEW_ROWS = 8;

/** What an import of this sheet would read, for the settings screen to confirm: nothing is written. */
export function previewOrderSheet(db: Db, sheet: OrderSheet, name: string): OrderFilePreview {
  const saved = new OrdersRepo(db).savedMapping(headerSignature(sheet.headers));
  return {
    name,
    encoding: sheet.encoding,
    headers: sheet.headers,
    rows: sheet.rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.line, cells: r.cells })),
    rowCount: sheet.rows.length,
    mapping: { ...guessMapping(sheet.headers), ...(saved ?? {}) },
    remembered: saved !== null,
  };
}

/** Orders a shop pushed as JSON (already schema-checked): the same checks as a file's rows, numbered from 1. */
export function importPushedOrders(db: Db, body: OrdersPushRequest): OrderImportResult {
  const skipped: SkippedRow[] = [];
  const byNorm = new Map<string, ParsedOrder>();
  // An order pushed without `items` keeps the items it has; with them (even []) they are replaced.
  const withItems = new Set<string>();
  body.orders.forEach((p, i) => {
    const line = i + 1;
    const no = numberCell(p.orderNo);
    if (!no.ok) return void skipped.push(skippedRow(line, msg('orders.orderNumberBad', { why: no.reason })));
    const waybills = new Map<string, string>();
    for (const w of p.waybills ?? []) {
      const c = numberCell(w);
      if (!c.ok) return void skipped.push(skippedRow(line, msg('orders.waybillBad', { why: c.reason })));
      waybills.set(normalizeCode(c.value), c.value);
    }
    const norm = normalizeCode(no.value);
    if (byNorm.has(norm)) return void skipped.push(skippedRow(line, msg('orders.listedTwice', { order: no.value })));
    if (p.items !== undefined) withItems.add(norm);
    byNorm.set(norm, {
      orderNo: no.value,
      norm,
      platform: p.platform?.trim() || body.platform?.trim() || null,
      buyerMasked: p.buyer ? maskBuyer(p.buyer) : null,
      waybills,
      items: (p.items ?? []).map((it) => ({ name: it.name.trim(), sku: it.sku?.trim() || null, qty: it.qty ?? 1 })),
    });
  });
  const orders = [...byNorm.values()];
  if (!orders.length) throw new OrderImportError(msg('orders.noImportableOrder', { why: skippedWhy(skipped, 'orders.orderReason') }));
  const counts = new OrdersRepo(db).importOrders(orders, { source: 'api', replaceItems: withItems });
  return { ...counts, skipped };
}

/**
 * The first three skipped rows, for the sentence that refuses a whole import: " (line 2: …; line 3: …; 5 more)".
 * Their reasons quote cells of the file, so each is made printable (printable.ts); the list is
 * joined per language (a two-language parameter), with the separator each language writes.
 */
function skippedWhy(skipped: readonly SkippedRow[], each: 'orders.lineReason' | 'orders.orderReason'): Message | '' {
  if (!skipped.length) return '';
  const listed = skipped.slice(0, 3).map((s) => msg(each, { line: s.line, reason: s.text }));
  const rows = { en: printable(listed.map((m) => render(m, 'en')).join('; ')), 'zh-CN': printable(listed.map((m) => render(m, 'zh-CN')).join('；')) };
  return skipped.length > 3 ? msg('orders.skippedWhyMore', { rows, more: skipped.length - 3 }) : msg('orders.skippedWhy', { rows });
}
