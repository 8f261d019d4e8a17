import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubClipUpload } from '../../shared/api.js';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { searchClips } from '../../electron/station/clips/clip-search.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('migration 016: product codes on clips', () => {
  it('keeps every code with its rowid (the suffix index stays valid), accepts items, and keeps the index and the search triggers', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 14) });
    const oldRepo = new ClipsRepo(old);
    const a = oldRepo.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 1000 });
    const b = oldRepo.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 5000 });
    oldRepo.addCode(a, 'SF1234567890123', 'waybill', 1500);
    oldRepo.addCode(b, '3907000000000000001', 'order', 5500);
    oldRepo.addCode(b, 'SF9876543210987', 'waybill', 5600);
    // A deleted code leaves a hole in the rowids: the copy must not close it.
    old.prepare("DELETE FROM clip_codes WHERE code = '3907000000000000001'").run();
    oldRepo.addCode(b, '3907000000000000002', 'order', 5700);
    expect(() => old.prepare("INSERT INTO clip_codes (clip_id, code, kind, scanned_ms) VALUES (?, '6921168509256', 'item', 1600)").run(a)).toThrow(/CHECK/);
    const before = old.prepare('SELECT rowid, * FROM clip_codes ORDER BY rowid').all();
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare('SELECT rowid, * FROM clip_codes ORDER BY rowid').all()).toEqual(before);
    const find = (q: string): number[] => searchClips(db, { q }, undefined, 100).items.map((c) => c.id);
    // Codes from before the rebuild are found through the untouched suffix index; the deleted one is not.
    expect(find('4567890123')).toEqual([a]);
    expect(find('0000000002')).toEqual([b]);
    expect(find('0000000001')).toEqual([]);

    const repo = new ClipsRepo(db);
    repo.addCode(a, '6921168509256', 'item', 1600);
    expect(repo.get(a)!.codeDetails.map((c) => c.kind)).toEqual(['waybill', 'item']);
    expect(find('8509256')).toEqual([a]);
    // The delete trigger still takes a code out of the index.
    db.prepare("DELETE FROM clip_codes WHERE code = '6921168509256'").run();
    expect(find('8509256')).toEqual([]);
    expect(() => db.prepare("INSERT INTO clip_codes (clip_id, code, kind, scanned_ms) VALUES (?, 'X1', 'sku', 1)").run(a)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO clip_codes (clip_id, code, kind, scanned_ms) VALUES (99, 'X1', 'item', 1)").run()).toThrow(/FOREIGN KEY/);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT clip_id FROM clip_codes WHERE code = ? COLLATE NOCASE AND scanned_ms >= ?').all('SF1', 0) as Array<{ detail: string }>)
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX clip_codes_code/);
    db.close();
  });

  it('the hub takes item codes in a clip upload, and a carton of many products', () => {
    const upload = {
      clip: {
        id: 1, stationName: 'S', camera: 'demo', mode: 'pack', status: 'closed', startedAt: '2026-12-06T01:00:00.000Z', endedAt: '2026-12-06T01:01:00.000Z',
        endReason: 'stop-code', protected: false, note: null, video: { bytes: 10, sha256: 'a'.repeat(64), durationMs: 1000, fps: 15 },
        codeDetails: [
          { code: 'SF1234567890123', kind: 'waybill', scannedAt: '2026-12-06T01:00:01.000Z' },
          ...Array.from({ length: 150 }, (_, i) => ({ code: `69${String(i).padStart(11, '0')}`, kind: 'item', scannedAt: '2026-12-06T01:00:02.000Z' })),
        ],
      },
      bundle: { videoName: 'v.mp4', files: {} },
    };
    expect(HubClipUpload.parse(upload).clip.codeDetails[1]!.kind).toBe('item');
  });
});
