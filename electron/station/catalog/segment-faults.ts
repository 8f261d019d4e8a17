/**
 * Damaged segment files: re-checking a segment against the size and SHA-256 it was indexed with, and
 * the record of what was found (migration 007). A check never changes the file or its index row.
 *
 * A file that is gone is not damage here: retention deletes old footage on purpose and the clip says
 * "video expired"; an unreadable file at start-up is indexed as `damaged` by the indexer instead.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentDamage } from '../../../shared/api.js';
import { log } from '../log.js';
import type { Db } from './database.js';
import { stmt } from './statements.js';
import { sha256File } from './hash.js';
import { toIso } from './time.js';

export type FaultFinder = 'scrub' | 'clip' | 'export';

export interface CheckedSegment {
  id: number;
  file: string;
  bytes: number;
  sha256: string;
}

export interface Damage {
  kind: SegmentDamage['kind'];
  detail: string;
}

/** Compare a segment file with its index row; null when it matches or no longer exists. */
export async function checkSegmentFile(dataDir: string, seg: CheckedSegment): Promise<Damage | null> {
  const abs = join(dataDir, ...seg.file.split('/'));
  let size: number;
  try {
    size = (await stat(abs)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { kind: 'altered', detail: `it cannot be read (${(err as Error).message})` };
  }
  if (size < seg.bytes) return { kind: 'truncated', detail: `it has ${size} of its ${seg.bytes} bytes` };
  const actual = await sha256File(abs).catch((err: Error) => `unreadable: ${err.message}`);
  if (actual === seg.sha256) return null;
  return { kind: 'altered', detail: `its SHA-256 is ${actual.slice(0, 16)}…, indexed as ${seg.sha256.slice(0, 16)}…` };
}

export class SegmentFaults {
  constructor(private readonly db: Db) {}

  /** Keep the first finding for a segment; later ones only confirm it. */
  record(seg: CheckedSegment, damage: Damage, by: FaultFinder): void {
    const r = stmt(this.db, 'INSERT OR IGNORE INTO segment_faults (segment_id, kind, detail, found_ms, found_by) VALUES (?, ?, ?, ?, ?)')
      .run(seg.id, damage.kind, damage.detail, Date.now(), by);
    if (r.changes) log.error('a segment file is damaged on disk', { file: seg.file, kind: damage.kind, detail: damage.detail, foundBy: by });
  }

  has(segmentId: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM segment_faults WHERE segment_id = ?').get(segmentId) !== undefined;
  }

  /** Re-check segments now (before a cut or an export); records and returns what is damaged. */
  async verify(dataDir: string, segs: readonly CheckedSegment[], by: FaultFinder): Promise<Array<CheckedSegment & Damage>> {
    const found: Array<CheckedSegment & Damage> = [];
    for (const seg of segs) {
      const damage = await checkSegmentFile(dataDir, seg);
      if (!damage) continue;
      this.record(seg, damage, by);
      found.push({ ...seg, ...damage });
    }
    return found;
  }

  count(): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM segment_faults').get() as { n: number }).n;
  }
}

/** The damaged segments overlapping a time range of one camera, oldest first (the clip API's `damage`). */
export function damageWithin(db: Db, camera: string, fromMs: number, toMs: number): SegmentDamage[] {
  const rows = stmt(
    db,
    `SELECT s.id, s.file, s.start_ms, s.end_ms, f.kind, f.detail, f.found_ms
         FROM segment_faults f JOIN segments s ON s.id = f.segment_id
        WHERE s.camera = ? AND s.start_ms < ? AND s.end_ms > ? ORDER BY s.start_ms`,
  ).all(camera, toMs, fromMs) as Array<{ id: number; file: string; start_ms: number; end_ms: number; kind: SegmentDamage['kind']; detail: string; found_ms: number }>;
  return rows.map((r) => ({ segmentId: r.id, file: r.file, startedAt: toIso(r.start_ms), endedAt: toIso(r.end_ms), kind: r.kind, detail: r.detail, foundAt: toIso(r.found_ms) }));
}
