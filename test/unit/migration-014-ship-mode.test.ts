import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('migration 014: hand-over mode', () => {
  it('keeps every clip with its id and references, accepts ship clips, and keeps the indexes and the hub outbox triggers', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 13) });
    old.prepare("INSERT INTO orders (id, order_no, order_norm, source, imported_ms, updated_ms) VALUES (3, 'A-1', 'A1', 'test.csv', 1, 1)").run();
    old.prepare(
      "INSERT INTO clips (id, station, camera, mode, status, start_ms, end_ms, created_ms, protected, note, order_id, order_json, packer) VALUES (7, 'S', 'demo', 'return', 'closed', 1000, 2000, 1000, 1, 'mug', 3, '{}', 'PK-LI')",
    ).run();
    old.prepare("INSERT INTO clip_codes (clip_id, code, kind, scanned_ms, code_norm) VALUES (7, 'SF1234567890123', 'waybill', 1500, 'SF1234567890123')").run();
    old.prepare("INSERT INTO audit_log (at_ms, actor, action, clip_id) VALUES (5, 'li', 'protect', 7)").run();
    expect(() => old.prepare("INSERT INTO clips (station, camera, mode, status, start_ms, created_ms) VALUES ('S', 'demo', 'ship', 'closed', 1, 1)").run()).toThrow(/CHECK/);
    const before = old.prepare('SELECT * FROM clips').all();
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare('SELECT * FROM clips').all()).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare("INSERT INTO clips (id, station, camera, mode, status, start_ms, created_ms) VALUES (8, 'S', 'demo', 'ship', 'recording', 3000, 3000)").run();
    expect(() => db.prepare("INSERT INTO clips (station, camera, mode, status, start_ms, created_ms) VALUES ('S', 'demo', 'fly', 'closed', 1, 1)").run()).toThrow(/CHECK/);
    // References to clips still hold, and are still enforced.
    expect(db.prepare('SELECT clip_id FROM clip_codes').pluck().all()).toEqual([7]);
    expect(() => db.prepare("INSERT INTO clip_codes (clip_id, code, kind, scanned_ms) VALUES (99, 'X1', 'order', 1)").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The hub outbox triggers came back: a written video queues the clip.
    db.prepare("UPDATE clips SET status = 'closed', end_ms = 4000, sha256 = 'ab' WHERE id = 8").run();
    expect(db.prepare('SELECT clip_id FROM hub_outbox').pluck().all()).toEqual([8]);
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan("SELECT id FROM clips WHERE status = 'recording'")).toMatch(/clips_recording/);
    expect(plan('SELECT id FROM clips WHERE order_id = 3')).toMatch(/clips_order/);
    expect(plan('SELECT id FROM clips ORDER BY start_ms DESC LIMIT 5')).toMatch(/clips_start|clips_playable|clips_protected/);
    db.close();
  });
});
