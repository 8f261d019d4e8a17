/**
 * Carries out retention-plan.ts: reads a bounded batch of the oldest footage still on disk and the
 * clips over it, plans, deletes the files, and marks the rows (segments.file_deleted_ms,
 * clips.video_expired_ms). Rows are never deleted: the evidence chain needs every segment row, and a
 * search must still find an expired clip and say when its video went.
 *
 * A pass repeats while it deletes something, so a backlog (the first run after months, or a sudden
 * pressure) is worked through in bounded steps, re-measuring free space between them.
 */
import { chmod, rmdir, stat, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RetentionSettings, RetentionState } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { RETENTION_BATCH_SEGMENTS, RETENTION_RECENT_SLACK_MS, retentionHeadroomBytes } from '../limits.js';
import { log } from '../log.js';
import { SEGMENT_LIST_NAME } from '../recorder/ffmpeg-command.js';
import { planRetention, retentionLimitBytes, type DeleteReason, type PlanClip, type PlanSegment } from './retention-plan.js';

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

export interface RetentionDeps {
  db: Db;
  dataDir: string;
  settings: () => RetentionSettings;
  preRollMs: () => number;
  /** statfs of the data folder's volume (tests inject their own). */
  freeSpace: () => Promise<DiskSpace>;
  now?: () => number;
  /**
   * Clips an export is queued for or reading: kept like protected ones until it is done, so a clip
   * reaching its 90 days (or the disk filling) in the middle of an export does not cut it short.
   */
  inUse?: () => ReadonlySet<number>;
  /**
   * True while a clip must wait for the hub's confirmed copy before it may go: the station is joined
   * to a hub and the retention settings' waitForHubCopy is on (default false: no hub).
   */
  hubCopyRequired?: () => boolean;
  /** How far before the limit pressure starts (default limits.ts retentionHeadroomBytes of the volume). */
  headroomBytes?: (totalBytes: number) => number;
}

export interface RetentionReport {
  state: RetentionState;
  limitBytes: number;
  freeBytes: number;
  expiredClips: number;
  deletedSegments: number;
  freedBytes: number;
}

/**
 * A clip (alias c) whose video the hub has not confirmed: queued in the outbox and the hub's SHA-256
 * is missing or is not the clip's (hub-uploader.ts sets it only after the hub confirmed its copy). A
 * clip with no outbox row (no video, or cut before the outbox existed) has nothing to wait for. A
 * clip whose main camera recorded nothing is confirmed with '' (its other cameras' videos confirmed).
 */
const AWAITING_HUB = `EXISTS (SELECT 1 FROM hub_outbox o WHERE o.clip_id = c.id AND (o.hub_sha256 IS NULL OR o.hub_sha256 IS NOT coalesce(c.sha256, '')))`;

/** More passes than this in one run and the rest waits for the next run (the timer is a minute). */
const MAX_PASSES = 50;
/** Clips that may expire, looked at per pass besides those over the segment batch. */
const CLIP_CANDIDATES = 500;

export class Retention {
  state: RetentionState = 'ok';
  limitBytes = 0;
  freedTodayBytes = 0;
  lastRunMs: number | null = null;
  private freedDay = '';
  private running: Promise<RetentionReport> | null = null;

  constructor(private readonly d: RetentionDeps) {}

  /** One run (several passes). Concurrent calls share the run in progress. */
  run(): Promise<RetentionReport> {
    this.running ??= this.runInner().finally(() => (this.running = null));
    return this.running;
  }

  /** Resolves when no run is in progress (the station waits for it before closing the database). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  private async runInner(): Promise<RetentionReport> {
    const total: RetentionReport = { state: 'ok', limitBytes: 0, freeBytes: 0, expiredClips: 0, deletedSegments: 0, freedBytes: 0 };
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const disk = await this.d.freeSpace();
      const settings = this.d.settings();
      const nowMs = this.now();
      const hub = settings.waitForHubCopy && (this.d.hubCopyRequired?.() ?? false);
      const segments = this.segmentBatch(hub);
      const clips = this.clipsFor(segments, hub);
      const heldForHub = (): boolean => hub && stmt(this.d.db, `SELECT 1 FROM clips c WHERE c.video_expired_ms IS NULL AND c.protected = 0 AND ${AWAITING_HUB} LIMIT 1`).get() !== undefined;
      const plan = planRetention({ nowMs, settings, preRollMs: this.d.preRollMs(), recentSlackMs: RETENTION_RECENT_SLACK_MS, headroomBytes: (this.d.headroomBytes ?? retentionHeadroomBytes)(disk.totalBytes), disk, segments, clips, heldForHub });
      total.state = plan.state;
      total.limitBytes = plan.limitBytes;
      total.freeBytes = disk.freeBytes;
      if (!plan.expireClips.length && !plan.deleteSegments.length) break;
      const done = await this.execute(plan.expireClips, plan.deleteSegments, segments, nowMs);
      total.expiredClips += done.clips;
      total.deletedSegments += done.segments;
      total.freedBytes += done.bytes;
      log.info('retention deleted footage', {
        clips: done.clips,
        segments: done.segments,
        bytes: done.bytes,
        reasons: done.reasons,
        freeBytesBefore: disk.freeBytes,
        limitBytes: plan.limitBytes,
      });
      if (done.clips + done.segments === 0) break; // every deletion failed: do not spin
    }
    this.setState(total.state, total);
    this.limitBytes = total.limitBytes;
    this.lastRunMs = this.now();
    this.countFreed(total.freedBytes);
    return total;
  }

  /** The limit for the current settings (for the status before the first run). */
  limitFor(totalBytes: number): number {
    return retentionLimitBytes(this.d.settings(), totalBytes);
  }

