import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { Segments, type NewSegment } from '../../electron/station/catalog/segments.js';
import { ChainReserve } from '../../electron/station/evidence/chain-reserve.js';
import {
  chainLine,
  checkChainEntries,
  checkStoredChain,
  describeEpochs,
  entryHashOf,
  readChain,
  recoveredByEpoch,
  SegmentChain,
  type AnyChainEntry,
  type EpochEntry,
} from '../../electron/station/evidence/segment-chain.js';
import { fingerprintOf, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { CHAIN_RESERVE_BLOCK } from '../../electron/station/limits.js';

function newKeys(): StationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
}

const keys = newKeys();
const T0 = 1_795_430_280_000;
const dir = (): string => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-epoch-'));

function segment(i: number): NewSegment {
  return {
    runId: 1,
    camera: 'demo',
    file: `runs/demo/20261123T103800123Z/${String(i).padStart(6, '0')}.ts`,
    startMs: T0 + i * 2_000,
    endMs: T0 + (i + 1) * 2_000,
    bytes: 200_000 + i,
    sha256: createHash('sha256').update(`segment ${i}`).digest('hex'),
    status: 'ok',
  };
}

/** Segments 0-4 in epoch 1, then an epoch at seq 100 (after a recovery at segment 7's time), then segments 5-9. */
function rebuiltChain(): { db: Db; dataDir: string; epoch: EpochEntry } {
  const dataDir = dir();
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  db.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('demo', 'runs/demo/20261123T103800123Z', 0, 0)").run();
  const chain = new SegmentChain(db, keys, new ChainReserve(dataDir));
  const segments = new Segments(db, chain);
  for (let i = 0; i < 5; i++) segments.insert(segment(i));
  const epoch = chain.startEpoch({ seq: 100, atMs: T0 + 7 * 2_000, reason: 'database-missing', backup: 'packwitness-20261123T103800000Z.db' });
  for (let i = 5; i < 10; i++) segments.insert(segment(i));
  return { db, dataDir, epoch };
}

describe('the chain after a lost database (epochs)', () => {
  it('an epoch entry jumps to its seq from the last entry it knew, signed and linked; segments continue after it', () => {
    const { db, epoch } = rebuiltChain();
    expect(chainLine(epoch)).toBe(`pwepoch1 seq=100 prev=${epoch.prevHash} after=5 at=${T0 + 14_000} reason=database-missing backup=packwitness-20261123T103800000Z.db`);
    const all = readChain(db, 1, 1_000);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105]);
    expect(all[5]!.prevHash).toBe(all[4]!.entryHash);
    expect(all[6]!.prevHash).toBe(epoch.entryHash);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    expect(checkStoredChain(db, keys.publicKey, { fromSeq: 3, toSeq: 103 })).toBeNull();
    expect(checkStoredChain(db, keys.publicKey, { fromSeq: 100, toSeq: 103 })).toBeNull();
  });

  it('a jump anywhere else, an epoch that hides removed entries, or an edited epoch entry fails', () => {
    const { db } = rebuiltChain();
    const all = readChain(db, 1, 1_000).map(({ storedLine: _l, ...e }) => e) as AnyChainEntry[];
    // Entry 5 removed: the epoch says it follows 5, but 4 is before it.
    expect(checkChainEntries([...all.slice(0, 4), ...all.slice(5)], keys.publicKey)).toMatch(/Epoch entry seq 100 follows seq 5, but the entry before it is seq 4: entries were removed/);
    // Entry 102 removed: an ordinary hole.
    expect(checkChainEntries(all.filter((e) => e.seq !== 102), keys.publicKey)).toMatch(/hole: seq jumps from 101 to 103/);
    // The epoch's reason or "after" changed: its hash no longer matches.
    const edited = all.map((e) => (e.seq === 100 ? { ...e, reason: 'routine' } : e));
    expect(checkChainEntries(edited, keys.publicKey)).toMatch(/seq 100 does not match its hash/);
    // Re-hashed by someone without the key: not signed.
    const forged = all.map((e) => {
      if (e.seq !== 100) return e;
      const f = { ...e, afterSeq: 5, reason: 'routine' } as EpochEntry;
      return { ...f, entryHash: entryHashOf(chainLine(f)) };
    });
    expect(checkChainEntries(forged.slice(5, 6), keys.publicKey)).toMatch(/seq 100 is not signed by the station key/);
  });

  it('says what the epoch means for a clip: the break, and which segments the recovery first hashed', () => {
    const { db } = rebuiltChain();
    // Segments 5 and 6 (seq 101, 102) were recorded before the recovery at segment 7's time.
    expect(recoveredByEpoch(db, 101, T0 + 5 * 2_000)).toBe(100);
    expect(recoveredByEpoch(db, 103, T0 + 7 * 2_000)).toBeNull();
    expect(recoveredByEpoch(db, 3, T0 + 2 * 2_000)).toBeNull();
    const entries = readChain(db, 100, 104) as AnyChainEntry[];
    const said = describeEpochs(entries, [101, 102, 103, 104]);
    expect(said[0]).toMatch(/database was lost \(database-missing\) and rebuilt on .*: the chain continues at epoch entry seq 100; it knew the chain up to seq 5 \(from the backup packwitness-20261123T103800000Z\.db\), so entries 6–99 are not in its records/);
    expect(said[1]).toMatch(/^2 of the clip's segments were recorded before that rebuild and hashed by it/);
  });

  it('reserves seq numbers in a file beside the key before using them, so a recovery never reuses one', () => {
    const { dataDir } = rebuiltChain();
    const file = join(dataDir, 'keys', 'chain-reserve.json');
    expect(existsSync(file)).toBe(true);
    const reserved = (JSON.parse(readFileSync(file, 'utf8')) as { reservedThroughSeq: number }).reservedThroughSeq;
    // The first entry reserved a block; the epoch at 100 was inside it, so no write was needed.
    expect(reserved).toBe(CHAIN_RESERVE_BLOCK);
    const reserve = new ChainReserve(dataDir);
    expect(reserve.read()).toBe(reserved);
    reserve.cover(CHAIN_RESERVE_BLOCK + 1);
    expect(new ChainReserve(dataDir).read()).toBe(2 * CHAIN_RESERVE_BLOCK);
  });

  it('refuses an epoch at or below the head', () => {
    const { db, dataDir } = rebuiltChain();
    const chain = new SegmentChain(db, keys, new ChainReserve(dataDir));
    expect(() => chain.startEpoch({ seq: 105, atMs: T0, reason: 'forced', backup: null })).toThrow(/above the chain's head \(seq 105\)/);
  });
});
