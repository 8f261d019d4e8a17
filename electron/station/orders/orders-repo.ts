/**
 * Orders in the station's SQLite (migration 013): imported in one transaction, looked up by a scanned
 * code in two index probes, and the column mapping each source was imported with. Each order row also
 * carries the scan's answer ready made (`scan_json`, migration 019), so a scan reads one row.
 */
import { normalizeCode, type ScannedOrder } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import type { ColumnMapping } from './order-columns.js';
import type { ParsedOrder } from './order-rows.js';

export interface ImportCounts {
  orders: number;
  items: number;
  created: number;
  updated: number;
}

/** How many items a scan answer lists at most: the checklist is read at a glance, not scrolled. */
export const MAX_SCAN_ITEMS = 50;
/** How many waybills a scan answer lists at most (a parcel split into more is rare). */
const MAX_WAYBILLS = 20;

export class OrdersRepo {
  constructor(private readonly db: Db) {}

  /**
   * Writes the orders in one transaction: all or nothing. An order already there (same number,
   * spaces, dashes and case aside) is updated: its items replaced by the source's (when the source
   * lists items for it), its waybills added to, platform and buyer kept unless the source gives them.
   */
  importOrders(orders: readonly ParsedOrder[], o: { source: string; replaceItems: boolean | ReadonlySet<string>; nowMs?: number }): ImportCounts {
    const now = o.nowMs ?? Date.now();
    const counts: ImportCounts = { orders: 0, items: 0, created: 0, updated: 0 };
    const find = this.db.prepare('SELECT id FROM orders WHERE order_norm = ?').pluck();
    const insert = this.db.prepare('INSERT INTO orders (order_no, order_norm, platform, buyer_masked, source, imported_ms, updated_ms, scan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const setScanJson = this.db.prepare('UPDATE orders SET scan_json = ? WHERE id = ?');
    const update = this.db.prepare('UPDATE orders SET order_no = ?, platform = coalesce(?, platform), buyer_masked = coalesce(?, buyer_masked), source = ?, updated_ms = ? WHERE id = ?');
    const dropItems = this.db.prepare('DELETE FROM order_items WHERE order_id = ?');
    const addItem = this.db.prepare('INSERT INTO order_items (order_id, position, name, sku, qty) VALUES (?, ?, ?, ?, ?)');
    const addWaybill = this.db.prepare('INSERT OR IGNORE INTO order_waybills (waybill_norm, order_id, waybill) VALUES (?, ?, ?)');
    const replaces = (ord: ParsedOrder): boolean => (typeof o.replaceItems === 'boolean' ? o.replaceItems : o.replaceItems.has(ord.norm));
    this.db.transaction(() => {
      for (const ord of orders) {
        const replace = replaces(ord);
        let id = find.get(ord.norm) as number | undefined;
        const isNew = id === undefined;
        if (id === undefined) {
          // A new order's answer is what this source says; an updated one's is read back below.
          const scanJson = JSON.stringify(newOrderView(ord));
          id = Number(insert.run(ord.orderNo, ord.norm, ord.platform, ord.buyerMasked, o.source, now, now, scanJson).lastInsertRowid);
          counts.created++;
        } else {
          update.run(ord.orderNo, ord.platform, ord.buyerMasked, o.source, now, id);
          counts.updated++;
          if (replace) dropItems.run(id);
        }
        if (isNew || replace) {
          ord.items.forEach((it, i) => addItem.run(id, i, it.name, it.sku, it.qty));
          counts.items += ord.items.length;
        }
        for (const [norm, w] of ord.waybills) addWaybill.run(norm, id, w);
        if (!isNew) setScanJson.run(JSON.stringify(this.view(id)), id);
        counts.orders++;
      }
    })();
    return counts;
  }

  /**
   * The order a scanned code names, as the scan answers it: its order number, else one of its waybills
   * (the newest order imported under it, when a parcel carries several). Probes on unique or primary
   * keys, and the order's answer ready made (the same as `view`, which reads it from three tables in
   * eight probes), so a scan costs about the same with a million orders as with none.
   */
  scanOrder(code: string): { id: number; order: ScannedOrder } | null {
    const norm = normalizeCode(code);
    if (!norm) return null;
    const row = (stmt(this.db, 'SELECT id, scan_json FROM orders WHERE order_norm = ?').get(norm) ??
      stmt(this.db, 'SELECT o.id, o.scan_json FROM order_waybills w JOIN orders o ON o.id = w.order_id WHERE w.waybill_norm = ? ORDER BY w.order_id DESC LIMIT 1').get(norm)) as
      | { id: number; scan_json: string | null }
      | undefined;
    if (!row) return null;
    const order = row.scan_json === null ? this.view(row.id) : (JSON.parse(row.scan_json) as ScannedOrder);
    return order ? { id: row.id, order } : null;
  }

  /** The order as a scan answer and a clip show it (buyer masked at import already). */
  view(id: number): ScannedOrder | null {
    const o = stmt(this.db, 'SELECT order_no, platform, buyer_masked FROM orders WHERE id = ?').get(id) as { order_no: string; platform: string | null; buyer_masked: string | null } | undefined;
    if (!o) return null;
    const items = stmt(this.db, 'SELECT name, sku, qty FROM order_items WHERE order_id = ? ORDER BY position LIMIT ?').all(id, MAX_SCAN_ITEMS) as Array<{ name: string; sku: string | null; qty: number }>;
    const waybills = stmt(this.db, 'SELECT waybill FROM order_waybills WHERE order_id = ? ORDER BY waybill_norm LIMIT ?').pluck().all(id, MAX_WAYBILLS) as string[];
    return { orderNo: o.order_no, platform: o.platform, buyer: o.buyer_masked, items, waybills };
  }

  /** Every number the order is known by (its own and its waybills'), as written: to find clips that scanned one of them. */
  numbersOf(id: number): string[] {
    const no = stmt(this.db, 'SELECT order_no FROM orders WHERE id = ?').pluck().get(id) as string | undefined;
    const waybills = stmt(this.db, 'SELECT waybill FROM order_waybills WHERE order_id = ?').pluck().all(id) as string[];
    return no === undefined ? waybills : [no, ...waybills];
  }

  savedMapping(signature: string): ColumnMapping | null {
    const row = stmt(this.db, 'SELECT mapping FROM order_sources WHERE signature = ?').pluck().get(signature) as string | undefined;
    return row ? (JSON.parse(row) as ColumnMapping) : null;
  }

  saveMapping(signature: string, headers: readonly string[], mapping: ColumnMapping): void {
    stmt(this.db, 'INSERT INTO order_sources (signature, headers, mapping, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT(signature) DO UPDATE SET headers = excluded.headers, mapping = excluded.mapping, updated_ms = excluded.updated_ms')
      .run(signature, JSON.stringify(headers), JSON.stringify(mapping), Date.now());
  }
}

/** SQLite's BINARY order (UTF-8 bytes), which `view` sorts waybills by. */
const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** What `view` reads back for an order this source has just created: its items in order, its waybills sorted. */
function newOrderView(ord: ParsedOrder): ScannedOrder {
  return {
    orderNo: ord.orderNo,
    platform: ord.platform,
    buyer: ord.buyerMasked,
    items: ord.items.slice(0, MAX_SCAN_ITEMS).map((it) => ({ name: it.name, sku: it.sku, qty: it.qty })),
    waybills: [...ord.waybills.keys()]
      .sort(byUtf8)
      .slice(0, MAX_WAYBILLS)
      .map((norm) => ord.waybills.get(norm)!),
  };
}