  private setState(s: RetentionState, r: RetentionReport): void {
    if (s === this.state) return;
    const prev = this.state;
    this.state = s;
    if (s === 'awaiting-hub') {
      log.error('RETENTION CANNOT REACH ITS FREE-SPACE LIMIT: what is left is protected or waits for the hub to confirm its copy. Check the hub link (settings), free space, or turn off waiting for the hub copy', {
        freeBytes: r.freeBytes,
        limitBytes: r.limitBytes,
      });
    } else if (s === 'protected-only') {
      log.error('RETENTION CANNOT REACH ITS FREE-SPACE LIMIT: only protected clips, the clip being recorded and the last seconds are left; footage of no clip is now kept only for the pre-roll. Free space, unprotect clips or lower the limit', {
        freeBytes: r.freeBytes,
        limitBytes: r.limitBytes,
      });
    } else if (s === 'pressure') log.warn('disk space under the retention limit; deleting the oldest unprotected footage', { freeBytes: r.freeBytes, limitBytes: r.limitBytes });
    else log.info('disk space back above the retention limit', { from: prev, freeBytes: r.freeBytes, limitBytes: r.limitBytes });
  }

  private countFreed(bytes: number): void {
    const day = new Date(this.now()).toDateString();
    if (day !== this.freedDay) {
      this.freedDay = day;
      this.freedTodayBytes = 0;
    }
    this.freedTodayBytes += bytes;
  }

  /**
   * The oldest footage still on disk that no protected clip covers (protected footage is never a
   * candidate, so years of it cannot fill every batch and hide what may go); with `hub`, neither does
   * footage of a clip still waiting for the hub's copy (a hub away for a week must not stall retention).
   */
  private segmentBatch(hub: boolean): Array<PlanSegment & { file: string }> {
    const rows = stmt(
      this.d.db,
      `SELECT s.id, s.camera, s.start_ms, s.end_ms, s.bytes, s.file FROM segments s
         WHERE s.file_deleted_ms IS NULL
           AND NOT EXISTS (SELECT 1 FROM clips c WHERE (c.protected = 1 OR (@hub AND ${AWAITING_HUB}))
                             AND c.start_ms < s.end_ms AND coalesce(c.end_ms, 8.64e15) > s.start_ms)
         ORDER BY s.start_ms LIMIT @n`,
    ).all({ hub: hub ? 1 : 0, n: RETENTION_BATCH_SEGMENTS }) as Array<{ id: number; camera: string; start_ms: number; end_ms: number; bytes: number; file: string }>;
    return rows.map((r) => ({ id: r.id, camera: r.camera, startMs: r.start_ms, endMs: r.end_ms, bytes: r.bytes, file: r.file }));
  }

  /** Clips over the batch (any: they decide what footage stays), the recording ones, and the oldest that may expire. */
  private clipsFor(segments: readonly PlanSegment[], hub: boolean): PlanClip[] {
    const minStart = segments.length ? Math.min(...segments.map((s) => s.startMs)) : 0;
    const maxEnd = segments.length ? Math.max(...segments.map((s) => s.endMs)) : 0;
    const rows = stmt(
      this.d.db,
      `SELECT c.id, c.camera, c.start_ms, c.end_ms, c.protected, coalesce(c.bytes, 0) AS bytes, (@hub AND ${AWAITING_HUB}) AS awaiting FROM clips c
          WHERE c.video_expired_ms IS NULL AND ((c.start_ms < @maxEnd AND coalesce(c.end_ms, 8.64e15) > @minStart) OR c.end_ms IS NULL)
         UNION
         SELECT * FROM (SELECT c.id, c.camera, c.start_ms, c.end_ms, c.protected, coalesce(c.bytes, 0) AS bytes, 0 AS awaiting FROM clips c
          WHERE c.video_expired_ms IS NULL AND c.protected = 0 AND c.end_ms IS NOT NULL AND NOT (@hub AND ${AWAITING_HUB}) ORDER BY c.start_ms LIMIT @n)`,
    ).all({ minStart, maxEnd, n: CLIP_CANDIDATES, hub: hub ? 1 : 0 }) as Array<{ id: number; camera: string; start_ms: number; end_ms: number | null; protected: number; bytes: number; awaiting: number }>;
    const inUse = this.d.inUse?.() ?? new Set<number>();
    // The second half of the UNION holds no awaiting clip, so a clip in both halves is one row.
    return rows.map((r) => ({ id: r.id, camera: r.camera, startMs: r.start_ms, endMs: r.end_ms, protected: r.protected === 1 || inUse.has(r.id), awaitingHub: r.awaiting === 1, fileBytes: r.bytes }));
  }

