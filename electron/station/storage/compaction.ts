/**
 * Index compaction: removes the segment rows and chain entries of footage retention deleted more
 * than the clip retention period ago (~1 KB per 2-s segment, ~6.5 GB a year otherwise), keeping the
 * evidence chain checkable (evidence/chain-checkpoint.ts) and every kept clip exportable.
 *
 * Order, so that a crash anywhere leaves a chain that checks: first a checkpoint is signed (the head
 * and the runs of older entries that stay), then rows are removed in batches of
 * COMPACTION_BATCH_ROWS, each its own transaction, yielding to the event loop between batches.
 * Compaction runs only when something can go, so checkpoints are few (at most one per run).
 *
 * File space: SQLite reuses the pages freed here for the rows recorded next, so a station compacting
 * regularly stops growing at about its retention period's worth of rows. Shrinking the file itself
 * (the first compaction of a long-running station) takes a VACUUM, which rewrites the database and
 * locks it: `packwitness compact` runs it on a stopped station (bench/index-growth.ts measures it).
 */
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { mergeRanges, signCheckpoint, type Checkpoint, type SeqRange } from '../evidence/chain-checkpoint.js';
import { recoveredByEpoch } from '../evidence/segment-chain.js';
import type { StationKeys } from '../evidence/station-keys.js';
import { COMPACTION_BATCH_ROWS, COMPACTION_SEGMENT_SLACK_MS } from '../limits.js';
import { log } from '../log.js';
import { planCompaction, type CompactionCandidate } from './compaction-plan.js';

const DAY_MS = 86_400_000;

export interface CompactionOptions {
  db: Db;
  keys: Pick<StationKeys, 'privateKey'>;
  /** The clip retention period: footage that ended longer ago than this (and whose file is gone) may go. */
  keepClipsDays: number;
  now?: () => number;
  /** Clips an export or the clip writer is using: kept whatever their state. */
  inUse?: () => ReadonlySet<number>;
  batchRows?: number;
  /** Between batches; the default yields to the event loop (setImmediate). */
  pause?: () => Promise<void>;
  /** Stop early (the station is closing); what was removed stays removed, the rest waits. */
  stopped?: () => boolean;
}

