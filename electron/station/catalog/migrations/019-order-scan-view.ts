import type { Migration } from './types.js';

/**
 * Each order keeps the answer a scan gives about it (`scan_json`, the `ScannedOrder` shape), written
 * by the import. A scan then reads one row instead of assembling the order from three tables: with a
 * million orders every one of those probes lands on a page not in the cache, and on this machine's
 * virtualised page faults (after each fork for ffmpeg, the station's pages are copy-on-write) the
 * assembly cost 2-3 ms per scan, against a 1 ms budget (bench/results/orders.json). Orders imported
 * before are filled here, with the same limits and order as `OrdersRepo.view` (50 items by position,
 * 20 waybills by their normalised form).
 */
export const migration019: Migration = {
  version: 19,
  name: 'order-scan-view',
  up: `
    ALTER TABLE orders ADD COLUMN scan_json TEXT;
    UPDATE orders SET scan_json = json_object(
      'orderNo', order_no,
      'platform', platform,
      'buyer', buyer_masked,
      'items', json(coalesce((SELECT json_group_array(json_object('name', i.name, 'sku', i.sku, 'qty', i.qty) ORDER BY i.position)
                   FROM (SELECT name, sku, qty, position FROM order_items WHERE order_id = orders.id ORDER BY position LIMIT 50) i), '[]')),
      'waybills', json(coalesce((SELECT json_group_array(w.waybill ORDER BY w.waybill_norm)
                   FROM (SELECT waybill, waybill_norm FROM order_waybills WHERE order_id = orders.id ORDER BY waybill_norm LIMIT 20) w), '[]'))
    );
  `,
};
