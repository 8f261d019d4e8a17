import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { searchClips, searchClipsByLike, trigramQuery, type ClipFilters } from '../../electron/station/clips/clip-search.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

/** A real SQLite file with clips of two stations, both modes, over ten days. */
function seed(): { db: Db; ids: Record<string, number> } {
  const db = openDatabase(join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-search-')), 'packwitness.db'));
  const clips = new ClipsRepo(db);
  const ids: Record<string, number> = {};
  const add = (name: string, day: number, codes: Array<[string, 'order' | 'waybill']>, opts: { mode?: 'pack' | 'return'; station?: string } = {}): void => {
    const start = T0 + day * DAY;
    const id = clips.create({ station: opts.station ?? 'Bench A', camera: 'demo', mode: opts.mode ?? 'pack', startMs: start });
    codes.forEach(([code, kind], i) => clips.addCode(id, code, kind, start + i * 1000));
    clips.end(id, start + 60_000, 'closed', 'next-scan');
    ids[name] = id;
  };
  add('sf', 0, [['123456789012345678', 'order'], ['SF1234567890123', 'waybill']]);
  add('jd', 1, [['JDVA00088812345', 'waybill']], { station: 'Bench B' });
  add('amazon', 2, [['113-9988776-5544332', 'order']]);
  add('ret', 3, [['SF9990001112223', 'waybill']], { mode: 'return' });
  add('repack1', 4, [['YT7777712345678', 'waybill']]);
  add('repack2', 5, [['YT7777712345678', 'waybill']]);
  add('mixed', 6, [['ErpOrder-42', 'order']]);
  for (let i = 0; i < 25; i++) add(`bulk${i}`, 7 + i * 0.01, [[`ZT${String(5550000000000 + i)}`, 'waybill']]);
  return { db, ids };
}

describe('clip search', () => {
  let db: Db;
  let ids: Record<string, number>;
  const find = (f: ClipFilters, limit = 100) => searchClips(db, f, undefined, limit).items.map((c) => c.id);

  beforeAll(() => {
    ({ db, ids } = seed());
  });

  it('finds a clip by its exact code, a prefix, a suffix and a middle fragment', () => {
    expect(find({ q: 'SF1234567890123' })).toEqual([ids.sf]);
    expect(find({ q: 'SF12345' })).toEqual([ids.sf]);
    expect(find({ q: '90123' })).toEqual([ids.sf]); // the last 5 digits a customer reads out
    expect(find({ q: '0123' })).toEqual([ids.sf]);
    expect(find({ q: '8881' })).toEqual([ids.jd]);
  });

  it('ignores case and the spaces and dashes people type', () => {
    expect(find({ q: 'sf1234567890123' })).toEqual([ids.sf]);
    expect(find({ q: 'jdva 000-888' })).toEqual([ids.jd]);
    expect(find({ q: '9988776-5544332' })).toEqual([ids.amazon]);
    expect(find({ q: '99887765544332' })).toEqual([ids.amazon]);
    expect(find({ q: '113 9988' })).toEqual([ids.amazon]);
    expect(find({ q: 'erporder42' })).toEqual([ids.mixed]);
  });

  it('finds every clip of a re-packed code, newest first, each clip once', () => {
    expect(find({ q: '77777' })).toEqual([ids.repack2, ids.repack1]);
    // Both codes of the SF clip contain "1234": the clip is still listed once.
    const hits = find({ q: '1234' });
    expect(hits.filter((id) => id === ids.sf)).toHaveLength(1);
  });

  it('finds nothing for a fragment that is on no clip', () => {
    expect(find({ q: 'ZZZ999' })).toEqual([]);
    expect(find({ q: '31415926' })).toEqual([]);
  });

  it('handles fragments too short for the trigram index', () => {
    expect(find({ q: 'ER' })).toEqual([ids.mixed]);
    expect(find({ q: '8' }).length).toBeGreaterThan(3);
  });

  it('combines the fragment with date range, mode, station and status filters', () => {
    expect(find({ q: 'SF' })).toEqual([ids.ret, ids.sf]);
    expect(find({ q: 'SF', mode: 'return' })).toEqual([ids.ret]);
    expect(find({ q: 'SF', mode: 'pack' })).toEqual([ids.sf]);
    expect(find({ q: 'SF', fromMs: T0 + 2 * DAY })).toEqual([ids.ret]);
    expect(find({ q: 'SF', fromMs: T0, toMs: T0 + 1 * DAY })).toEqual([ids.sf]);
    expect(find({ q: '123', station: 'Bench B' })).toEqual([ids.jd]);
    expect(find({ mode: 'return' })).toEqual([ids.ret]);
    expect(find({ fromMs: T0 + 4 * DAY, toMs: T0 + 6 * DAY })).toEqual([ids.repack2, ids.repack1]);
    expect(find({ q: 'SF', status: 'cancelled' })).toEqual([]);
  });

  it('pages through many matches without duplicates or gaps, with and without a fragment', () => {
    for (const f of [{ q: '555' }, { q: 'ZT' }, {}] as ClipFilters[]) {
      const all = find(f, 1000);
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = searchClips(db, f, cursor, 7);
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 100);
      expect(seen, JSON.stringify(f)).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
    }
    expect(find({ q: '555' }, 1000)).toHaveLength(25);
  });

  it('returns what the slow LIKE baseline returns', () => {
    for (const q of ['90123', '7777', 'SF', '4567', '5544', 'nothing-here']) {
      expect(find({ q }, 1000), q).toEqual(searchClipsByLike(db, q, 1000));
    }
  });

  it('looks fragments up through the trigram index, not a scan of every code', () => {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT cc.rowid FROM clip_code_search s JOIN clip_codes cc ON cc.rowid = s.rowid WHERE clip_code_search MATCH ? ORDER BY s.rowid DESC`)
      .all(trigramQuery('90123')) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(trigramQuery('1234567890')).toBe('"123" AND "456" AND "890"');
    expect(trigramQuery('1234')).toBe('"123" AND "234"');
    expect(trigramQuery('123')).toBe('"123"');
    expect(trigramQuery('a"b')).toBe('"a""b"');
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => searchClips(db, { q: 'SF' }, 'garbage', 5)).toThrow(/cursor/);
  });
});
