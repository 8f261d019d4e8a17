import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { searchClips, searchClipsByLike } from '../../electron/station/clips/clip-search.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';

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
      openDatabase(file, { migrations: [...migrations, { version: migrations.at(-1)!.version + 1, name: 'broken', up: 'CREATE TABLE t (x); INSERT INTO nope VALUES (1);' }] }),
    ).toThrow(/no such table: nope/);
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
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

describe('migration 004 (search by the heads of suffixes)', () => {
  it('upgrades a v3 database: codes recorded before and after are found by any fragment, the trigram index is gone', () => {
    const file = dbFile();
    const v3 = openDatabase(file, { migrations: migrations.slice(0, 3) });
    expect(schemaVersion(v3)).toBe(3);
    const before = new ClipsRepo(v3);
    const t0 = Date.UTC(2026, 10, 1);
    const old: number[] = [];
    for (const [i, codes] of [['SF3141592653589', '123456789012345678'], ['YT2718281828459'], ['#4589'], ['AB']].entries()) {
      const id = before.create({ station: 'Bench A', camera: 'demo', mode: 'pack', startMs: t0 + i * 60_000 });
      codes.forEach((c, k) => before.addCode(id, c, 'waybill', t0 + i * 60_000 + k));
      old.push(id);
    }
    v3.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toContain('clip_code_suffix');
    expect(tables.filter((n) => n.startsWith('clip_code_search') || /^clip_codes_a[idu]$/.test(n))).toEqual([]);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM clip_code_suffix WHERE clip_code_suffix MATCH '"3589"' ORDER BY rowid DESC`).all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    const find = (q: string): number[] => searchClips(db, { q }, undefined, 100).items.map((c) => c.id);
    expect(find('53589')).toEqual([old[0]]);
    expect(find('3589')).toEqual([old[0]]);
    expect(find('589')).toEqual([old[2], old[0]]);
    expect(find('1828')).toEqual([old[1]]);
    expect(find('AB')).toEqual([old[3]]);
    const after = new ClipsRepo(db);
    const id = after.create({ station: 'Bench A', camera: 'demo', mode: 'pack', startMs: t0 + 3_600_000 });
    after.addCode(id, 'JDVA00053589', 'waybill', t0 + 3_600_000);
    expect(find('53589')).toEqual([id, old[0]]);
    for (const q of ['53589', '589', '4589', '#45', '5678', 'nothing', '2718281828459']) expect(find(q), q).toEqual(searchClipsByLike(db, q, 100));
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

describe('migration 006 (retention)', () => {
  it('marks deleted footage and expired clips on the rows, and finds what is still on disk through partial indexes', () => {
    const db = openDatabase(dbFile());
    const cols = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols('segments')).toEqual(expect.arrayContaining(['file_deleted_ms', 'file_deleted_reason']));
    expect(cols('clips')).toEqual(expect.arrayContaining(['video_expired_ms', 'video_expired_reason']));
    const detail = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(detail('SELECT id FROM segments WHERE file_deleted_ms IS NULL ORDER BY start_ms LIMIT 10')).toMatch(/USING INDEX segments_on_disk/);
    expect(detail('SELECT id FROM clips WHERE video_expired_ms IS NULL ORDER BY start_ms LIMIT 10')).toMatch(/USING INDEX clips_playable/);
    db.close();
  });
});

describe('migration 008 (camera passwords masked)', () => {
  const URLS = [
    // Long, so the masked row is much shorter than the old one and the old text is left in the page's free space.
    `rtsp://user:s3cr%40t${'%2F'.repeat(40)}@127.0.0.1:554/x`,
    'rtsp://admin:s3cr@t:1@192.168.1.64/Streaming/Channels/101',
    'http://cam:s3cret@10.0.0.9:8080/live.ts',
  ];

  it('masks the passwords runs and gaps were written with, leaves other rows alone, and leaves no trace in the files', () => {
    const file = dbFile();
    const v7 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 7) });
    expect(schemaVersion(v7)).toBe(7);
    const run = v7.prepare('INSERT INTO runs (camera, dir, t0_ms, started_ms, ended_ms, end_reason) VALUES (?, ?, 0, 0, 1, ?)');
    const gap = v7.prepare('INSERT INTO gaps (camera, start_ms, end_ms, reason) VALUES (?, 0, 1, ?)');
    URLS.forEach((url, i) => {
      // ffmpeg's error as the watchdog stored it before passwords were masked: the URL quoted twice.
      const reason = `ffmpeg exited with code 1: ${url}: Connection refused: ${url}: Connection refused`;
      run.run('rtsp-cam', `runs/rtsp-cam/${i}`, reason);
      gap.run('rtsp-cam', reason);
    });
    run.run('demo', 'runs/demo/1', 'stopped');
    gap.run('demo', 'camera settings changed');
    v7.close();

    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 8) });
    expect(schemaVersion(db)).toBe(8);
    const reasons = (db.prepare('SELECT end_reason AS r FROM runs ORDER BY id').all() as Array<{ r: string }>).map((x) => x.r);
    const gapReasons = (db.prepare('SELECT reason AS r FROM gaps ORDER BY id').all() as Array<{ r: string }>).map((x) => x.r);
    expect(reasons[0]).toBe('ffmpeg exited with code 1: rtsp://user:***@127.0.0.1:554/x: Connection refused: rtsp://user:***@127.0.0.1:554/x: Connection refused');
    expect(reasons[1]).toMatch(/^ffmpeg exited with code 1: rtsp:\/\/admin:\*\*\*@192\.168\.1\.64\/Streaming/);
    expect(reasons[2]).toMatch(/http:\/\/cam:\*\*\*@10\.0\.0\.9:8080\/live\.ts/);
    expect(reasons[3]).toBe('stopped');
    expect(gapReasons.slice(0, 3)).toEqual(reasons.slice(0, 3));
    expect(gapReasons[3]).toBe('camera settings changed');
    // The migration's secure_delete is not left on for the station's own writes.
    expect(db.pragma('secure_delete', { simple: true })).toBe(0);
    db.close();

    // Not in the page's free space, nor in an old page image in the WAL.
    const dir = dirname(file);
    const bytes = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');
    expect(bytes.includes('Connection refused')).toBe(true);
    expect(bytes.includes('s3cr')).toBe(false);
  });
});

