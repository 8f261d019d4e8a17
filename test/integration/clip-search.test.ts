import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { searchClips, searchClipsByLike, suffixIndexQuery, type ClipFilters } from '../../electron/station/clips/clip-search.js';
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

  it('handles fragments too short for the index', () => {
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

  it('looks fragments up through the suffix index, not a scan of every code', () => {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT cc.rowid FROM clip_code_suffix s JOIN clip_codes cc ON cc.rowid = s.rowid WHERE clip_code_suffix MATCH ? ORDER BY s.rowid DESC`)
      .all(suffixIndexQuery('90123')) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(suffixIndexQuery('1234567890')).toBe('"1234" AND "7890"');
    expect(suffixIndexQuery('12345')).toBe('"1234" AND "2345"');
    expect(suffixIndexQuery('12341234')).toBe('"1234"');
    expect(suffixIndexQuery('1234')).toBe('"1234"');
    expect(suffixIndexQuery('123')).toBe('"123" *');
    expect(suffixIndexQuery('a"b')).toBe('"a""b" *');
    // Characters, not UTF-16 units: the index's terms were cut by SQL's substr.
    expect(suffixIndexQuery('𝟘𝟙𝟚𝟛𝟜')).toBe('"𝟘𝟙𝟚𝟛" AND "𝟙𝟚𝟛𝟜"');
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => searchClips(db, { q: 'SF' }, 'garbage', 5)).toThrow(/cursor/);
  });
});

/**
 * The suffix index on its own: many codes sharing their last digits, some holding the same digits in
 * the middle too, codes with characters that are not letters or digits, and rows changed behind it.
 */
describe('clip search through the suffix index', () => {
  let db: Db;
  let clips: ClipsRepo;
  const find = (f: ClipFilters, limit = 1000) => searchClips(db, f, undefined, limit).items.map((c) => c.id);
  const pageThrough = (f: ClipFilters, limit: number): number[] => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = searchClips(db, f, cursor, limit);
      seen.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error('the cursor never ran out');
  };
  const MIN = 60_000;
  const add = (minute: number, codes: string[], opts: { mode?: 'pack' | 'return'; station?: string } = {}): number => {
    const start = T0 + minute * MIN;
    const id = clips.create({ station: opts.station ?? 'Bench A', camera: 'demo', mode: opts.mode ?? 'pack', startMs: start });
    codes.forEach((code, i) => clips.addCode(id, code, 'waybill', start + i * 1000));
    clips.end(id, start + 60_000, 'closed', 'next-scan');
    return id;
  };
  const ids: Record<string, number> = {};
  /** A named clip's id; a misspelt name fails here rather than comparing against undefined (indexOf gives -1). */
  const idOf = (name: string): number => {
    const v = ids[name];
    if (v === undefined) throw new Error(`no clip named ${name}`);
    return v;
  };

  beforeAll(() => {
    db = openDatabase(join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-suffix-')), 'packwitness.db'));
    clips = new ClipsRepo(db);
    // Scanned in time order, as a station does: 60 waybills ending in 84321 (every third a return, every
    // fourth on Bench B), one every 10 minutes; 20 holding 4321 in the middle, 5 minutes after each of the first 20.
    for (let i = 0; i < 60; i++) {
      ids[`end${i}`] = add(i * 10, [`YT7${String(i).padStart(6, '0')}84321`], { mode: i % 3 === 0 ? 'return' : 'pack', station: i % 4 === 0 ? 'Bench B' : 'Bench A' });
      if (i < 20) ids[`mid${i}`] = add(i * 10 + 5, [`JD43210${String(700000 + i)}`]);
    }
    // Both by suffix and in the middle, in one code and across two codes of one clip.
    ids.twiceInOne = add(1000, ['4321004321']);
    ids.twoCodes = add(1010, ['SF88884321', '77432177']);
    ids.shopify = add(1020, ['#4321']);
    ids.ems = add(1030, ['EA123456789CN']);
    ids.wide = add(1040, ['ＳＦ１２３４']);
    ids.astral = add(1050, ['𝟘𝟙𝟚𝟛𝟜𝟝']);
    ids.short = add(1060, ['AB']);
  });

  it('finds every code ending in the digits a customer reads out, across pages, each clip once', () => {
    for (const q of ['4321', '84321', '0084321', '321']) {
      const all = find({ q });
      expect(all, q).toEqual(searchClipsByLike(db, q, 1000));
      for (const limit of [1, 7, 50]) expect(pageThrough({ q }, limit), `${q} by ${limit}`).toEqual(all);
    }
    const all = find({ q: '4321' });
    expect(all).toHaveLength(60 + 20 + 3);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 4)).toEqual([ids.shopify, ids.twoCodes, ids.twiceInOne, ids.end59]);
    // Newest first: the suffix and middle matches interleave by when they were scanned, not by how they matched.
    expect(all.indexOf(idOf('mid0'))).toBeGreaterThan(all.indexOf(idOf('end1')));
    expect(all.indexOf(idOf('mid0'))).toBeLessThan(all.indexOf(idOf('end0')));
  });

  it('lists a clip once when its code matches both at the end and in the middle', () => {
    expect(find({ q: '004321' })).toEqual([ids.twiceInOne]);
    expect(find({ q: '4321', fromMs: T0 + 1000 * MIN, toMs: T0 + 1020 * MIN })).toEqual([ids.twoCodes, ids.twiceInOne]);
    expect(pageThrough({ q: '4321', fromMs: T0 + 1000 * MIN }, 1)).toEqual([ids.shopify, ids.twoCodes, ids.twiceInOne]);
  });

  it('combines a suffix fragment with mode, station and date filters, page by page', () => {
    const like = (pred: (i: number) => boolean): number[] =>
      Array.from({ length: 60 }, (_, i) => i)
        .filter(pred)
        .map((i) => ids[`end${i}`]!)
        .reverse();
    const f: ClipFilters = { q: '84321', mode: 'return', station: 'Bench B' };
    expect(pageThrough(f, 2)).toEqual(like((i) => i % 3 === 0 && i % 4 === 0));
    // The middle matches are packs: a return filter leaves the suffix matches only.
    expect(pageThrough({ q: '4321', mode: 'return', toMs: T0 + 300 * MIN }, 3)).toEqual(like((i) => i % 3 === 0 && i < 30));
    expect(pageThrough({ q: '4321', mode: 'pack', fromMs: T0 + 100 * MIN, toMs: T0 + 130 * MIN }, 2)).toEqual([ids.mid12, ids.mid11, ids.end11, ids.mid10, ids.end10]);
    expect(find({ q: '4321', status: 'cancelled' })).toEqual([]);
  });

  it('keeps characters that are not letters or digits inside the terms', () => {
    expect(find({ q: '#432' })).toEqual([ids.shopify]);
    expect(find({ q: '#4321' })).toEqual([ids.shopify]);
    expect(find({ q: '89CN' })).toEqual([ids.ems]);
    expect(find({ q: '789cn' })).toEqual([ids.ems]);
    expect(find({ q: 'ｓｆ１２３' })).toEqual([ids.wide]);
    expect(find({ q: '𝟙𝟚𝟛' })).toEqual([ids.astral]);
    expect(find({ q: '𝟚𝟛𝟜𝟝' })).toEqual([ids.astral]);
    expect(find({ q: '𝟘𝟙𝟚𝟛𝟜𝟝' })).toEqual([ids.astral]);
    expect(find({ q: 'AB' })).toEqual([ids.short]);
    for (const q of ['#432', '89CN', 'ｓｆ１２３', '𝟙𝟚𝟛', '𝟚𝟛𝟜𝟝', 'CN', '3456789']) expect(find({ q }), q).toEqual(searchClipsByLike(db, q, 1000));
  });

  it('follows codes that are changed or removed behind it (the triggers)', () => {
    // Straight from the index: a search would hide a stale entry behind its instr check.
    const indexed = (match: string): number[] =>
      (db.prepare('SELECT rowid FROM clip_code_suffix WHERE clip_code_suffix MATCH ?').all(match) as Array<{ rowid: number }>).map((r) => r.rowid);
    const id = add(2000, ['ZT5550001112223']);
    const { rowid } = db.prepare('SELECT rowid FROM clip_codes WHERE clip_id = ?').get(id) as { rowid: number };
    expect(find({ q: '1112223' })).toEqual([id]);
    expect(indexed('"1112" AND "2223"')).toEqual([rowid]);
    db.prepare("UPDATE clip_codes SET code = 'ZT5550009998887', code_norm = 'ZT5550009998887' WHERE clip_id = ?").run(id);
    expect(find({ q: '1112223' })).toEqual([]);
    expect(indexed('"1112" OR "2223" OR "223" *')).toEqual([]);
    expect(find({ q: '9998887' })).toEqual([id]);
    expect(indexed('"9998" AND "887" *')).toEqual([rowid]);
    db.prepare('DELETE FROM clip_codes WHERE clip_id = ?').run(id);
    expect(find({ q: '9998887' })).toEqual([]);
    expect(indexed('"ZT55"')).toEqual([]);
    expect(indexed('"887" *')).toEqual([]);
    // Codes too short for any term are left out of the index and found by the scan instead.
    expect(indexed('"AB" *')).toEqual([]);
  });
});
