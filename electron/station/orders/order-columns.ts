/**
 * Which column of a shop's export holds what. The seller back-ends name their columns in Chinese or
 * English and differently per platform (PRODUCT.md lists the usual ones); the guesses below cover
 * those, and a source whose headers are not guessed is mapped once (`--map field=Header`) and the
 * mapping remembered under the source's header signature (orders-repo.ts).
 */
import { createHash } from 'node:crypto';

export const ORDER_FIELDS = ['orderNo', 'waybill', 'itemName', 'qty', 'sku', 'buyer', 'platform'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** field → the header text it was read from. */
export type ColumnMapping = Partial<Record<OrderField, string>>;

/**
 * Header texts per field, compared after `headerKey` (case, spaces, brackets and punctuation
 * ignored). First match in this order wins, so "订单编号" is preferred to a later "子订单编号".
 */
const GUESSES: Record<OrderField, readonly string[]> = {
  orderNo: ['订单编号', '订单号', '主订单编号', '订单ID', '订单id', 'order no', 'order number', 'order id', 'order'],
  waybill: ['运单号', '快递单号', '物流单号', '物流运单号', '快递运单号', '发货单号', 'waybill', 'waybill no', 'tracking number', 'tracking no', 'tracking', 'awb'],
  itemName: ['商品名称', '宝贝标题', '商品标题', '宝贝名称', '商品', 'item', 'item name', 'product', 'product name', 'title', 'lineitem name'],
  qty: ['数量', '购买数量', '宝贝数量', '商品数量', 'qty', 'quantity', 'lineitem quantity'],
  sku: ['商家编码', 'SKU', 'sku编码', '商品编码', '外部系统编号', '货号', 'seller sku', 'sku code', 'lineitem sku'],
  buyer: ['买家会员名', '买家', '买家昵称', '买家账号', '收货人', '收货人姓名', 'buyer', 'buyer name', 'customer', 'recipient'],
  platform: ['平台', '店铺', '店铺名称', '销售平台', 'platform', 'shop', 'store', 'channel'],
};

export function headerKey(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）【】[\]:：.#/]/g, '');
}

const GUESS_KEYS: Array<[OrderField, string[]]> = ORDER_FIELDS.map((f) => [f, GUESSES[f].map(headerKey)]);

/** The built-in guess for each field: the column whose header is the field's earliest-listed name. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const keys = headers.map(headerKey);
  const out: ColumnMapping = {};
  const taken = new Set<number>();
  for (const [field, names] of GUESS_KEYS) {
    for (const name of names) {
      const i = keys.findIndex((k, j) => k === name && !taken.has(j));
      if (i >= 0) {
        out[field] = headers[i];
        taken.add(i);
        break;
      }
    }
  }
  return out;
}

/**
 * Identifies a source by its header row (the same export from the same back-end has the same
 * columns), so its mapping is found again on the next import.
 */
export function headerSignature(headers: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(headers.map(headerKey))).digest('hex').slice(0, 32);
}

/** Column index per mapped field, or the first mapped header that is not in this file. */
export function resolveColumns(headers: readonly string[], mapping: ColumnMapping): { ok: true; columns: Partial<Record<OrderField, number>> } | { ok: false; missing: string } {
  const keys = headers.map(headerKey);
  const columns: Partial<Record<OrderField, number>> = {};
  for (const field of ORDER_FIELDS) {
    const header = mapping[field];
    if (header === undefined) continue;
    const i = keys.indexOf(headerKey(header));
    if (i < 0) return { ok: false, missing: header };
    columns[field] = i;
  }
  return { ok: true, columns };
}

/** Parses `field=Header` pairs from the command line; throws one sentence for a wrong one. */
export function parseMappingArgs(pairs: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const field = eq > 0 ? p.slice(0, eq).trim() : '';
    const header = eq > 0 ? p.slice(eq + 1).trim() : '';
    if (!(ORDER_FIELDS as readonly string[]).includes(field) || !header) {
      throw new Error(`--map takes field=Header with a field among ${ORDER_FIELDS.join(', ')}; "${p}" is not one.`);
    }
    out[field as OrderField] = header;
  }
  return out;
}
