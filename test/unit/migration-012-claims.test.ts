import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('migration 012: claims', () => {
  it('keeps every audit entry with its id, accepts `claim` entries, and reads claims by clip through the index', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 10) });
    old.prepare("INSERT INTO clips (id, station, camera, mode, status, start_ms, created_ms) VALUES (7, 'S', 'demo', 'pack', 'closed', 1000, 1000)").run();
    old.prepare("INSERT INTO audit_log (id, at_ms, actor, action, clip_id, detail) VALUES (41, 5, 'li', 'note', 7, 'mug')").run();
    expect(() => old.prepare("INSERT INTO audit_log (at_ms, actor, action, clip_id) VALUES (6, 'li', 'claim', 7)").run()).toThrow(/CHECK/);
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare('SELECT id, actor, action, detail FROM audit_log').all()).toEqual([{ id: 41, actor: 'li', action: 'note', detail: 'mug' }]);
    db.prepare("INSERT INTO audit_log (at_ms, actor, action, clip_id, detail) VALUES (6, 'li', 'claim', 7, 'claim 1')").run();
    expect(() => db.prepare("INSERT INTO audit_log (at_ms, actor, action, clip_id) VALUES (6, 'li', 'delete', 7)").run()).toThrow(/CHECK/);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(7) as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan('SELECT * FROM claims WHERE clip_id = ? ORDER BY created_ms DESC')).toMatch(/USING INDEX claims_clip/);
    expect(plan('SELECT * FROM audit_log WHERE clip_id = ? ORDER BY at_ms DESC')).toMatch(/USING INDEX audit_log_clip/);
    expect(plan('SELECT * FROM claim_files WHERE claim_id = ? ORDER BY position')).toMatch(/USING INDEX sqlite_autoindex_claim_files/);
    // A file row needs its claim (foreign keys are on) and a known kind.
    expect(() =>
      db.prepare("INSERT INTO claim_files (claim_id, position, kind, original_name, file, bytes, sha256, format, findings) VALUES (99, 1, 'photo', 'a', 'f', 1, 'x', 'jpeg', '[]')").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
