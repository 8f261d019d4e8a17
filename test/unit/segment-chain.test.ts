import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { Segments, type NewSegment } from '../../electron/station/catalog/segments.js';
import {
  chainLine,
  checkChainEntries,
  checkStoredChain,
  entryHashOf,
  GENESIS_HASH,
  readChain,
  SegmentChain,
  segmentEntries,
  unchainedSegmentIds,
  type ChainEntry,
} from '../../electron/station/evidence/segment-chain.js';
import { fingerprintOf, type StationKeys } from '../../electron/station/evidence/station-keys.js';

function newKeys(): StationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
}

const keys = newKeys();
const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-chain-')), 'packwitness.db');

function segment(i: number, camera = 'demo'): NewSegment {
  return {
    runId: 1,
    camera,
    file: `runs/${camera}/20261123T103800123Z/${String(i).padStart(6, '0')}.ts`,
    startMs: 1_795_430_280_000 + i * 2_000,
    endMs: 1_795_430_282_000 + i * 2_000,
    bytes: 200_000 + i,
    sha256: createHash('sha256').update(`segment ${camera} ${i}`).digest('hex'),
    status: i === 3 ? 'damaged' : 'ok',
  };
}

/** A real database file with `n` segments indexed through the chain; closed, so tests can copy it. */
function chainedDbFile(n: number): string {
  const file = dbFile();
  const db = openDatabase(file);
  db.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('demo', 'runs/demo/20261123T103800123Z', 0, 0)").run();
  const segments = new Segments(db, new SegmentChain(db, keys));
  for (let i = 0; i < n; i++) segments.insert(segment(i, i % 3 === 2 ? 'v4l2-video1' : 'demo'));
  db.close();
  return file;
}

/** A copy of the database to tamper with, opened read-write. */
function copyOf(file: string): Db {
  const copy = dbFile();
  copyFileSync(file, copy);
  return openDatabase(copy);
}

