import type { Gap } from '../../../shared/api.js';
import { maskCredentials } from '../../../shared/credentials.js';
import type { Db } from './database.js';
import { stmt } from './statements.js';
import { toIso, toIsoOrNull } from './time.js';

interface GapRow {
  id: number;
  camera: string;
  start_ms: number;
  end_ms: number | null;
  reason: string;
}

/**
 * Gaps: stretches of time a camera was meant to record but did not (ffmpeg died, camera unplugged,
 * station crashed). A gap opens when recording stops and closes when the next segment starts, so a
 * clip that spans it can say exactly which seconds are missing.
 */
export class Gaps {
  constructor(private readonly db: Db) {}

  /**
   * Open a gap unless one is already open for this camera; returns the open gap's id and whether this
   * call opened it. The reason is often ffmpeg's error, which quotes the camera URL: stored with its
   * password masked.
   */
  open(camera: string, startMs: number, reason: string): { id: number; created: boolean } {
    const existing = stmt(this.db, 'SELECT id FROM gaps WHERE camera = ? AND end_ms IS NULL').get(camera) as { id: number } | undefined;
    if (existing) return { id: existing.id, created: false };
    const id = Number(stmt(this.db, 'INSERT INTO gaps (camera, start_ms, reason) VALUES (?, ?, ?)').run(camera, startMs, maskCredentials(reason)).lastInsertRowid);
    return { id, created: true };
  }

  /**
   * Close the camera's open gap at the time recording resumed. A gap shorter than `minMs` was no gap:
   * dropped. One that would end before it started (the wall clock was set back meanwhile) is kept, of
   * zero length, so the record of the jump stays.
   */
  close(camera: string, endMs: number, minMs: number): void {
    const open = stmt(this.db, 'SELECT * FROM gaps WHERE camera = ? AND end_ms IS NULL').get(camera) as GapRow | undefined;
    if (!open) return;
    const length = endMs - open.start_ms;
    if (length >= 0 && length < minMs) stmt(this.db, 'DELETE FROM gaps WHERE id = ?').run(open.id);
    else stmt(this.db, 'UPDATE gaps SET end_ms = ? WHERE id = ?').run(Math.max(endMs, open.start_ms), open.id);
  }

  last(camera: string): Gap | null {
    const row = stmt(this.db, 'SELECT * FROM gaps WHERE camera = ? ORDER BY start_ms DESC, id DESC LIMIT 1').get(camera) as GapRow | undefined;
    return row ? toApi(row) : null;
  }

  count(): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM gaps').get() as { n: number }).n;
  }

  all(): Gap[] {
    return (stmt(this.db, 'SELECT * FROM gaps ORDER BY start_ms').all() as GapRow[]).map(toApi);
  }
}

function toApi(r: GapRow): Gap {
  return { id: r.id, camera: r.camera, startedAt: toIso(r.start_ms), endedAt: toIsoOrNull(r.end_ms), reason: r.reason };
}