  private async execute(
    clips: Array<{ id: number; reason: DeleteReason }>,
    segs: Array<{ id: number; reason: DeleteReason }>,
    batch: ReadonlyArray<PlanSegment & { file: string }>,
    nowMs: number,
  ): Promise<{ clips: number; segments: number; bytes: number; reasons: Record<string, number> }> {
    const reasons: Record<string, number> = {};
    let bytes = 0;
    const expired: Array<{ id: number; reason: DeleteReason }> = [];
    for (const c of clips) {
      const row = stmt(this.d.db, 'SELECT file, thumb FROM clips WHERE id = ?').get(c.id) as { file: string | null; thumb: string | null };
      // The other cameras' videos of the clip go with it (its video_expired_ms covers them all).
      const others = (stmt(this.d.db, 'SELECT file FROM clip_cameras WHERE clip_id = ? AND file IS NOT NULL').all(c.id) as Array<{ file: string }>).map((r) => r.file);
      for (const rel of [row.file, row.thumb, ...others]) if (rel) bytes += await this.remove(rel);
      expired.push(c);
      reasons[`clip:${c.reason}`] = (reasons[`clip:${c.reason}`] ?? 0) + 1;
    }
    const byId = new Map(batch.map((s) => [s.id, s]));
    const gone: Array<{ id: number; reason: DeleteReason }> = [];
    for (const s of segs) {
      const seg = byId.get(s.id)!;
      try {
        await this.unlinkEvidence(seg.file);
      } catch (err) {
        log.error('retention could not delete a segment file; its row stays unmarked', { file: seg.file, error: (err as Error).message });
        continue;
      }
      bytes += seg.bytes;
      gone.push(s);
      reasons[`segment:${s.reason}`] = (reasons[`segment:${s.reason}`] ?? 0) + 1;
    }
    // Marked after the files went: a crash in between leaves rows whose file is missing, which
    // start-up reconcile reports; marking first could leave files nobody would ever delete.
    this.d.db.transaction(() => {
      const markSeg = stmt(this.d.db, 'UPDATE segments SET file_deleted_ms = ?, file_deleted_reason = ? WHERE id = ? AND file_deleted_ms IS NULL');
      for (const s of gone) markSeg.run(nowMs, s.reason, s.id);
      const markClip = stmt(this.d.db, 'UPDATE clips SET video_expired_ms = ?, video_expired_reason = ? WHERE id = ? AND video_expired_ms IS NULL');
      for (const c of expired) markClip.run(nowMs, c.reason, c.id);
    })();
    await this.removeEmptyRunFolders(new Set(gone.map((s) => posix.dirname(byId.get(s.id)!.file))));
    return { clips: expired.length, segments: gone.length, bytes, reasons };
  }

  /**
   * A run whose segment files are all gone leaves a folder holding only ffmpeg's segment list; months
   * of camera restarts and clock steps would leave thousands, each read at every start. Once the run
   * has ended, the list is deleted by name and the folder removed; anything else in it keeps the
   * folder (rmdir refuses), and the run's row stays like the segments' rows.
   */
  private async removeEmptyRunFolders(dirs: ReadonlySet<string>): Promise<void> {
    for (const dir of dirs) {
      const run = stmt(
        this.d.db,
        'SELECT r.ended_ms AS ended, EXISTS (SELECT 1 FROM segments s WHERE s.run_id = r.id AND s.file_deleted_ms IS NULL) AS kept FROM runs r WHERE r.dir = ?',
      ).get(dir) as { ended: number | null; kept: number } | undefined;
      if (!run || run.ended === null || run.kept) continue;
      const abs = join(this.d.dataDir, ...dir.split('/'));
      try {
        await this.unlinkEvidence(`${dir}/${SEGMENT_LIST_NAME}`);
        await rmdir(abs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        // ENOTEMPTY: something that is not ours to delete; the folder stays, which is harmless.
        (code === 'ENOTEMPTY' || code === 'EEXIST' ? log.info : log.warn)('retention left a run folder in place', { dir, error: (err as Error).message });
      }
    }
  }

  /** Deletes a clip file, returning its size; an already missing file counts as deleted. */
  private async remove(rel: string): Promise<number> {
    const abs = join(this.d.dataDir, ...rel.split('/'));
    const size = await stat(abs).then((s) => s.size, () => 0);
    try {
      await this.unlinkEvidence(rel);
    } catch (err) {
      log.error('retention could not delete a clip file', { file: rel, error: (err as Error).message });
      return 0;
    }
    return size;
  }

  /** Footage is made read-only when indexed; Windows refuses to unlink a read-only file. ENOENT is success. */
  private async unlinkEvidence(rel: string): Promise<void> {
    const abs = join(this.d.dataDir, ...rel.split('/'));
    if (process.platform === 'win32') await chmod(abs, 0o644).catch(() => undefined);
    try {
      await unlink(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
