/**
 * The segment chain: every closed segment's index record, hash-chained in the order the station
 * indexed it, and signed. Removing, inserting or reordering a segment (or editing its size, hash or
 * times) breaks the link of every later entry, and forging new links needs the station's private key.
 *
 * An entry is one line of text, hashed and signed exactly as written to chain.txt in a bundle, so a
 * third party recomputes it with `printf '%s\n' "$line" | sha256sum` (docs/VERIFY.md):
 *
 *   pwchain1 seq=12 prev=<64 hex> segment=345 camera=demo run=7 file=runs/demo/20261123T103800123Z/00011.ts
 *     bytes=412345 sha256=<64 hex> start=1795430284000 end=1795430286000 indexed=1795430286210 status=ok
 *
 * (one line; shown wrapped). Fields are in that order, separated by one space; times are epoch
 * milliseconds (UTC); camera and file are percent-encoded as encodeURIComponent does, slashes kept, so
 * no value contains a space. entry hash = SHA-256(line + "\n"); signature = Ed25519(line + "\n").
 * The first entry's prev is 64 zeros.
 *
 * One chain per data folder: cameras interleave in indexing order. Limits: deleting the newest entries
 * (a truncated tail) leaves a valid shorter chain; only an earlier export, whose entries a later chain
 * must still contain, shows that.
 *
 * Epochs. After the database was lost, `packwitness recover` signs an epoch entry (another line
 * format, hashed and signed the same way):
 *
 *   pwepoch1 seq=5012 prev=<64 hex> after=3188 at=1795430290000 reason=database-missing backup=packwitness-20261123T100000000Z.db
 *
 * `after` is the last entry the recovery knew (from the restored backup; 0 and 64 zeros for none) and
 * `prev` that entry's hash. Its seq is above every seq the station can have used (chain-reserve.ts), so
 * no number is ever given to two entries; the entries after `after` up to it are the ones the lost
 * database held, which exports made before the loss may still show. Segment entries continue at
 * seq+1. A run of entries may jump in seq only at an epoch entry, and only from its `after`.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../catalog/database.js';
import type { IndexedSegmentRow, SegmentInsertHook, SegmentStatus } from '../catalog/segments.js';
import type { KeyObject } from 'node:crypto';
import { log } from '../log.js';
import { allCheckpoints, checkCheckpoints, type Checkpoint } from './chain-checkpoint.js';
import type { ChainReserve } from './chain-reserve.js';
import { signBytes, verifyBytes, type StationKeys } from './station-keys.js';

export const CHAIN_FORMAT = 'pwchain1';
export const EPOCH_FORMAT = 'pwepoch1';
export const GENESIS_HASH = '0'.repeat(64);

/** What one entry says, in line order. */
export interface ChainFields {
  seq: number;
  prevHash: string;
  segmentId: number;
  camera: string;
  runId: number;
  /** Relative to the data folder, forward slashes. */
  file: string;
  bytes: number;
  sha256: string;
  startMs: number;
  endMs: number;
  indexedMs: number;
  status: SegmentStatus;
}

export interface ChainEntry extends ChainFields {
  /** SHA-256 of the line plus its newline, hex. */
  entryHash: string;
  /** Ed25519 over the line plus its newline, 128 hex digits. */
  signature: string;
}

/** What an epoch entry says, in line order (see the top of this file). */
export interface EpochFields {
  kind: 'epoch';
  seq: number;
  prevHash: string;
  /** The last entry the recovery knew; 0 when it knew none. */
  afterSeq: number;
  atMs: number;
  /** Why the chain was restarted: `database-missing`, `database-empty`, `database-unreadable`, `forced`. */
  reason: string;
  /** File name of the backup restored, or null. */
  backup: string | null;
}

export interface EpochEntry extends EpochFields {
  entryHash: string;
  signature: string;
}

/** A segment's entry or an epoch entry. */
export type AnyChainEntry = ChainEntry | EpochEntry;

export function isEpoch(e: ChainFields | EpochFields): e is EpochFields {
  return (e as EpochFields).kind === 'epoch';
}

