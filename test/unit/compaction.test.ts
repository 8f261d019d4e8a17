import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, generateHistory } from '../../bench/index-history.js';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { checkpointLine, latestCheckpoint, mergeRanges, parseCheckpointLine, parseRanges } from '../../electron/station/evidence/chain-checkpoint.js';
import { checkStoredChain } from '../../electron/station/evidence/segment-chain.js';
import { fingerprintOf, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { planCompaction, inRanges, type CompactionCandidate } from '../../electron/station/storage/compaction-plan.js';
import { compactIndex } from '../../electron/station/storage/compaction.js';

function newKeys(): StationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
}

describe('compaction plan', () => {
  const c = (seq: number, over: Partial<CompactionCandidate> = {}): CompactionCandidate => ({ seq, segmentId: seq + 1000, endMs: 1_000, fileDeleted: true, hasFault: false, ...over });
  const cases: Array<[string, CompactionCandidate, boolean]> = [
    ['file deleted, old, before the checkpoint, in no kept run', c(5), true],
    ['file still on disk', c(5, { fileDeleted: false }), false],
    ['a fault record names it', c(5, { hasFault: true }), false],
    ['ended at the cut-off', c(5, { endMs: 2_000 }), false],
    ['at the checkpoint (the head then)', c(50), false],
    ['after the checkpoint', c(60), false],
    ['first entry of a kept run', c(10), false],
    ['inside a kept run', c(15), false],
    ['last entry of a kept run', c(20), false],
    ['just after a kept run', c(21), true],
    ['in the second kept run', c(30), false],
  ];
  for (const [what, cand, goes] of cases) {
    it(`${what}: ${goes ? 'removed' : 'kept'}`, () => {
      const plan = planCompaction({ candidates: [cand], kept: [{ from: 10, to: 20 }, { from: 30, to: 30 }], checkpointSeq: 50, cutoffMs: 2_000 });
      expect(plan.length).toBe(goes ? 1 : 0);
      if (goes) expect(plan[0]).toEqual({ seq: cand.seq, segmentId: cand.segmentId });
    });
  }

  it('ranges merge, print and parse back; membership is exact at both ends', () => {
    const merged = mergeRanges([{ from: 30, to: 40 }, { from: 1, to: 5 }, { from: 6, to: 8 }, { from: 35, to: 50 }, { from: 60, to: 60 }]);
    expect(merged).toEqual([{ from: 1, to: 8 }, { from: 30, to: 50 }, { from: 60, to: 60 }]);
    expect(parseRanges('1-8,30-50,60')).toEqual(merged);
    expect(parseRanges('-')).toEqual([]);
    expect(() => parseRanges('9-3')).toThrow(/ends before/);
    expect([0, 1, 8, 9, 29, 30, 50, 51, 60, 61].map((s) => inRanges(merged, s))).toEqual([false, true, true, false, false, true, true, false, true, false]);
    const line = checkpointLine({ n: 2, prevHash: 'a'.repeat(64), seq: 99, seqHash: 'b'.repeat(64), atMs: 5, beforeMs: 4, kept: merged });
    expect(line).toBe(`pwcheckpoint1 n=2 prev=${'a'.repeat(64)} seq=99 hash=${'b'.repeat(64)} at=5 before=4 kept=1-8,30-50,60`);
    expect(parseCheckpointLine(line)).toEqual({ n: 2, prevHash: 'a'.repeat(64), seq: 99, seqHash: 'b'.repeat(64), atMs: 5, beforeMs: 4, kept: merged });
  });
});