describe('the segment chain in the database', () => {
  const base = chainedDbFile(8);

  it('gets one signed entry per segment, in indexing order, each linking to the one before', () => {
    const db = copyOf(base);
    const entries = segmentEntries(readChain(db, 1, 100));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(entries.map((e) => e.segmentId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.entryHash);
    for (const e of entries) {
      expect(e.storedLine).toBe(chainLine(e));
      // The hash a third party recomputes with `printf '%s\n' "$line" | sha256sum`.
      expect(e.entryHash).toBe(createHash('sha256').update(`${e.storedLine}\n`).digest('hex'));
    }
    expect(entries[2]!.storedLine).toMatch(/^pwchain1 seq=3 prev=[0-9a-f]{64} segment=3 camera=v4l2-video1 run=1 file=runs\/v4l2-video1\/20261123T103800123Z\/000002\.ts bytes=200002 sha256=[0-9a-f]{64} start=\d+ end=\d+ indexed=\d+ status=ok$/);
    expect(entries[3]!.storedLine).toMatch(/ status=damaged$/);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    db.close();
  });

  it('detects a removed entry (and its segment is left unchained)', () => {
    const db = copyOf(base);
    db.prepare('DELETE FROM segment_chain WHERE seq = 4').run();
    expect(checkStoredChain(db, keys.publicKey)).toBe('The chain has a hole: seq jumps from 3 to 5, so an entry was removed.');
    expect(unchainedSegmentIds(db)).toEqual([4]);
    expect(checkStoredChain(db, keys.publicKey, { fromSeq: 2, toSeq: 6 })).toMatch(/seq jumps from 3 to 5/);
    db.close();
  });

  it('detects a removed segment row together with its entry, and keeps chained rows from being deleted alone', () => {
    const db = copyOf(base);
    expect(() => db.prepare('DELETE FROM segments WHERE id = 5').run()).toThrow(/FOREIGN KEY constraint failed/);
    db.prepare('DELETE FROM segment_chain WHERE seq = 5').run();
    db.prepare('DELETE FROM segments WHERE id = 5').run();
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/seq jumps from 4 to 6/);
    db.close();
  });

  it('detects reordered entries', () => {
    const db = copyOf(base);
    // Swap which segments entries 3 and 4 stand for (whoever edits the file can switch foreign keys off).
    db.pragma('foreign_keys = OFF');
    db.transaction(() => {
      db.prepare('UPDATE segment_chain SET segment_id = -1 WHERE seq = 3').run();
      db.prepare('UPDATE segment_chain SET segment_id = 3 WHERE seq = 4').run();
      db.prepare('UPDATE segment_chain SET segment_id = 4 WHERE seq = 3').run();
    })();
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/^Chain entry seq 3 no longer says what was chained/);
    db.close();
  });

  it('detects a segment inserted into the index without the station', () => {
    const db = copyOf(base);
    const s = segment(100);
    db.prepare(
      `INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.runId, s.camera, s.file, s.startMs, s.endMs, 2000, s.bytes, s.sha256, s.status, Date.now());
    expect(checkStoredChain(db, keys.publicKey)).toBe('Segment 9 is in the index without a chain entry: it was added outside the station.');
    // Start-up does not chain it after the fact.
    expect(new SegmentChain(db, keys).catchUp()).toEqual({ chained: 0, unchained: 1 });
    db.close();
  });

  it('detects an entry forged into the middle, even with correct links, without the station key', () => {
    const db = copyOf(base);
    const forger = newKeys();
    // Slot a forged segment in at seq 4 and rewrite every later entry so that lines, hashes and links
    // all agree again; only the signatures cannot be redone without the station key.
    const entries = segmentEntries(readChain(db, 1, 100));
    db.pragma('foreign_keys = OFF');
    db.transaction(() => {
      const s = segment(50);
      const forgedId = Number(
        db.prepare(`INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (1, ?, ?, ?, ?, 2000, ?, ?, 'ok', 1)`).run(s.camera, s.file, s.startMs, s.endMs, s.bytes, s.sha256)
          .lastInsertRowid,
      );
      db.prepare('DELETE FROM segment_chain WHERE seq >= 4').run();
      const forged = { seq: 4, prevHash: entries[2]!.entryHash, segmentId: forgedId, camera: s.camera, runId: 1, file: s.file, bytes: s.bytes, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, indexedMs: 1, status: 'ok' as const };
      let prevHash = entries[2]!.entryHash;
      for (const [i, e] of [forged, ...entries.slice(3)].entries()) {
        const fields = { ...e, seq: 4 + i, prevHash };
        const line = chainLine(fields);
        const signature = e === forged ? sign(null, Buffer.from(`${line}\n`), forger.privateKey).toString('hex') : (e as ChainEntry).signature;
        prevHash = entryHashOf(line);
        db.prepare('INSERT INTO segment_chain (seq, segment_id, line, prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?)').run(fields.seq, fields.segmentId, line, fields.prevHash, prevHash, signature);
      }
    })();
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/^Chain entry seq 4 is not signed by the station key\.$/);
    db.close();
  });

  it('detects a segment whose size or hash was edited in the index', () => {
    const db = copyOf(base);
    db.prepare("UPDATE segments SET sha256 = ? WHERE id = 6").run('0'.repeat(64));
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/^Chain entry seq 6 no longer says what was chained for segment runs\/.*000005\.ts/);
    db.close();
  });

  it('rolls back the segment insert when its chain entry cannot be written', () => {
    const db = copyOf(base);
    // A public key cannot sign: the append throws inside the insert's transaction.
    const broken = new Segments(db, new SegmentChain(db, { privateKey: keys.publicKey }));
    expect(() => broken.insert(segment(60))).toThrow();
    expect(new Segments(db).count()).toBe(8);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    db.close();
  });

  it('chains the segments indexed before the chain existed at start-up, in index order', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.slice(0, 3) });
    old.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('demo', 'runs/demo/x', 0, 0)").run();
    const plain = new Segments(old);
    for (const i of [5, 1, 3]) plain.insert(segment(i));
    old.close();

    const db = openDatabase(file);
    const chain = new SegmentChain(db, keys);
    expect(chain.catchUp()).toEqual({ chained: 3, unchained: 0 });
    const segments = new Segments(db, chain);
    segments.insert(segment(7));
    expect(segmentEntries(readChain(db, 1, 100)).map((e) => [e.seq, e.segmentId])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(chain.catchUp()).toEqual({ chained: 0, unchained: 0 });
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    db.close();
  });
});

describe('checking a run of chain entries (as in a manifest)', () => {
  const file = chainedDbFile(6);
  const db = openDatabase(file);
  const entries: ChainEntry[] = segmentEntries(readChain(db, 2, 6)).map(({ storedLine: _l, ...e }) => e);
  db.close();

  it('accepts the entries as stored', () => {
    expect(checkChainEntries(entries, keys.publicKey)).toBeNull();
  });

  it('names a removed, reordered, edited or foreign-signed entry', () => {
    expect(checkChainEntries([entries[0]!, entries[2]!, entries[3]!], keys.publicKey)).toMatch(/hole: seq jumps from 2 to 4/);
    expect(checkChainEntries([entries[0]!, entries[2]!, entries[1]!], keys.publicKey)).toBe('The chain is out of order: entry seq 3 comes after seq 4.');
    expect(checkChainEntries([entries[1]!, entries[0]!], keys.publicKey)).toBe('The chain is out of order: entry seq 2 comes after seq 3.');
    expect(checkChainEntries([entries[0]!, { ...entries[1]!, bytes: entries[1]!.bytes + 1 }], keys.publicKey)).toBe(
      'Chain entry seq 3 does not match its hash: its contents were changed after it was recorded.',
    );
    expect(checkChainEntries(entries, newKeys().publicKey)).toBe('Chain entry seq 2 is not signed by the station key.');
  });

  it('names an entry that was re-hashed to hide an edit, at the link that breaks', () => {
    const edited = { ...entries[1]!, sha256: 'f'.repeat(64) };
    edited.entryHash = entryHashOf(chainLine(edited));
    expect(checkChainEntries([entries[0]!, edited, entries[2]!], keys.publicKey)).toMatch(/^Chain entry seq 3 is not signed|^Chain entry seq 4 does not link/);
    expect(checkChainEntries([entries[0]!, edited], keys.publicKey)).toBe('Chain entry seq 3 is not signed by the station key.');
  });
});
