import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('database migrations', () => {
  it('number the schema versions 1, 2, 3… without holes', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('bring a new database to the latest version, in WAL mode', () => {
    const db = openDatabase(dbFile());
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('001: segment lookups by camera and time use the index, not a table scan', () => {
    const db = openDatabase(dbFile());
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM segments WHERE camera = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms')
      .all('demo', 2, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX segments_camera_start/);
    const gapPlan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM gaps WHERE camera = ? ORDER BY start_ms DESC LIMIT 1').all('demo') as Array<{ detail: string }>;
    expect(gapPlan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX gaps_camera_start/);
    db.close();
  });

  it('001: refuses a segment that ends before it starts', () => {
    const db = openDatabase(dbFile());
    db.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('demo', 'runs/demo/x', 0, 0)").run();
    expect(() =>
      db.prepare("INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (1, 'demo', 'f', 10, 5, -5, 1, 'x', 'ok', 0)").run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });

  it('refuse a database newer than the code, and leave it untouched', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/schema version 999, newer than this PackWitness understands/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    again.close();
  });

  it('roll back a migration that fails half-way', () => {
    const file = dbFile();
    expect(() =>
      openDatabase(file, { migrations: [...migrations, { version: migrations.length + 1, name: 'broken', up: 'CREATE TABLE t (x); INSERT INTO nope VALUES (1);' }] }),
    ).toThrow(/no such table: nope/);
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    db.close();
  });
});

describe('migration 002 (clips)', () => {
  it('finds clips by code (any case) and the recording clip through indexes', () => {
    const db = openDatabase(dbFile());
    const detail = (sql: string, ...args: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(detail('SELECT clip_id FROM clip_codes WHERE code = ? COLLATE NOCASE AND scanned_ms >= ?', 'SF1', 0)).toMatch(/USING (COVERING )?INDEX clip_codes_code/);
    expect(detail("SELECT id FROM clips WHERE status = 'recording'")).toMatch(/USING (COVERING )?INDEX clips_recording/);
    expect(detail('SELECT id FROM clips WHERE start_ms >= ? ORDER BY start_ms', 0)).toMatch(/USING (COVERING )?INDEX clips_start/);
    db.close();
  });
});

describe('migration 005 (segment chain)', () => {
  it('finds a segment’s chain entry and the head of the chain through indexes', () => {
    const db = openDatabase(dbFile());
    const detail = (sql: string, ...args: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(detail('SELECT seq FROM segment_chain WHERE segment_id = ?', 1)).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_segment_chain/);
    expect(detail('SELECT seq, entry_hash FROM segment_chain ORDER BY seq DESC LIMIT 1')).not.toMatch(/USE TEMP B-TREE/);
    expect(detail('SELECT s.id FROM segments s LEFT JOIN segment_chain c ON c.segment_id = s.id WHERE c.seq IS NULL')).toMatch(/INDEX sqlite_autoindex_segment_chain/);
    db.close();
  });

  it('remembers the last segment indexed before the chain existed', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 3) });
    old.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('demo', 'runs/demo/x', 0, 0)").run();
    for (const n of [1, 2]) {
      old.prepare("INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (1, 'demo', ?, 0, 1, 1, 1, 'x', 'ok', 0)").run(`f${n}`);
    }
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT upto_segment_id AS n FROM segment_chain_backfill').get()).toEqual({ n: 2 });
    db.close();
    const fresh = openDatabase(dbFile());
    expect(fresh.prepare('SELECT upto_segment_id AS n FROM segment_chain_backfill').get()).toEqual({ n: 0 });
    fresh.close();
  });
});