/** The segments' entries of a run of entries (epoch entries left out). */
export function segmentEntries<T extends AnyChainEntry>(entries: readonly T[]): Array<Exclude<T, EpochEntry> & ChainEntry> {
  return entries.filter((e) => !isEpoch(e)) as Array<Exclude<T, EpochEntry> & ChainEntry>;
}

/** The canonical text of an entry (without its newline). */
export function chainLine(f: ChainFields | EpochFields): string {
  if (isEpoch(f)) {
    return [
      EPOCH_FORMAT,
      `seq=${f.seq}`,
      `prev=${f.prevHash}`,
      `after=${f.afterSeq}`,
      `at=${f.atMs}`,
      `reason=${encodeField(f.reason)}`,
      `backup=${f.backup === null ? '-' : encodeField(f.backup)}`,
    ].join(' ');
  }
  return [
    CHAIN_FORMAT,
    `seq=${f.seq}`,
    `prev=${f.prevHash}`,
    `segment=${f.segmentId}`,
    `camera=${encodeField(f.camera)}`,
    `run=${f.runId}`,
    `file=${encodeField(f.file)}`,
    `bytes=${f.bytes}`,
    `sha256=${f.sha256}`,
    `start=${f.startMs}`,
    `end=${f.endMs}`,
    `indexed=${f.indexedMs}`,
    `status=${f.status}`,
  ].join(' ');
}

/** The bytes that are hashed and signed: the line and its newline, UTF-8. */
export function chainLineBytes(line: string): Buffer {
  return Buffer.from(`${line}\n`, 'utf8');
}

export function entryHashOf(line: string): string {
  return createHash('sha256').update(chainLineBytes(line)).digest('hex');
}

function encodeField(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
}

/**
 * The first thing wrong with a run of consecutive entries, as one sentence, or null. Checks each
 * entry's hash against its contents, its signature, its seq (one more than the previous, except at an
 * epoch entry, which must follow the entry it names as `after`) and its link (prev = the previous
 * entry's hash). `expectFirstPrev` also ties the run to the entry before it.
 */
export function checkChainEntries(entries: readonly AnyChainEntry[], publicKey: KeyObject, opts: { expectFirstPrev?: string } = {}): string | null {
  // Order first: a moved entry also leaves a jump in seq, and "out of order" is the truer answer.
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.seq <= entries[i - 1]!.seq) return `The chain is out of order: entry seq ${entries[i]!.seq} comes after seq ${entries[i - 1]!.seq}.`;
  }
  let prev: AnyChainEntry | null = null;
  for (const e of entries) {
    if (isEpoch(e) && e.afterSeq >= e.seq) return `Epoch entry seq ${e.seq} says it follows seq ${e.afterSeq}, which is not before it.`;
    if (prev) {
      if (isEpoch(e)) {
        if (e.afterSeq !== prev.seq) return `Epoch entry seq ${e.seq} follows seq ${e.afterSeq}, but the entry before it is seq ${prev.seq}: entries were removed.`;
      } else if (e.seq !== prev.seq + 1) {
        return `The chain has a hole: seq jumps from ${prev.seq} to ${e.seq}, so ${e.seq - prev.seq - 1 === 1 ? 'an entry was' : 'entries were'} removed.`;
      }
    }
    const line = chainLine(e);
    if (entryHashOf(line) !== e.entryHash) return `Chain entry seq ${e.seq} does not match its hash: its contents were changed after it was recorded.`;
    if (prev && e.prevHash !== prev.entryHash) return `Chain entry seq ${e.seq} does not link to entry seq ${prev.seq}: its previous-entry hash is not that entry's hash.`;
    if (!prev && opts.expectFirstPrev !== undefined && e.prevHash !== opts.expectFirstPrev) {
      return `Chain entry seq ${e.seq} does not link to the entry before it.`;
    }
    if (!/^[0-9a-f]{128}$/.test(e.signature) || !verifyBytes(publicKey, chainLineBytes(line), Buffer.from(e.signature, 'hex'))) {
      return `Chain entry seq ${e.seq} is not signed by the station key.`;
    }
    prev = e;
  }
  return null;
}

