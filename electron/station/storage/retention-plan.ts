/**
 * What retention deletes, decided without touching disk or database (retention.ts reads the inputs
 * and carries the plan out), so every rule is tested as a table.
 *
 * The unit of deletion is a clip (its MP4, its thumbnail, and the footage of its range that nothing
 * else still needs) or one segment of footage that belongs to no clip. Rules, in order:
 *
 * 1. Never: footage of the last pre-roll (plus a slack), footage overlapping the clip being recorded
 *    or a protected clip, a protected clip's files. The segment being written is not indexed, so it
 *    is never an input.
 * 2. Age: an unprotected, ended clip older than keepClipsDays expires; footage that overlaps no clip
 *    and ended more than keepOrphanHours ago goes.
 * 3. Pressure: while free space (counting what 2 frees) is under the limit plus a headroom, the
 *    oldest remaining unit goes next, clip or footage alike, until it is two headrooms above the limit.
 * 4. If everything deletable is gone and the limit is still not met, the state is `protected-only`:
 *    footage outside every clip is then kept only for the pre-roll (3 already deleted it all), or
 *    `awaiting-hub` when clips kept only because the hub has not confirmed its copy are among what is left.
 *
 * A clip `awaitingHub` (a joined station whose hub has not yet confirmed the clip's copy) is kept like a
 * protected one by 2 and 3: deleting it could delete the only copy of the evidence. The recorder's own
 * disk-full stop, not retention, is the last line when a hub stays away for too long.
 *
 * A segment overlapping several clips is deleted only when every one of them expires in the same
 * plan; a clip expires as soon as its MP4 or any footage of its range is deleted.
 */
import type { RetentionSettings, RetentionState } from '../../../shared/api.js';

