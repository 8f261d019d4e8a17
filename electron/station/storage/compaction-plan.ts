/**
 * Which index rows compaction may remove (storage/compaction.ts carries it out). Pure, tested as a
 * table.
 *
 * A segment's row and its chain entry may go only when all hold:
 *  - retention deleted its file, and the footage ended before the cut-off (the clip retention period
 *    ago): a search or a claim about footage that old finds the clip row, which stays;
 *  - its entry is before the checkpoint signed for this compaction (the head then), so the chain from
 *    there on stays whole;
 *  - it is in no kept run: the entries from a kept clip's first segment to its last (other cameras'
 *    entries interleaved there included), so the clip's bundle can still carry them;
 *  - no fault record names it (segment_faults keeps what went wrong with that file).
 */
import type { SeqRange } from '../evidence/chain-checkpoint.js';

export interface CompactionCandidate {
  seq: number;
  segmentId: number;
  endMs: number;
  fileDeleted: boolean;
  hasFault: boolean;
}

export interface CompactionPlanInput {
  candidates: readonly CompactionCandidate[];
  /** Sorted, merged (chain-checkpoint.ts mergeRanges). */
  kept: readonly SeqRange[];
  checkpointSeq: number;
  cutoffMs: number;
}

export function planCompaction(input: CompactionPlanInput): Array<{ seq: number; segmentId: number }> {
  const out: Array<{ seq: number; segmentId: number }> = [];
  for (const c of input.candidates) {
    if (!c.fileDeleted || c.hasFault) continue;
    if (c.endMs >= input.cutoffMs || c.seq >= input.checkpointSeq) continue;
    if (inRanges(input.kept, c.seq)) continue;
    out.push({ seq: c.seq, segmentId: c.segmentId });
  }
  return out;
}

/** Binary search: a year of protected clips is a few thousand runs. */
export function inRanges(ranges: readonly SeqRange[], seq: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (seq < r.from) hi = mid - 1;
    else if (seq > r.to) lo = mid + 1;
    else return true;
  }
  return false;
}
