import { maskCredentials } from '../../../shared/credentials.js';
import type { Db } from './database.js';
import { stmt } from './statements.js';

export interface RunRow {
  id: number;
  camera: string;
  dir: string;
  t0_ms: number;
  pid: number | null;
  started_ms: number;
  ended_ms: number | null;
  end_reason: string | null;
}

/** One row per ffmpeg process: its folder and the wall-clock time its timestamp 0 stands for. */
export class Runs {
  constructor(private readonly db: Db) {}

  create(run: { camera: string; dir: string; t0Ms: number }): number {
    const r = stmt(this.db, 'INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES (?, ?, ?, ?)')
      .run(run.camera, run.dir, run.t0Ms, Date.now());
    return Number(r.lastInsertRowid);
  }

  setPid(id: number, pid: number | null): void {
    stmt(this.db, 'UPDATE runs SET pid = ? WHERE id = ?').run(pid, id);
  }

  open(): RunRow[] {
    return stmt(this.db, 'SELECT * FROM runs WHERE ended_ms IS NULL ORDER BY id').all() as RunRow[];
  }

  /** The reason is often ffmpeg's error, which quotes the camera URL: stored with its password masked. */
  end(id: number, reason: string): void {
    stmt(this.db, 'UPDATE runs SET ended_ms = ?, end_reason = ? WHERE id = ? AND ended_ms IS NULL').run(Date.now(), maskCredentials(reason), id);
  }

  /**
   * Forget a run that recorded nothing (a failed retry while the camera is away). Refused by the
   * query itself when any segment refers to it: footage is never orphaned.
   */
  discardEmpty(id: number): boolean {
    return stmt(this.db, 'DELETE FROM runs WHERE id = ? AND NOT EXISTS (SELECT 1 FROM segments WHERE run_id = ?)').run(id, id).changes === 1;
  }

  /** Runs a crash left open (the process died before it could write their end). */
  endOpen(reason: string): number {
    return stmt(this.db, 'UPDATE runs SET ended_ms = ?, end_reason = ? WHERE ended_ms IS NULL').run(Date.now(), maskCredentials(reason)).changes;
  }

  byDir(dir: string): RunRow | undefined {
    return stmt(this.db, 'SELECT * FROM runs WHERE dir = ?').get(dir) as RunRow | undefined;
  }

  all(): RunRow[] {
    return stmt(this.db, 'SELECT * FROM runs ORDER BY id').all() as RunRow[];
  }
}