export interface PlanSegment {
  id: number;
  camera: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

export interface PlanClip {
  id: number;
  camera: string;
  startMs: number;
  /** null while recording. */
  endMs: number | null;
  protected: boolean;
  /** The hub has not confirmed its copy yet and the settings say to wait for it (see above). */
  awaitingHub?: boolean;
  /** MP4 and thumbnail bytes still on disk (0 when it has none). */
  fileBytes: number;
}

export interface PlanInput {
  nowMs: number;
  settings: RetentionSettings;
  /** The scan settings' pre-roll: footage that recent may become the start of the next clip. */
  preRollMs: number;
  /** Extra margin on top of the pre-roll (limits.ts RETENTION_RECENT_SLACK_MS). */
  recentSlackMs: number;
  disk: { freeBytes: number; totalBytes: number };
  /**
   * Act this far before the limit, and free twice this much above it (limits.ts retentionHeadroomBytes):
   * recording goes on between two disk checks, so waiting until the limit is crossed would cross it.
   * 0: act at the limit exactly (the table tests of the rules).
   */
  headroomBytes?: number;
  /** Segments whose file is still on disk, any order. */
  segments: readonly PlanSegment[];
  /** Clips whose video has not expired, any order (the recording one included). */
  clips: readonly PlanClip[];
  /**
   * Some unexpired, unprotected clip waits for the hub's copy. It need not be among `clips`: retention.ts
   * leaves kept clips and their footage out of the batch, so this says what holds the disk. Asked only
   * when the limit cannot be met (it may read the whole outbox).
   */
  heldForHub?: () => boolean;
}

export type DeleteReason = 'clip-age' | 'orphan-age' | 'disk-pressure';

export interface RetentionPlan {
  /** Free space retention keeps: the larger of minFreeGb and minFreePercent of the volume. */
  limitBytes: number;
  state: RetentionState;
  expireClips: Array<{ id: number; reason: DeleteReason }>;
  deleteSegments: Array<{ id: number; reason: DeleteReason }>;
  /** What the plan frees, by the sizes the index holds. */
  plannedBytes: number;
}

export function retentionLimitBytes(s: RetentionSettings, totalBytes: number): number {
  return Math.max(Math.round(s.minFreeGb * 1e9), Math.round((totalBytes * s.minFreePercent) / 100));
}

type Unit = { kind: 'clip'; clip: PlanClip; sortMs: number } | { kind: 'segment'; seg: PlanSegment; sortMs: number };

export function planRetention(input: PlanInput): RetentionPlan {
  const { nowMs, settings } = input;
  const limitBytes = retentionLimitBytes(settings, input.disk.totalBytes);
  const recentFromMs = nowMs - input.preRollMs - input.recentSlackMs;
  const clipCutoffMs = nowMs - settings.keepClipsDays * 86_400_000;
  const orphanCutoffMs = nowMs - settings.keepOrphanHours * 3_600_000;

  const clipEnd = (c: PlanClip): number => c.endMs ?? Number.POSITIVE_INFINITY;
  const byStart = [...input.clips].sort((a, b) => a.startMs - b.startMs);

  // Which clips each segment overlaps, whatever its camera: a clip covers every camera of the station
  // for its time range (each camera's MP4 is cut from its own footage). A plain scan: a pass sees a
  // bounded batch (retention.ts), a few thousand segments by a few thousand clips at most.
  const overlapping = new Map<number, PlanClip[]>();
  const segmentsOf = new Map<number, PlanSegment[]>();
  for (const s of input.segments) {
    const hits = byStart.filter((c) => c.startMs < s.endMs && clipEnd(c) > s.startMs);
    overlapping.set(s.id, hits);
    for (const c of hits) segmentsOf.set(c.id, [...(segmentsOf.get(c.id) ?? []), s]);
  }

  const isRecent = (s: PlanSegment): boolean => s.endMs > recentFromMs;
  const clipMayGo = (c: PlanClip): boolean => !c.protected && !c.awaitingHub && c.endMs !== null;

  const expired = new Map<number, DeleteReason>();
  const deleted = new Map<number, DeleteReason>();
  let planned = 0;

  /** A segment goes once every clip over it has expired (or none is over it), and it is not recent. */
  const segmentFree = (s: PlanSegment): boolean => !isRecent(s) && (overlapping.get(s.id) ?? []).every((c) => expired.has(c.id));
  const expire = (c: PlanClip, reason: DeleteReason): void => {
    if (expired.has(c.id)) return;
    expired.set(c.id, reason);
    planned += c.fileBytes;
    for (const s of segmentsOf.get(c.id) ?? []) dropSegment(s, reason);
  };
  const dropSegment = (s: PlanSegment, reason: DeleteReason): void => {
    if (deleted.has(s.id) || !segmentFree(s)) return;
    deleted.set(s.id, reason);
    planned += s.bytes;
  };

  // 2. Age.
  for (const c of input.clips) if (clipMayGo(c) && clipEnd(c) < clipCutoffMs) expire(c, 'clip-age');
  for (const s of input.segments) if ((overlapping.get(s.id) ?? []).length === 0 && s.endMs < orphanCutoffMs) dropSegment(s, 'orphan-age');

  // 3. Pressure: oldest first, clips and footage of no clip alike. It starts `headroom` before the
  // limit and frees up to `2 × headroom` above it, so the limit itself is never crossed while recording.
  const headroom = input.headroomBytes ?? 0;
  const freeAfter = (): number => input.disk.freeBytes + planned;
  const underLimit = (): boolean => freeAfter() < limitBytes;
  let state: RetentionState = freeAfter() < limitBytes + headroom ? 'pressure' : 'ok';
  if (state === 'pressure') {
    const units: Unit[] = [
      ...input.clips.filter((c) => clipMayGo(c) && !expired.has(c.id)).map((clip): Unit => ({ kind: 'clip', clip, sortMs: clip.startMs })),
      ...input.segments.filter((s) => (overlapping.get(s.id) ?? []).length === 0 && !deleted.has(s.id) && !isRecent(s)).map((seg): Unit => ({ kind: 'segment', seg, sortMs: seg.startMs })),
    ].sort((a, b) => a.sortMs - b.sortMs);
    for (const u of units) {
      if (freeAfter() >= limitBytes + 2 * headroom) break;
      if (u.kind === 'clip') expire(u.clip, 'disk-pressure');
      else dropSegment(u.seg, 'disk-pressure');
    }
    if (underLimit()) state = input.clips.some((c) => c.awaitingHub && !c.protected) || input.heldForHub?.() ? 'awaiting-hub' : 'protected-only';
  }

  return {
    limitBytes,
    state,
    expireClips: [...expired].map(([id, reason]) => ({ id, reason })),
    deleteSegments: [...deleted].map(([id, reason]) => ({ id, reason })),
    plannedBytes: planned,
  };
}
