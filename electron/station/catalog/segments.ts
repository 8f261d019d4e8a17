import type { Segment } from '../../../shared/api.js';
import type { Db } from './database.js';
import { stmt } from './statements.js';
import { toIso } from './time.js';

export type SegmentStatus = Segment['status'];

export interface NewSegment {
  runId: number;
  camera: string;
  /** Relative to the data folder, forward slashes. */
  file: string;
  startMs: number;
  endMs: number;
  bytes: number;
  sha256: string;
  status: SegmentStatus;
}

/** A segment as the index holds it, with the moment it was indexed. */
export interface IndexedSegmentRow extends NewSegment {
  id: number;
  indexedMs: number;
}

/**
 * Told of every inserted segment inside the insert's transaction, so a segment is never indexed
 * without it (the evidence chain appends its entry here: evidence/segment-chain.ts).
 */
export interface SegmentInsertHook {
  appended(segment: IndexedSegmentRow): void;
}

interface SegmentRow {
  id: number;
  run_id: number;
  camera: string;
  file: string;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  bytes: number;
  sha256: string;
  status: SegmentStatus;
  file_deleted_ms: number | null;
}

/**
 * The segment index: one row per closed segment file. Rows are only ever added; retention marks a
 * row whose file it deleted (storage/retention.ts), and readers that need the bytes skip those.
 */
export class Segments {
  constructor(
    private readonly db: Db,
    private readonly onInsert?: SegmentInsertHook,
  ) {}

  insert(s: NewSegment): number {
    return this.db.transaction(() => {
      const indexedMs = Date.now();
      const r = stmt(
        this.db,
        `INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.runId, s.camera, s.file, s.startMs, s.endMs, s.endMs - s.startMs, s.bytes, s.sha256, s.status, indexedMs);
      const id = Number(r.lastInsertRowid);
      this.onInsert?.appended({ ...s, id, indexedMs });
      return id;
    })();
  }

  has(file: string): boolean {
    return stmt(this.db, 'SELECT 1 FROM segments WHERE file = ?').get(file) !== undefined;
  }

  /** The end of an indexed segment on its run's clock (seconds after t0), or null if not indexed. */
  endSecOf(file: string, t0Ms: number): number | null {
    const row = stmt(this.db, 'SELECT end_ms FROM segments WHERE file = ?').get(file) as { end_ms: number } | undefined;
    return row ? (row.end_ms - t0Ms) / 1000 : null;
  }

  /** The wall-clock time a segment's timestamp 0 stands for (its run's t0). */
  runT0(file: string): number | null {
    const row = stmt(this.db, 'SELECT r.t0_ms FROM segments s JOIN runs r ON r.id = s.run_id WHERE s.file = ?').get(file) as { t0_ms: number } | undefined;
    return row?.t0_ms ?? null;
  }

  count(): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM segments').get() as { n: number }).n;
  }

  lastEndMs(camera?: string): number | null {
    const row = camera
      ? (stmt(this.db, 'SELECT max(end_ms) AS t FROM segments WHERE camera = ?').get(camera) as { t: number | null })
      : (stmt(this.db, 'SELECT max(end_ms) AS t FROM segments').get() as { t: number | null });
    return row.t;
  }

  /**
   * The cameras that had a recording run during [fromMs, toMs), from `runs` (a few rows a day, where
   * segments are tens of thousands): the cameras a clip of that time has footage from, including one
   * removed from the settings since.
   */
  camerasFilming(fromMs: number, toMs: number): string[] {
    const rows = stmt(this.db, 'SELECT DISTINCT camera FROM runs WHERE started_ms < ? AND (ended_ms IS NULL OR ended_ms > ?) ORDER BY camera').all(toMs, fromMs) as Array<{ camera: string }>;
    return rows.map((r) => r.camera);
  }

  /** Segments overlapping [fromMs, toMs), oldest first; `onDisk`: only those whose file retention has not deleted. */
  between(fromMs: number, toMs: number, camera?: string, opts: { onDisk?: boolean } = {}): Segment[] {
    const kept = opts.onDisk ? ' AND file_deleted_ms IS NULL' : '';
    const rows = (
      camera
        ? stmt(this.db, `SELECT * FROM segments WHERE camera = ? AND start_ms < ? AND end_ms > ?${kept} ORDER BY start_ms`)
            .all(camera, toMs, fromMs)
        : stmt(this.db, `SELECT * FROM segments WHERE start_ms < ? AND end_ms > ?${kept} ORDER BY start_ms`).all(toMs, fromMs)
    ) as SegmentRow[];
    return rows.map(toApi);
  }

  all(): Segment[] {
    return (stmt(this.db, 'SELECT * FROM segments ORDER BY camera, start_ms').all() as SegmentRow[]).map(toApi);
  }
}

function toApi(r: SegmentRow): Segment {
  return {
    id: r.id,
    camera: r.camera,
    file: r.file,
    startedAt: toIso(r.start_ms),
    endedAt: toIso(r.end_ms),
    durationMs: r.duration_ms,
    bytes: r.bytes,
    sha256: r.sha256,
    status: r.status,
    fileDeletedAt: r.file_deleted_ms === null ? null : toIso(r.file_deleted_ms),
  };
}
