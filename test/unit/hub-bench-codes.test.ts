import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/api.js';
import { clipCodes, orderNumber, waybill } from '../../bench/hub-codes.js';

const WAYBILL = /^(SF\d{13}|JD[A-Z]{2}\d{11}|YT\d{13}|\d{12,15}|E[A-Z]\d{9}CN|TBA\d{12}|1Z[A-Z0-9]{16})$/;
const ORDER = /^(\d{18,19}|\d{6}-\d{15}|\d{10,12}|\d{3}-\d{7}-\d{7}|\d{6}[A-Z0-9]{8}|#\d{4,6})$/;

describe('the hub benchmark’s code generators', () => {
  it('make waybills and order numbers in the carriers’ and platforms’ formats', () => {
    const at = Date.UTC(2026, 2, 14);
    const waybills = Array.from({ length: 2_000 }, () => waybill());
    const orders = Array.from({ length: 2_000 }, () => orderNumber(at));
    for (const w of waybills) expect(w).toMatch(WAYBILL);
    for (const o of orders) expect(o).toMatch(ORDER);
    // Every format turns up, and Pinduoduo numbers carry the day.
    for (const prefix of ['SF', 'JD', 'YT', 'TBA', '1Z']) expect(waybills.some((w) => w.startsWith(prefix))).toBe(true);
    expect(orders.some((o) => o.startsWith('260314-'))).toBe(true);
    expect(new Set(waybills).size).toBeGreaterThan(1_990);
  });

  it('gives a clip its order and waybill, sometimes a third code, each still a code after normalising', () => {
    const clips = Array.from({ length: 1_000 }, () => clipCodes(Date.UTC(2026, 0, 1)));
    for (const c of clips) {
      expect(c[0]!.kind).toBe('order');
      expect(c[1]!.kind).toBe('waybill');
      expect(c.length === 2 || c.length === 3).toBe(true);
      for (const x of c) expect(normalizeCode(x.code).length).toBeGreaterThanOrEqual(4);
    }
    expect(clips.some((c) => c.length === 3)).toBe(true);
  });
});