/**
 * What the epoch entries in a run of entries mean for the clip they cover, one sentence each: where
 * the chain restarted and why, and how many of the clip's segments were recorded before that restart
 * and first hashed by it (the chain proves those unchanged since the recovery, not since recording).
 */
export function describeEpochs(entries: readonly AnyChainEntry[], clipSegmentSeqs: readonly number[]): string[] {
  const out: string[] = [];
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  for (const e of entries) {
    if (!isEpoch(e)) continue;
    const when = new Date(e.atMs).toISOString();
    const knew = e.afterSeq > 0 ? `it knew the chain up to seq ${e.afterSeq}${e.backup ? ` (from the backup ${e.backup})` : ''}, so entries ${e.afterSeq + 1}–${e.seq - 1} are not in its records` : 'it knew no earlier entry (no backup), so every earlier entry is missing from its records';
    out.push(`The station's database was lost (${e.reason}) and rebuilt on ${when}: the chain continues at epoch entry seq ${e.seq}; ${knew} (exports made before the loss may hold them).`);
    const before = clipSegmentSeqs.filter((s) => {
      const entry = bySeq.get(s);
      return entry !== undefined && !isEpoch(entry) && s > e.seq && entry.startMs < e.atMs;
    }).length;
    if (before) {
      out.push(`${before} of the clip's segments were recorded before that rebuild and hashed by it: the chain proves them unchanged since ${when}, not since they were recorded.`);
    }
  }
  return out;
}

interface StoredRow {
  seq: number;
  segment_id: number;
  line: string;
  prev_hash: string;
  entry_hash: string;
  signature: string;
  run_id: number | null;
  camera: string | null;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  start_ms: number | null;
  end_ms: number | null;
  indexed_ms: number | null;
  status: SegmentStatus | null;
}

const STORED_SELECT = `
  SELECT c.seq, c.segment_id, c.line, c.prev_hash, c.entry_hash, c.signature,
         s.run_id, s.camera, s.file, s.bytes, s.sha256, s.start_ms, s.end_ms, s.indexed_ms, s.status
  FROM segment_chain c LEFT JOIN segments s ON s.id = c.segment_id`;

interface EpochRow {
  seq: number;
  after_seq: number;
  line: string;
  prev_hash: string;
  entry_hash: string;
  signature: string;
  at_ms: number;
  reason: string;
  backup: string | null;
}

function epochEntry(r: EpochRow): EpochEntry & { storedLine: string } {
  return { kind: 'epoch', seq: r.seq, prevHash: r.prev_hash, afterSeq: r.after_seq, atMs: r.at_ms, reason: r.reason, backup: r.backup, entryHash: r.entry_hash, signature: r.signature, storedLine: r.line };
}

/** The newest entry of the stored chain, segment or epoch. */
const HEAD_SQL = `
  SELECT seq, entry_hash FROM (
    SELECT seq, entry_hash FROM (SELECT seq, entry_hash FROM segment_chain ORDER BY seq DESC LIMIT 1)
    UNION ALL
    SELECT seq, entry_hash FROM (SELECT seq, entry_hash FROM chain_epochs ORDER BY seq DESC LIMIT 1)
  ) ORDER BY seq DESC LIMIT 1`;

/**
 * The chain in the database. Appends happen through the Segments insert hook, inside the transaction
 * that indexes the segment, so a segment is never indexed without its entry.
 */
export class SegmentChain implements SegmentInsertHook {
  private readonly headStmt;
  private readonly insertStmt;

  constructor(
    private readonly db: Db,
    private readonly keys: Pick<StationKeys, 'privateKey'>,
    /** Seq numbers reserved in a file beside the key, so a lost database never makes one be reused. */
    private readonly reserve?: ChainReserve,
  ) {
    // Prepared once: an append runs for every segment, and a first start after an upgrade chains a backlog.
    this.headStmt = db.prepare(HEAD_SQL);
    this.insertStmt = db.prepare('INSERT INTO segment_chain (seq, segment_id, line, prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?)');
  }

  appended(s: IndexedSegmentRow): void {
    this.append(s);
  }

