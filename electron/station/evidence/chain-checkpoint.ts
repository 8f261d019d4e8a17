/**
 * Signed checkpoints of the segment chain. Compaction (storage/compaction.ts) removes the rows of
 * footage retention deleted long ago; a checkpoint, signed before any row goes, is the station's
 * statement of what the stored chain still is:
 *
 *   pwcheckpoint1 n=3 prev=<64 hex> seq=812345 hash=<64 hex> at=1795430290000 before=1792838290000 kept=1200-1388,40211-40390
 *
 * (one line). `n` counts checkpoints; `prev` is checkpoint n-1's hash (64 zeros for the first), so
 * checkpoints form their own small chain. `seq` and `hash` are the chain's head when it was signed:
 * every entry from there on stays, linked as always. Before `seq`, only the runs listed in `kept`
 * (inclusive seq ranges, `-` for none) are sure to stay: the entries of clips still kept, protected or
 * waiting for the hub copy. `before` is the cut-off: only footage that ended earlier (and whose file
 * retention deleted) was compacted. Hashed and signed exactly like a chain entry: SHA-256 and Ed25519
 * over the line plus its newline.
 *
 * Bundles do not need checkpoints: each carries its clip's entries, individually signed and linked
 * among themselves, and those entries are always in a kept run.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { Db } from '../catalog/database.js';
import { signBytes, verifyBytes, type StationKeys } from './station-keys.js';

export const CHECKPOINT_FORMAT = 'pwcheckpoint1';
/** The first checkpoint's prev, as the chain's first entry's (segment-chain.ts imports this module). */
const NO_CHECKPOINT_HASH = '0'.repeat(64);

function lineBytes(line: string): Buffer {
  return Buffer.from(`${line}\n`, 'utf8');
}

function hashOf(line: string): string {
  return createHash('sha256').update(lineBytes(line)).digest('hex');
}

export interface SeqRange {
  from: number;
  to: number;
}

export interface CheckpointFields {
  n: number;
  prevHash: string;
  seq: number;
  seqHash: string;
  atMs: number;
  beforeMs: number;
  kept: SeqRange[];
}

export interface Checkpoint extends CheckpointFields {
  entryHash: string;
  signature: string;
}

export function formatRanges(ranges: readonly SeqRange[]): string {
  return ranges.length ? ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',') : '-';
}

export function parseRanges(text: string): SeqRange[] {
  if (text === '-') return [];
  return text.split(',').map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a seq range`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`"${part}" ends before it starts`);
    return { from, to };
  });
}

/** Sorted, overlapping or touching ranges joined. */
export function mergeRanges(ranges: readonly SeqRange[]): SeqRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: SeqRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export function checkpointLine(f: CheckpointFields): string {
  return [CHECKPOINT_FORMAT, `n=${f.n}`, `prev=${f.prevHash}`, `seq=${f.seq}`, `hash=${f.seqHash}`, `at=${f.atMs}`, `before=${f.beforeMs}`, `kept=${formatRanges(f.kept)}`].join(' ');
}

/** Reads a checkpoint line back; null when it is not one. */
export function parseCheckpointLine(line: string): CheckpointFields | null {
  const m = /^pwcheckpoint1 n=(\d+) prev=([0-9a-f]{64}) seq=(\d+) hash=([0-9a-f]{64}) at=(\d+) before=(\d+) kept=(\S+)$/.exec(line);
  if (!m) return null;
  try {
    return { n: Number(m[1]), prevHash: m[2]!, seq: Number(m[3]), seqHash: m[4]!, atMs: Number(m[5]), beforeMs: Number(m[6]), kept: parseRanges(m[7]!) };
  } catch {
    return null;
  }
}

interface CheckpointRow {
  n: number;
  line: string;
  prev_hash: string;
  seq: number;
  seq_hash: string;
  kept: string;
  entry_hash: string;
  signature: string;
  at_ms: number;
  before_ms: number;
}

function fromRow(r: CheckpointRow): Checkpoint & { storedLine: string } {
  return { n: r.n, prevHash: r.prev_hash, seq: r.seq, seqHash: r.seq_hash, atMs: r.at_ms, beforeMs: r.before_ms, kept: parseRanges(r.kept), entryHash: r.entry_hash, signature: r.signature, storedLine: r.line };
}

export function latestCheckpoint(db: Db): (Checkpoint & { storedLine: string }) | null {
  const row = db.prepare('SELECT * FROM chain_checkpoints ORDER BY n DESC LIMIT 1').get() as CheckpointRow | undefined;
  return row ? fromRow(row) : null;
}

export function allCheckpoints(db: Db): Array<Checkpoint & { storedLine: string }> {
  return (db.prepare('SELECT * FROM chain_checkpoints ORDER BY n').all() as CheckpointRow[]).map(fromRow);
}

/** Signs and stores the next checkpoint. */
export function signCheckpoint(db: Db, keys: Pick<StationKeys, 'privateKey'>, f: Omit<CheckpointFields, 'n' | 'prevHash'>): Checkpoint {
  const last = latestCheckpoint(db);
  const fields: CheckpointFields = { ...f, kept: mergeRanges(f.kept), n: (last?.n ?? 0) + 1, prevHash: last?.entryHash ?? NO_CHECKPOINT_HASH };
  const line = checkpointLine(fields);
  const cp: Checkpoint = { ...fields, entryHash: hashOf(line), signature: signBytes(keys, lineBytes(line)).toString('hex') };
  db.prepare('INSERT INTO chain_checkpoints (n, line, prev_hash, seq, seq_hash, kept, entry_hash, signature, at_ms, before_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    cp.n,
    line,
    cp.prevHash,
    cp.seq,
    cp.seqHash,
    formatRanges(cp.kept),
    cp.entryHash,
    cp.signature,
    cp.atMs,
    cp.beforeMs,
  );
  return cp;
}

/**
 * The first thing wrong with the stored checkpoints, as one sentence, or null: each one still says
 * what was signed, recomputes to its hash, is signed by the station key, and links to the one before.
 */
export function checkCheckpoints(checkpoints: ReadonlyArray<Checkpoint & { storedLine: string }>, publicKey: KeyObject): string | null {
  let prev: Checkpoint | null = null;
  for (const cp of checkpoints) {
    const line = checkpointLine(cp);
    if (line !== cp.storedLine) return `Chain checkpoint ${cp.n} no longer says what was signed.`;
    if (hashOf(line) !== cp.entryHash) return `Chain checkpoint ${cp.n} does not match its hash: it was changed after it was signed.`;
    if (!/^[0-9a-f]{128}$/.test(cp.signature) || !verifyBytes(publicKey, lineBytes(line), Buffer.from(cp.signature, 'hex'))) return `Chain checkpoint ${cp.n} is not signed by the station key.`;
    const expectedN = (prev?.n ?? 0) + 1;
    if (cp.n !== expectedN) return `Chain checkpoint ${expectedN} is missing: checkpoints jump from ${prev?.n ?? 0} to ${cp.n}.`;
    if (cp.prevHash !== (prev?.entryHash ?? NO_CHECKPOINT_HASH)) return `Chain checkpoint ${cp.n} does not link to checkpoint ${prev?.n ?? 0}.`;
    if (prev && cp.seq < prev.seq) return `Chain checkpoint ${cp.n} commits to seq ${cp.seq}, before checkpoint ${prev.n}'s seq ${prev.seq}.`;
    prev = cp;
  }
  return null;
}
