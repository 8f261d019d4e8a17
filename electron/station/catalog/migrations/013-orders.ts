import type { Migration } from './types.js';

/**
 * Orders imported from the shops' exports: what should be in the parcel, and under which
 * waybills it ships. Numbered 013 on its own: it needs nothing from 011 or 012.
 *
 * - Numbers are looked up as `normalizeCode` makes them (upper case, no spaces or dashes), the form a
 *   scan is searched in, so "ab-12" imported finds "AB12" scanned. Both lookups a scan makes (order
 *   number, waybill) are one index probe each: a scan must not slow down with a million orders.
 * - One order may ship under several waybills and one waybill may carry several orders, hence the
 *   link table; a re-import adds waybills and replaces the items, so it never duplicates.
 * - The buyer is stored masked: the station needs to tell two parcels apart, never to know who bought.
 * - `order_sources` remembers how a source's columns map to fields, keyed by its header row.
 * - A clip keeps the order it packed (`order_id`) and the order as it was then (`order_json`): a later
 *   re-import must not change what the evidence says was expected in the box. `packer` is the badge
 *   name signed in at the bench when the clip started.
 */
export const migration013: Migration = {
  version: 13,
  name: 'orders',
  up: `
    CREATE TABLE orders (
      id           INTEGER PRIMARY KEY,
      order_no     TEXT    NOT NULL,
      order_norm   TEXT    NOT NULL UNIQUE,
      platform     TEXT,
      buyer_masked TEXT,
      source       TEXT    NOT NULL,
      imported_ms  INTEGER NOT NULL,
      updated_ms   INTEGER NOT NULL
    );

    CREATE TABLE order_items (
      id        INTEGER PRIMARY KEY,
      order_id  INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      position  INTEGER NOT NULL,
      name      TEXT    NOT NULL,
      sku       TEXT,
      qty       INTEGER NOT NULL CHECK (qty > 0)
    );
    CREATE INDEX order_items_order ON order_items(order_id, position);

    CREATE TABLE order_waybills (
      waybill_norm TEXT    NOT NULL,
      order_id     INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      waybill      TEXT    NOT NULL,
      PRIMARY KEY (waybill_norm, order_id)
    ) WITHOUT ROWID;
    CREATE INDEX order_waybills_order ON order_waybills(order_id);

    CREATE TABLE order_sources (
      signature   TEXT PRIMARY KEY,
      headers     TEXT NOT NULL,
      mapping     TEXT NOT NULL,
      updated_ms  INTEGER NOT NULL
    );

    ALTER TABLE clips ADD COLUMN order_id INTEGER REFERENCES orders(id);
    ALTER TABLE clips ADD COLUMN order_json TEXT;
    ALTER TABLE clips ADD COLUMN packer TEXT;
    CREATE INDEX clips_order ON clips(order_id) WHERE order_id IS NOT NULL;
    CREATE INDEX clips_packer ON clips(packer, start_ms) WHERE packer IS NOT NULL;
  `,
};