export interface CompactionReport {
  checkpoint: Checkpoint | null;
  removedSegments: number;
  batches: number;
  /** The longest a batch held the database (and the event loop), ms. */
  longestBatchMs: number;
  elapsedMs: number;
  keptRuns: number;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function compactIndex(o: CompactionOptions): Promise<CompactionReport> {
  const t0 = performance.now();
  const nowMs = o.now?.() ?? Date.now();
  const cutoffMs = nowMs - o.keepClipsDays * DAY_MS;
  const batchRows = o.batchRows ?? COMPACTION_BATCH_ROWS;
  const report: CompactionReport = { checkpoint: null, removedSegments: 0, batches: 0, longestBatchMs: 0, elapsedMs: 0, keptRuns: 0 };
  const head = chainHead(o.db);
  if (!head) return done(report, t0);
  const kept = keptRuns(o.db, cutoffMs, o.inUse?.() ?? new Set());
  report.keptRuns = kept.length;

  // Candidates page by (end_ms, id) through the partial index of footage whose file is gone.
  const page = stmt(
    o.db,
    `SELECT c.seq, s.id, s.end_ms, EXISTS (SELECT 1 FROM segment_faults f WHERE f.segment_id = s.id) AS fault
       FROM segments s INDEXED BY segments_file_gone JOIN segment_chain c ON c.segment_id = s.id
      WHERE s.file_deleted_ms IS NOT NULL AND s.end_ms < @cutoff AND (s.end_ms, s.id) > (@afterEnd, @afterId)
      ORDER BY s.end_ms, s.id LIMIT @n`,
  );
  const delChain = stmt(o.db, 'DELETE FROM segment_chain WHERE seq = ?');
  const delSegment = stmt(o.db, 'DELETE FROM segments WHERE id = ?');
  let afterEnd = -1;
  let afterId = -1;
  while (!o.stopped?.()) {
    const t = performance.now();
    const rows = page.all({ cutoff: cutoffMs, afterEnd, afterId, n: batchRows }) as Array<{ seq: number; id: number; end_ms: number; fault: number }>;
    if (!rows.length) break;
    afterEnd = rows.at(-1)!.end_ms;
    afterId = rows.at(-1)!.id;
    const candidates: CompactionCandidate[] = rows.map((r) => ({ seq: r.seq, segmentId: r.id, endMs: r.end_ms, fileDeleted: true, hasFault: r.fault === 1 }));
    const go = planCompaction({ candidates, kept, checkpointSeq: head.seq, cutoffMs });
    if (go.length) {
      o.db.transaction(() => {
        // Signed before the first row goes, in the same transaction as it.
        report.checkpoint ??= signCheckpoint(o.db, o.keys, { seq: head.seq, seqHash: head.entryHash, atMs: nowMs, beforeMs: cutoffMs, kept });
        for (const g of go) {
          delChain.run(g.seq);
          delSegment.run(g.segmentId);
        }
      })();
      report.removedSegments += go.length;
    }
    report.batches++;
    report.longestBatchMs = Math.max(report.longestBatchMs, performance.now() - t);
    await (o.pause ?? yieldToLoop)();
  }
  if (report.removedSegments) {
    log.info('compacted the index: removed the rows of footage deleted before the retention period', {
      segments: report.removedSegments,
      checkpoint: report.checkpoint?.n,
      keptRuns: kept.length,
      batches: report.batches,
      longestBatchMs: Math.round(report.longestBatchMs),
    });
  }
  return done(report, t0);
}

function done(r: CompactionReport, t0: number): CompactionReport {
  r.elapsedMs = performance.now() - t0;
  return r;
}

function chainHead(db: Db): { seq: number; entryHash: string } | null {
  const row = stmt(
    db,
    `SELECT seq, entry_hash FROM (
       SELECT seq, entry_hash FROM (SELECT seq, entry_hash FROM segment_chain ORDER BY seq DESC LIMIT 1)
       UNION ALL
       SELECT seq, entry_hash FROM (SELECT seq, entry_hash FROM chain_epochs ORDER BY seq DESC LIMIT 1)
     ) ORDER BY seq DESC LIMIT 1`,
  ).get() as { seq: number; entry_hash: string } | undefined;
  return row ? { seq: row.seq, entryHash: row.entry_hash } : null;
}

/**
 * The runs of chain entries that must stay: for each clip that is kept (video not expired), protected,
 * recording or in use, from its first segment's entry to its last (or from
 * the epoch entry that re-indexed it, as the bundle starts there). Only clips that start before the
 * cut-off (plus a day) matter: later ones cover no footage compaction may touch. A run the chain no
 * longer holds whole (a clip protected again after its rows went) is left out: its bundle could not be
 * made anyway, and listing it would make the checkpoint claim what is not there.
 *
 * A clip waiting for the hub's copy is among the kept: retention never expires it while the station
 * waits for the hub (retention.ts), and once its video is gone there is nothing left to send. Every
 * clip has an outbox row, joined to a hub or not, so the outbox itself says nothing here.
 */
export function keptRuns(db: Db, cutoffMs: number, inUse: ReadonlySet<number>): SeqRange[] {
  const clips = stmt(
    db,
    `SELECT c.id, c.camera, c.start_ms, c.end_ms FROM clips c
      WHERE c.start_ms < @upto
        AND (c.video_expired_ms IS NULL OR c.protected = 1 OR c.end_ms IS NULL)`,
  ).all({ upto: cutoffMs + DAY_MS }) as Array<{ id: number; camera: string; start_ms: number; end_ms: number | null }>;
  const inUseRows = inUse.size
    ? (db.prepare(`SELECT id, camera, start_ms, end_ms FROM clips WHERE id IN (${[...inUse].map(() => '?').join(',')})`).all(...inUse) as typeof clips)
    : [];
  const span = stmt(
    db,
    `SELECT min(c.seq) AS lo, max(c.seq) AS hi, min(s.start_ms) AS first_start, count(*) AS n
       FROM segments s JOIN segment_chain c ON c.segment_id = s.id
      WHERE s.camera = @camera AND s.start_ms >= @from AND s.start_ms < @to AND s.end_ms > @start`,
  );
  const present = stmt(db, 'SELECT (SELECT count(*) FROM segment_chain WHERE seq BETWEEN @lo AND @hi) + (SELECT count(*) FROM chain_epochs WHERE seq BETWEEN @lo AND @hi) AS n');
  const epochsIn = stmt(db, 'SELECT seq, after_seq FROM chain_epochs WHERE seq BETWEEN @lo AND @hi');
  const runs: SeqRange[] = [];
  for (const c of [...clips, ...inUseRows]) {
    const s = span.get({ camera: c.camera, from: c.start_ms - COMPACTION_SEGMENT_SLACK_MS, to: c.end_ms ?? 8.64e15, start: c.start_ms }) as { lo: number | null; hi: number | null; first_start: number | null };
    if (s.lo === null || s.hi === null) continue;
    const lo = recoveredByEpoch(db, s.lo, s.first_start!) ?? s.lo;
    // Whole: every seq from lo to hi is there, except those an epoch entry skips (after+1 … seq-1).
    const skipped = (epochsIn.all({ lo: lo + 1, hi: s.hi }) as Array<{ seq: number; after_seq: number }>).reduce((n, e) => n + (e.seq - e.after_seq - 1), 0);
    const n = (present.get({ lo, hi: s.hi }) as { n: number }).n;
    if (n !== s.hi - lo + 1 - skipped) {
      log.warn('a kept clip no longer has all its chain entries (they were compacted before it was kept again); it cannot be exported as evidence', { clip: c.id });
      continue;
    }
    runs.push({ from: lo, to: s.hi });
  }
  return mergeRanges(runs);
}