  private append(s: IndexedSegmentRow): ChainEntry {
    const head = this.head();
    const fields: ChainFields = {
      seq: (head?.seq ?? 0) + 1,
      prevHash: head?.entryHash ?? GENESIS_HASH,
      segmentId: s.id,
      camera: s.camera,
      runId: s.runId,
      file: s.file,
      bytes: s.bytes,
      sha256: s.sha256,
      startMs: s.startMs,
      endMs: s.endMs,
      indexedMs: s.indexedMs,
      status: s.status,
    };
    const line = chainLine(fields);
    const entry: ChainEntry = { ...fields, entryHash: entryHashOf(line), signature: signBytes(this.keys, chainLineBytes(line)).toString('hex') };
    // Before the row: the file must never say less than the database holds.
    this.reserve?.cover(entry.seq);
    this.insertStmt.run(entry.seq, entry.segmentId, line, entry.prevHash, entry.entryHash, entry.signature);
    return entry;
  }

  /**
   * Chain the segments indexed before the chain existed, oldest index row first. Segments indexed
   * later without an entry are left out and counted: the station did not index them.
   */
  catchUp(): { chained: number; unchained: number } {
    const chained = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT s.id, s.run_id, s.camera, s.file, s.start_ms, s.end_ms, s.bytes, s.sha256, s.status, s.indexed_ms
           FROM segments s LEFT JOIN segment_chain c ON c.segment_id = s.id
           WHERE c.seq IS NULL AND s.id <= (SELECT upto_segment_id FROM segment_chain_backfill)
           ORDER BY s.id`,
        )
        .all() as Array<{ id: number; run_id: number; camera: string; file: string; start_ms: number; end_ms: number; bytes: number; sha256: string; status: SegmentStatus; indexed_ms: number }>;
      for (const r of rows) {
        this.append({ id: r.id, runId: r.run_id, camera: r.camera, file: r.file, startMs: r.start_ms, endMs: r.end_ms, bytes: r.bytes, sha256: r.sha256, status: r.status, indexedMs: r.indexed_ms });
      }
      return rows.length;
    })();
    const unchained = unchainedSegmentIds(this.db).length;
    if (chained) log.info('chained segments indexed before the evidence chain existed', { chained });
    if (unchained) log.warn('segments in the index have no chain entry (they were not indexed by this station) and cannot be exported as evidence', { count: unchained });
    return { chained, unchained };
  }

  /**
   * Start a new epoch at `seq` (above every seq ever used: the caller proves that), linked to the
   * current head, which is the last entry the recovery knows. Returns the signed entry.
   */
  startEpoch(e: { seq: number; atMs: number; reason: string; backup: string | null }): EpochEntry {
    const head = this.head();
    if (head && e.seq <= head.seq) throw new Error(`an epoch must start above the chain's head (seq ${head.seq}), not at ${e.seq}`);
    const fields: EpochFields = { kind: 'epoch', seq: e.seq, prevHash: head?.entryHash ?? GENESIS_HASH, afterSeq: head?.seq ?? 0, atMs: e.atMs, reason: e.reason, backup: e.backup };
    const line = chainLine(fields);
    const entry: EpochEntry = { ...fields, entryHash: entryHashOf(line), signature: signBytes(this.keys, chainLineBytes(line)).toString('hex') };
    this.reserve?.cover(entry.seq);
    this.db
      .prepare('INSERT INTO chain_epochs (seq, after_seq, line, prev_hash, entry_hash, signature, at_ms, reason, backup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(entry.seq, entry.afterSeq, line, entry.prevHash, entry.entryHash, entry.signature, entry.atMs, entry.reason, entry.backup);
    log.warn('the evidence chain continues in a new epoch after a lost database', { seq: entry.seq, afterSeq: entry.afterSeq, reason: entry.reason, backup: entry.backup });
    return entry;
  }

  head(): { seq: number; entryHash: string } | null {
    const row = this.headStmt.get() as { seq: number; entry_hash: string } | undefined;
    return row ? { seq: row.seq, entryHash: row.entry_hash } : null;
  }
}

/** Index rows with no chain entry, oldest first. */
export function unchainedSegmentIds(db: Db): number[] {
  return (db.prepare('SELECT s.id FROM segments s LEFT JOIN segment_chain c ON c.segment_id = s.id WHERE c.seq IS NULL ORDER BY s.id').all() as Array<{ id: number }>).map((r) => r.id);
}

/** The chain entry of a segment, or null. */
export function chainSeqOf(db: Db, segmentId: number): number | null {
  return (db.prepare('SELECT seq FROM segment_chain WHERE segment_id = ?').get(segmentId) as { seq: number } | undefined)?.seq ?? null;
}

/** Entries fromSeq…toSeq as stored (epoch entries included), segment entries with the fields their segment rows hold now. */
export function readChain(db: Db, fromSeq: number, toSeq: number): Array<AnyChainEntry & { storedLine: string }> {
  const rows = (db.prepare(`${STORED_SELECT} WHERE c.seq BETWEEN ? AND ? ORDER BY c.seq`).all(fromSeq, toSeq) as StoredRow[]).map(toEntry);
  const epochs = (db.prepare('SELECT * FROM chain_epochs WHERE seq BETWEEN ? AND ? ORDER BY seq').all(fromSeq, toSeq) as EpochRow[]).map(epochEntry);
  if (!epochs.length) return rows;
  return [...rows, ...epochs].sort((a, b) => a.seq - b.seq);
}

/**
 * The epoch entry a segment entry belongs to when the segment was recorded before that epoch began
 * (indexed by the recovery that started it), or null. A bundle then starts its entries at that epoch
 * entry, so its reader learns the chain was rebuilt and the segment first hashed then.
 */
export function recoveredByEpoch(db: Db, seq: number, segmentStartMs: number): number | null {
  const row = db.prepare('SELECT seq, at_ms FROM chain_epochs WHERE seq < ? ORDER BY seq DESC LIMIT 1').get(seq) as { seq: number; at_ms: number } | undefined;
  return row && segmentStartMs < row.at_ms ? row.seq : null;
}

function toEntry(r: StoredRow): ChainEntry & { storedLine: string } {
  return {
    seq: r.seq,
    prevHash: r.prev_hash,
    segmentId: r.segment_id,
    camera: r.camera ?? '',
    runId: r.run_id ?? 0,
    file: r.file ?? '',
    bytes: r.bytes ?? 0,
    sha256: r.sha256 ?? '',
    startMs: r.start_ms ?? 0,
    endMs: r.end_ms ?? 0,
    indexedMs: r.indexed_ms ?? 0,
    status: r.status ?? 'ok',
    entryHash: r.entry_hash,
    signature: r.signature,
    storedLine: r.line,
  };
}

/**
 * The first problem with the stored chain (or the entries fromSeq…toSeq of it), as one sentence, or
 * null. Beyond checkChainEntries: every entry's segment row still exists and still says what was
 * chained, and (for a whole chain) every segment row has an entry.
 */
export function checkStoredChain(db: Db, publicKey: KeyObject, range?: { fromSeq: number; toSeq: number }): string | null {
  if (!range) {
    const checkpoints = allCheckpoints(db);
    if (checkpoints.length) return checkCompactedChain(db, publicKey, checkpoints);
  }
  const fromSeq = range?.fromSeq ?? 1;
  const toSeq = range?.toSeq ?? Number.MAX_SAFE_INTEGER;
  const entries = readChain(db, fromSeq, toSeq);
  if (range) {
    const missing = entries.length === 0 ? fromSeq : entries[0]!.seq !== fromSeq ? fromSeq : entries.at(-1)!.seq !== toSeq ? toSeq : null;
    if (missing !== null) return `The chain has no entry seq ${missing}: it was removed.`;
  } else if (entries.length && entries[0]!.seq !== 1 && !isEpoch(entries[0]!)) {
    return `The chain starts at seq ${entries[0]!.seq}, not 1: its first entries were removed.`;
  }
  for (const e of entries) {
    if (isEpoch(e)) {
      if (chainLine(e) !== e.storedLine) return `Epoch entry seq ${e.seq} no longer says what was signed.`;
      continue;
    }
    if (e.file === '') return `Chain entry seq ${e.seq} names segment ${e.segmentId}, which is no longer in the index.`;
    if (chainLine(e) !== e.storedLine) return `Chain entry seq ${e.seq} no longer says what was chained for segment ${e.file}: the entry or the segment's index record was changed.`;
  }
  let expectFirstPrev: string | undefined;
  if (entries[0] && isEpoch(entries[0])) expectFirstPrev = undefined;
  else if (fromSeq === 1) expectFirstPrev = GENESIS_HASH;
  else {
    const before = db.prepare('SELECT entry_hash FROM segment_chain WHERE seq = ?').get(fromSeq - 1) as { entry_hash: string } | undefined;
    expectFirstPrev = before?.entry_hash;
  }
  const problem = checkChainEntries(entries, publicKey, { expectFirstPrev });
  if (problem || range) return problem;
  return checkEveryRowChained(db);
}

function checkEveryRowChained(db: Db): string | null {
  const backfillUpto = (db.prepare('SELECT upto_segment_id AS n FROM segment_chain_backfill').get() as { n: number }).n;
  const unchained = unchainedSegmentIds(db).filter((id) => id > backfillUpto);
  if (unchained.length) return `Segment ${unchained[0]} is in the index without a chain entry: it was added outside the station.`;
  return null;
}

/** A stored entry still says what was chained, and its segment row is still there. */
function storedEntryProblem(e: AnyChainEntry & { storedLine: string }): string | null {
  if (isEpoch(e)) return chainLine(e) !== e.storedLine ? `Epoch entry seq ${e.seq} no longer says what was signed.` : null;
  if (e.file === '') return `Chain entry seq ${e.seq} names segment ${e.segmentId}, which is no longer in the index.`;
  if (chainLine(e) !== e.storedLine) return `Chain entry seq ${e.seq} no longer says what was chained for segment ${e.file}: the entry or the segment's index record was changed.`;
  return null;
}

/**
 * The whole stored chain after compaction: the checkpoints are intact and linked; from the latest
 * one's seq on, the chain is whole and starts with the entry it committed to; before it, every run it
 * lists as kept is there without a hole, and any other entry left (a compaction still under way) is
 * still the signed entry it was.
 */
function checkCompactedChain(db: Db, publicKey: KeyObject, checkpoints: ReadonlyArray<Checkpoint & { storedLine: string }>): string | null {
  const cpProblem = checkCheckpoints(checkpoints, publicKey);
  if (cpProblem) return cpProblem;
  const cp = checkpoints.at(-1)!;
  const after = readChain(db, cp.seq, Number.MAX_SAFE_INTEGER);
  if (after[0]?.seq !== cp.seq || after[0].entryHash !== cp.seqHash) {
    return `The chain no longer holds entry seq ${cp.seq} as checkpoint ${cp.n} signed it: entries after the checkpoint were removed or changed.`;
  }
  for (const e of after) {
    const p = storedEntryProblem(e);
    if (p) return p;
  }
  const afterProblem = checkChainEntries(after, publicKey);
  if (afterProblem) return afterProblem;
  const before = readChain(db, 1, cp.seq - 1);
  for (const e of before) {
    const p = storedEntryProblem(e);
    if (p) return p;
  }
  let i = 0;
  for (const r of cp.kept) {
    while (i < before.length && before[i]!.seq < r.from) {
      const p = checkChainEntries([before[i]!], publicKey);
      if (p) return p;
      i++;
    }
    const run: AnyChainEntry[] = [];
    while (i < before.length && before[i]!.seq <= r.to) run.push(before[i++]!);
    if (run[0]?.seq !== r.from || run.at(-1)!.seq !== r.to) {
      return `The chain lacks entries of seq ${r.from}–${r.to}, which checkpoint ${cp.n} says were kept: they were removed.`;
    }
    const p = checkChainEntries(run, publicKey);
    if (p) return p;
  }
  for (; i < before.length; i++) {
    const p = checkChainEntries([before[i]!], publicKey);
    if (p) return p;
  }
  return checkEveryRowChained(db);
}
