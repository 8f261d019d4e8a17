/**
 * The other cameras' videos of a clip (migration 017). The main camera's video stays on the clip
 * row; a station with several cameras cuts the same time range from each of the others, and each cut
 * is a row here. Files are addressed by clip id and camera id; the path comes from the database.
 */
import type { Clip, ClipCamera } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';

interface ClipCameraRow {
  camera: string;
  name: string;
  position: number;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  duration_ms: number | null;
  fps: number | null;
}

export interface CameraVideo {
  file: string;
  bytes: number;
  sha256: string;
  durationMs: number;
  fps: number | null;
}

export class ClipCamerasRepo {
  constructor(private readonly db: Db) {}

  /** The other cameras a clip covers, named before they are cut (so the clip page lists them while cutting). */
  prepare(clipId: number, cameras: ReadonlyArray<{ id: string; name: string }>): void {
    const insert = stmt(this.db, 'INSERT OR IGNORE INTO clip_cameras (clip_id, camera, name, position) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => cameras.forEach((c, i) => insert.run(clipId, c.id, c.name, i + 1)))();
  }

  /**
   * A camera's video is cut (after the main one, so usually after the clip was queued for the hub, or
   * even sent): the clip goes back into the hub outbox (hub-uploader.ts sends what the hub lacks), and
   * its hub copy counts as unconfirmed until the hub confirms this camera's too, so retention waits for
   * it (storage/retention.ts). A closed clip whose main camera recorded nothing is queued here by its
   * first other camera's video (the outbox triggers queue by the main video): the hub gets what exists.
   */
  setVideo(clipId: number, camera: string, v: CameraVideo): void {
    this.db.transaction(() => {
      stmt(this.db, 'UPDATE clip_cameras SET file = ?, bytes = ?, sha256 = ?, duration_ms = ?, fps = ? WHERE clip_id = ? AND camera = ?').run(
        v.file,
        v.bytes,
        v.sha256,
        v.durationMs,
        v.fps,
        clipId,
        camera,
      );
      stmt(this.db, 'UPDATE hub_outbox SET uploaded_ms = NULL, hub_sha256 = NULL, next_try_ms = 0, attempts = 0 WHERE clip_id = ?').run(clipId);
      stmt(
        this.db,
        `INSERT INTO hub_outbox (clip_id, queued_ms) SELECT id, ? FROM clips WHERE id = ? AND sha256 IS NULL AND status <> 'recording'
           ON CONFLICT(clip_id) DO NOTHING`,
      ).run(Date.now(), clipId);
    })();
  }

  /** The other cameras with a cut video, for the hub upload. */
  cutVideos(clipId: number): Array<{ camera: string; file: string; bytes: number; sha256: string; durationMs: number; fps: number | null }> {
    return (
      stmt(this.db, 'SELECT camera, file, bytes, sha256, duration_ms, fps FROM clip_cameras WHERE clip_id = ? AND file IS NOT NULL AND sha256 IS NOT NULL ORDER BY position').all(clipId) as Array<
        Pick<ClipCameraRow, 'camera' | 'fps'> & { file: string; bytes: number; sha256: string; duration_ms: number }
      >
    ).map((r) => ({ camera: r.camera, file: r.file, bytes: r.bytes, sha256: r.sha256, durationMs: r.duration_ms, fps: r.fps }));
  }

  /** Path of one camera's clip MP4 relative to the data folder; null: no such camera on the clip, or not cut. */
  videoFile(clipId: number, camera: string): string | null {
    return (stmt(this.db, 'SELECT file FROM clip_cameras WHERE clip_id = ? AND camera = ?').get(clipId, camera) as { file: string | null } | undefined)?.file ?? null;
  }

  has(clipId: number, camera: string): boolean {
    return stmt(this.db, 'SELECT 1 FROM clip_cameras WHERE clip_id = ? AND camera = ?').get(clipId, camera) !== undefined;
  }

  /** Every other camera's file of the clip (retention deletes them with the main video). */
  files(clipId: number): string[] {
    return (stmt(this.db, 'SELECT file FROM clip_cameras WHERE clip_id = ? AND file IS NOT NULL ORDER BY position').all(clipId) as Array<{ file: string }>).map((r) => r.file);
  }

  /** The other cameras of a clip in their order, with their cut MP4 (file null: not cut, or nothing recorded). */
  rows(clipId: number): Array<{ camera: string; name: string; video: CameraVideo | null }> {
    const rows = stmt(this.db, 'SELECT camera, name, position, file, bytes, sha256, duration_ms, fps FROM clip_cameras WHERE clip_id = ? ORDER BY position').all(clipId) as ClipCameraRow[];
    return rows.map((r) => ({
      camera: r.camera,
      name: r.name,
      video: r.file !== null && r.bytes !== null && r.sha256 !== null ? { file: r.file, bytes: r.bytes, sha256: r.sha256, durationMs: r.duration_ms ?? 0, fps: r.fps } : null,
    }));
  }

  /** Clip.cameras: the main camera (from the clip row), then the others in their order. */
  list(clip: Clip, mainName: string): ClipCamera[] {
    const expired = clip.videoExpiredAt !== null;
    const rows = stmt(this.db, 'SELECT camera, name, position, file, bytes, sha256, duration_ms, fps FROM clip_cameras WHERE clip_id = ? ORDER BY position').all(clip.id) as ClipCameraRow[];
    const main: ClipCamera = {
      id: clip.camera,
      name: mainName,
      main: true,
      hasVideo: clip.video !== null && !expired,
      bytes: clip.video?.bytes ?? null,
      sha256: clip.video?.sha256 ?? null,
      durationMs: clip.video?.durationMs ?? null,
      fps: clip.video?.fps ?? null,
    };
    return [
      main,
      ...rows.map((r) => ({ id: r.camera, name: r.name, main: false, hasVideo: r.file !== null && !expired, bytes: r.bytes, sha256: r.sha256, durationMs: r.duration_ms, fps: r.fps })),
    ];
  }
}