describe('migration 010 (clip frame rate)', () => {
  it('adds the frame rate to clips: unknown for clips cut before, kept for clips cut after', () => {
    const file = dbFile();
    const v9 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 9) });
    const old = new ClipsRepo(v9);
    const before = old.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 1_000 });
    v9.prepare("UPDATE clips SET status = 'closed', end_ms = 5000, file = 'clips/a.mp4', bytes = 10, sha256 = ?, video_duration_ms = 4000 WHERE id = ?").run('a'.repeat(64), before);
    v9.close();

    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 10) });
    expect(schemaVersion(db)).toBe(10);
    const clips = new ClipsRepo(db);
    expect(clips.get(before)!.video).toEqual({ bytes: 10, sha256: 'a'.repeat(64), durationMs: 4_000, fps: null });
    clips.setFps(before, 15);
    expect(clips.get(before)!.video!.fps).toBe(15);
    const after = clips.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 6_000 });
    clips.setVideo(after, { file: 'clips/b.mp4', bytes: 20, sha256: 'b'.repeat(64), durationMs: 3_000, fps: 25 });
    expect(clips.get(after)!.video!.fps).toBe(25);
    db.close();
  });
});

describe('migration 011 (hub outbox)', () => {
  it('queues a clip when its video is written and again when it is protected or annotated; clips cut before are not queued', () => {
    const file = dbFile();
    const v10 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 10) });
    const old = new ClipsRepo(v10);
    const before = old.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 1_000 });
    v10.prepare("UPDATE clips SET status = 'closed', end_ms = 5000, file = 'clips/a.mp4', bytes = 10, sha256 = ?, video_duration_ms = 4000 WHERE id = ?").run('a'.repeat(64), before);
    v10.close();

    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 11) });
    expect(schemaVersion(db)).toBe(11);
    const clips = new ClipsRepo(db);
    const outbox = () => db.prepare('SELECT clip_id, uploaded_ms FROM hub_outbox ORDER BY clip_id').all() as Array<{ clip_id: number; uploaded_ms: number | null }>;
    expect(outbox()).toEqual([]);
    const id = clips.create({ station: 'S', camera: 'demo', mode: 'pack', startMs: 10_000 });
    expect(outbox()).toEqual([]); // still recording, no video
    db.prepare("UPDATE clips SET status = 'closed', end_ms = 15000 WHERE id = ?").run(id);
    clips.setVideo(id, { file: 'clips/b.mp4', bytes: 20, sha256: 'b'.repeat(64), durationMs: 5000 });
    expect(outbox()).toEqual([{ clip_id: id, uploaded_ms: null }]);
    db.prepare('UPDATE hub_outbox SET uploaded_ms = 1 WHERE clip_id = ?').run(id);
    // The triggers themselves, not ClipsRepo (whose later code reads tables this schema does not have yet).
    db.prepare('UPDATE clips SET protected = 1 WHERE id = ?').run(id);
    expect(outbox()).toEqual([{ clip_id: id, uploaded_ms: null }]); // one row, queued again
    db.prepare('UPDATE hub_outbox SET uploaded_ms = 2 WHERE clip_id = ?').run(id);
    db.prepare('UPDATE clips SET note = ? WHERE id = ?').run('dented box', id);
    expect(outbox()).toEqual([{ clip_id: id, uploaded_ms: null }]);
    db.close();
  });
});