describe('compacting a generated history (real SQLite, real key)', () => {
  const firstDayMs = Date.UTC(2026, 0, 1);
  const days = 12;
  const nowMs = firstDayMs + days * DAY_MS;
  function history(): { db: Db; keys: StationKeys; clips: ReturnType<typeof generateHistory>['clips'] } {
    const db = openDatabase(join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-compact-')), 'packwitness.db'));
    const keys = newKeys();
    const h = generateHistory({ db, keys, days, segmentsPerDay: 300, clipsPerDay: 4, protectedDays: [1, 3], firstDayMs, nowMs, retentionDays: 5 });
    return { db, keys, clips: h.clips };
  }
  const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

  it('removes the rows of footage deleted before the period, keeps protected and kept clips whole, and the chain still checks', async () => {
    const { db, keys, clips } = history();
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    // Day 1, two minutes after the protected clip: footage retention deleted, but a fault record names it.
    db.prepare("INSERT INTO segment_faults (segment_id, kind, detail, found_ms, found_by) SELECT id, 'altered', 'test', 0, 'scrub' FROM segments ORDER BY id LIMIT 1 OFFSET 400").run();
    const before = count(db, 'SELECT count(*) AS n FROM segments');
    const r = await compactIndex({ db, keys, keepClipsDays: 5, now: () => nowMs, batchRows: 500 });
    const after = count(db, 'SELECT count(*) AS n FROM segments');
    expect(r.removedSegments).toBe(before - after);
    // 7 days are older than 5 days; of their 2,100 rows the two protected clips' 15 each and the faulted one stay.
    expect(r.removedSegments).toBe(2_100 - 30 - 1);
    expect(count(db, 'SELECT count(*) AS n FROM segment_chain')).toBe(after);
    expect(count(db, 'SELECT count(*) AS n FROM segment_faults')).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM segments s JOIN segment_faults f ON f.segment_id = s.id')).toBe(1);
    expect(r.batches).toBeGreaterThan(4);
    const cp = latestCheckpoint(db)!;
    expect(cp.n).toBe(1);
    // The two protected clips, and the four of the first day after the cut-off (their clips start before it plus a day).
    expect(cp.kept.length).toBe(6);
    for (const clip of clips.filter((c) => c.protected || c.endMs > nowMs - 5 * DAY_MS)) {
      const segs = db.prepare('SELECT count(*) AS n FROM segments WHERE start_ms < ? AND end_ms > ?').get(clip.endMs, clip.startMs) as { n: number };
      expect(segs.n, `clip ${clip.id}`).toBe(15);
    }
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    // Nothing more to remove: no second checkpoint.
    const again = await compactIndex({ db, keys, keepClipsDays: 5, now: () => nowMs });
    expect(again.removedSegments).toBe(0);
    expect(again.checkpoint).toBeNull();
    expect(latestCheckpoint(db)!.n).toBe(1);
  });

  it('a tampered checkpoint, a removed kept entry or a removed entry after the checkpoint fails the chain check', async () => {
    const { db, keys } = history();
    await compactIndex({ db, keys, keepClipsDays: 5, now: () => nowMs });
    const cp = latestCheckpoint(db)!;
    const widened = cp.storedLine.replace(/kept=\S+/, 'kept=-');
    db.prepare('UPDATE chain_checkpoints SET line = ?, kept = ? WHERE n = ?').run(widened, '-', cp.n);
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/checkpoint 1 does not match its hash/);
    db.prepare('UPDATE chain_checkpoints SET line = ?, kept = ? WHERE n = ?').run(cp.storedLine, cp.storedLine.match(/kept=(\S+)/)![1], cp.n);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    // A kept (protected) clip's entry removed.
    const keptSeq = cp.kept[0]!.from + 3;
    const keptRow = db.prepare('SELECT * FROM segment_chain WHERE seq = ?').get(keptSeq) as Record<string, unknown>;
    db.prepare('DELETE FROM segment_chain WHERE seq = ?').run(keptSeq);
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/hole|lacks entries/);
    db.prepare('INSERT INTO segment_chain (seq, segment_id, line, prev_hash, entry_hash, signature) VALUES (@seq, @segment_id, @line, @prev_hash, @entry_hash, @signature)').run(keptRow);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    // An entry after the checkpoint removed.
    db.prepare('DELETE FROM segment_chain WHERE seq = ?').run(cp.seq);
    expect(checkStoredChain(db, keys.publicKey)).toMatch(/no longer holds entry seq/);
    // A checkpoint signed by another key.
    const other = newKeys();
    expect(checkStoredChain(db, other.publicKey)).toMatch(/checkpoint 1 is not signed by the station key/);
  });
});
