/**
 * What should have been in the box, in the evidence: the evidence sheet's rows and the appeal text
 * list the imported order's items (name, SKU, quantity) and who packed it; text from the shop's file
 * stays on its line.
 */
import { describe, expect, it } from 'vitest';
import type { Claim, ScannedOrder } from '../../shared/api.js';
import { appealText, type AppealClip } from '../../shared/appeal-text.js';
import { LABELS, SHEET_MAX_ITEMS, sheetRows, type SheetFacts } from '../../electron/station/export/sheet-text.js';

const order: ScannedOrder = {
  orderNo: '260101-555',
  platform: '淘宝',
  buyer: '张*三',
  items: [
    { name: '白瓷马克杯 350ml', sku: 'MUG-350', qty: 2 },
    { name: 'Gift box\u2028forged line', sku: null, qty: 1 },
  ],
  waybills: ['SF3141592653589'],
};

const facts = (over: Partial<SheetFacts> = {}): SheetFacts => ({
  codes: ['SF3141592653589'],
  station: '一号台',
  mode: 'pack',
  startIso: '2026-12-05T05:20:00.000Z',
  endIso: '2026-12-05T05:20:42.000Z',
  clipId: 7,
  durationSec: 42,
  size: '640×360',
  clipSha256: 'a'.repeat(64),
  keyFingerprint: 'SHA256:x',
  frames: { intervalSeconds: 5, tiles: 9, scans: 1 },
  notes: [],
  ...over,
});

describe('the evidence sheet lists the order and its items', () => {
  it('one row per item with SKU and quantity, the order number and platform, the packer by name and badge', () => {
    const rows = sheetRows(LABELS['zh-CN'], facts({ order, packer: { code: 'PK-WANG', name: '王小明' } }));
    const text = (label: string) => rows.filter((r) => r.label === label).map((r) => r.value);
    expect(text('订单 Order')).toEqual(['260101-555 · 淘宝']);
    expect(text('商品 Item')).toEqual(['白瓷马克杯 350ml × 2 · SKU MUG-350', 'Gift box forged line × 1']);
    expect(text('打包员 Packer')).toEqual(['王小明 (PK-WANG)']);
  });

  it('a badge without a name shows its code once; no order, no item rows', () => {
    const rows = sheetRows(LABELS.en, facts({ packer: { code: 'PK-9', name: 'PK-9' } }));
    expect(rows.find((r) => r.label === 'Packer')?.value).toBe('PK-9');
    expect(rows.some((r) => r.label === 'Item' || r.label === 'Order')).toBe(false);
  });

  it('a long order is summed up in its last row, never cut without saying so', () => {
    const items = Array.from({ length: 14 }, (_, i) => ({ name: `Item ${i + 1}`, sku: `S${i + 1}`, qty: 1 }));
    const rows = sheetRows(LABELS.en, facts({ order: { ...order, items } })).filter((r) => r.label === 'Item');
    expect(rows).toHaveLength(SHEET_MAX_ITEMS);
    expect(rows.at(-2)!.value).toBe(`Item ${SHEET_MAX_ITEMS - 1} × 1 · SKU S${SHEET_MAX_ITEMS - 1}`);
    expect(rows.at(-1)!.value).toBe(`… and ${14 - SHEET_MAX_ITEMS + 1} more items`);
  });
});

describe('the appeal text lists the order’s items', () => {
  const clip: AppealClip = {
    id: 7,
    station: 'Bench 2',
    codeDetails: [{ code: 'SF3141592653589', kind: 'waybill', scannedAt: '2026-12-05T05:20:01.000Z' }],
    startedAt: '2026-12-05T05:20:00.000Z',
    endedAt: '2026-12-05T05:20:42.000Z',
    video: { bytes: 1000, sha256: 'a'.repeat(64), durationMs: 42_000, fps: 15 },
    gaps: [],
    order,
  };
  const claim: Claim = { id: 3, clipId: 7, createdAt: '2026-12-06T01:00:00.000Z', actor: 'cs', platform: '淘宝', claimNumber: 'TB-1', buyerWords: '', files: [] };

  it('in Chinese and English: the order number, then each item with quantity and SKU, one per line', () => {
    const zh = appealText({ lang: 'zh-CN', clip, claim, utcOffsetMinutes: 480 }).text.split('\n');
    const at = zh.indexOf('订单 260101-555 的商品：');
    expect(at).toBeGreaterThan(0);
    expect(zh.slice(at + 1, at + 3)).toEqual(['  - 白瓷马克杯 350ml × 2（SKU MUG-350）', '  - Gift boxforged line × 1']);
    const en = appealText({ lang: 'en', clip, claim, utcOffsetMinutes: 480 }).text;
    expect(en).toContain('Items of order 260101-555:\n  - 白瓷马克杯 350ml × 2 (SKU MUG-350)\n  - Gift boxforged line × 1\n');
  });

  it('shortened to any length, it keeps the whole list or none of it (a partial list would say less was ordered)', () => {
    const full = appealText({ lang: 'en', clip, claim, utcOffsetMinutes: 480 });
    let dropped = 0;
    for (let max = full.chars - 1; max >= 100; max -= 3) {
      const { text } = appealText({ lang: 'en', clip, claim, utcOffsetMinutes: 480, maxChars: max });
      const parts = ['Items of order 260101-555:', '白瓷马克杯 350ml × 2', 'Gift boxforged line × 1'].map((p) => text.includes(p));
      expect(new Set(parts).size, `maxChars ${max}: ${text}`).toBe(1);
      if (!parts[0]) dropped++;
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('a clip without an order has no item list', () => {
    expect(appealText({ lang: 'en', clip: { ...clip, order: null }, claim, utcOffsetMinutes: 480 }).text).not.toContain('Items of order');
  });
});
