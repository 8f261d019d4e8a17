/**
 * Clips, their codes and the scan log in SQLite. A clip row is never deleted: cancelled clips stay
 * (marked), interrupted ones stay (marked), and a code may sit on several clips (a re-pack).
 */
import { damageWithin } from '../catalog/segment-faults.js';
import { normalizeCode, ScanReason, type ScannedOrder, type AuditEntry, type Clip, type ClipFootage, type ClipMode, type ClipStatus, type CodeKind, type ScanLogEntry } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { toIso, toIsoOrNull } from '../catalog/time.js';
import { ClipCamerasRepo } from './clip-cameras.js';

interface ClipRow {
  id: number;
  station: string;
  camera: string;
  mode: ClipMode;
  status: ClipStatus;
  start_ms: number;
  end_ms: number | null;
  end_reason: string | null;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  video_duration_ms: number | null;
  video_fps: number | null;
  protected: number;
  note: string | null;
  thumb: string | null;
  video_expired_ms: number | null;
  order_json: string | null;
  packer: string | null;
  packer_name: string | null;
}

interface ScanRow {
  at_ms: number;
  raw: string;
  code: string;
  kind: ScanLogEntry['kind'];
  action: ScanLogEntry['action'];
  reason: string;
  mode: ClipMode;
  clip_id: number | null;
  ended_clip_id: number | null;
  duplicate_of: string | null;
  message: string;
}

export interface NewScanLog {
  atMs: number;
  station: string;
  raw: string;
  code: string;
  kind: ScanLogEntry['kind'];
  action: ScanLogEntry['action'];
  reason: string;
  mode: ClipMode;
  clipId: number | null;
  endedClipId: number | null;
  duplicateOf: Array<{ id: number; startedAt: string }>;
  message: { 'zh-CN': string; en: string };
}

export class ClipsRepo {
  constructor(private readonly db: Db) {}

  create(c: { station: string; camera: string; mode: ClipMode; startMs: number }): number {
    return Number(
      stmt(this.db, "INSERT INTO clips (station, camera, mode, status, start_ms, created_ms) VALUES (?, ?, ?, 'recording', ?, ?)")
        .run(c.station, c.camera, c.mode, c.startMs, Date.now()).lastInsertRowid,
    );
  }

  addCode(clipId: number, code: string, kind: CodeKind, atMs: number): void {
    stmt(this.db, 'INSERT OR IGNORE INTO clip_codes (clip_id, code, kind, scanned_ms, code_norm) VALUES (?, ?, ?, ?, ?)')
      .run(clipId, code, kind, atMs, normalizeCode(code));
  }

  end(clipId: number, endMs: number, status: Exclude<ClipStatus, 'recording'>, reason: string): void {
    stmt(this.db, "UPDATE clips SET end_ms = max(?, start_ms), status = ?, end_reason = ? WHERE id = ? AND status = 'recording'")
      .run(endMs, status, reason, clipId);
  }

  setVideo(clipId: number, v: { file: string; bytes: number; sha256: string; durationMs: number; fps?: number | null }): void {
    stmt(this.db, 'UPDATE clips SET file = ?, bytes = ?, sha256 = ?, video_duration_ms = ?, video_fps = ? WHERE id = ?').run(v.file, v.bytes, v.sha256, v.durationMs, v.fps ?? null, clipId);
  }

  /** The frame rate of a clip cut before it was measured at cutting (migration 010). */
  setFps(clipId: number, fps: number): void {
    stmt(this.db, 'UPDATE clips SET video_fps = ? WHERE id = ?').run(fps, clipId);
  }

  recording(): Array<{ id: number; startMs: number; camera: string }> {
    return (stmt(this.db, "SELECT id, start_ms, camera FROM clips WHERE status = 'recording' ORDER BY id").all() as Array<{ id: number; start_ms: number; camera: string }>).map(
      (r) => ({ id: r.id, startMs: r.start_ms, camera: r.camera }),
    );
  }

  /** Where the latest-ending clip ends (null before the first): the next clip's pre-roll stops there. */
  lastEndMs(): number | null {
    return (stmt(this.db, 'SELECT max(end_ms) AS t FROM clips').get() as { t: number | null }).t;
  }

  /** Closed clips whose MP4 is not written yet (the station stopped before it could cut them); not those retention expired. */
  withoutVideo(): number[] {
    return (stmt(this.db, "SELECT id FROM clips WHERE status != 'recording' AND file IS NULL AND video_expired_ms IS NULL ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id);
  }

  /**
   * Other clips carrying this code since `sinceMs`: a repeated waybill is a re-ship or a mistake.
   * A hand-over clip and a packing or returns clip of the same code are the same parcel's two links
   * (packed, then handed over), not a repeat: only clips on the same side of the hand-over count.
   */
  othersWithCode(code: string, sinceMs: number, exceptClipId: number | null, mode: ClipMode = 'pack'): Array<{ id: number; startedAt: string }> {
    const rows = stmt(
      this.db,
      `SELECT DISTINCT c.id, c.start_ms FROM clip_codes cc JOIN clips c ON c.id = cc.clip_id
         WHERE cc.code = ? COLLATE NOCASE AND cc.scanned_ms >= ? AND cc.kind <> 'item' AND c.id != ? AND (c.mode = 'ship') = (? = 'ship') ORDER BY c.start_ms DESC LIMIT 20`,
    ).all(code, sinceMs, exceptClipId ?? -1, mode) as Array<{ id: number; start_ms: number }>;
    return rows.map((r) => ({ id: r.id, startedAt: toIso(r.start_ms) }));
  }

  get(id: number): Clip | null {
    const row = stmt(this.db, 'SELECT * FROM clips WHERE id = ?').get(id) as ClipRow | undefined;
    if (!row) return null;
    const codes = stmt(this.db, 'SELECT code, kind, scanned_ms FROM clip_codes WHERE clip_id = ? ORDER BY scanned_ms, rowid').all(id) as Array<{
      code: string;
      kind: CodeKind;
      scanned_ms: number;
    }>;
    const gaps = this.gapsWithin(row.camera, row.start_ms, row.end_ms ?? Date.now());
    return {
      id: row.id,
      station: row.station,
      camera: row.camera,
      mode: row.mode,
      status: row.status,
      codes: codes.map((c) => c.code),
      codeDetails: codes.map((c) => ({ code: c.code, kind: c.kind, scannedAt: toIso(c.scanned_ms) })),
      startedAt: toIso(row.start_ms),
      endedAt: toIsoOrNull(row.end_ms),
      video:
        row.file && row.bytes !== null && row.sha256 && row.video_duration_ms !== null
          ? { bytes: row.bytes, sha256: row.sha256, durationMs: row.video_duration_ms, fps: row.video_fps }
          : null,
      endReason: row.end_reason,
      protected: row.protected === 1,
      note: row.note,
      hasThumbnail: row.thumb !== null && row.video_expired_ms === null,
      gaps,
      damage: damageWithin(this.db, row.camera, row.start_ms, row.end_ms ?? Date.now()),
      videoExpiredAt: toIsoOrNull(row.video_expired_ms),
      footage: footageOf(gaps, row.start_ms, row.end_ms ?? Date.now()),
      order: row.order_json ? (JSON.parse(row.order_json) as ScannedOrder) : null,
      packer: row.packer,
      packerName: row.packer_name ?? row.packer,
    };
  }

  /** The order the clip packs, kept as it was at the scan: a later re-import does not change the evidence. */
  setOrder(clipId: number, orderId: number, order: ScannedOrder): void {
    stmt(this.db, 'UPDATE clips SET order_id = ?, order_json = ? WHERE id = ? AND order_id IS NULL').run(orderId, JSON.stringify(order), clipId);
  }

  /** The packer signed in when the clip started. */
  setPacker(clipId: number, packer: string | null, name: string | null = packer): void {
    stmt(this.db, 'UPDATE clips SET packer = ?, packer_name = ? WHERE id = ?').run(packer, name, clipId);
  }

  /** The clip's footage as its gaps tell it (see Clip.footage); the clip writer asks before waiting for footage. */
  footage(id: number): ClipFootage | null {
    const row = stmt(this.db, 'SELECT camera, start_ms, end_ms FROM clips WHERE id = ?').get(id) as { camera: string; start_ms: number; end_ms: number | null } | undefined;
    if (!row) return null;
    const end = row.end_ms ?? Date.now();
    return footageOf(this.gapsWithin(row.camera, row.start_ms, end), row.start_ms, end);
  }

  /** A camera's gaps over a time range (the clip writer asks it of each other camera too). */
  gapsWithin(camera: string, fromMs: number, toMs: number): Clip['gaps'] {
    const rows = stmt(this.db, 'SELECT id, camera, start_ms, end_ms, reason FROM gaps WHERE camera = ? AND start_ms < ? AND coalesce(end_ms, 8.64e15) > ? ORDER BY start_ms')
      .all(camera, toMs, fromMs) as Array<{ id: number; camera: string; start_ms: number; end_ms: number | null; reason: string }>;
    return rows.map((g) => ({ id: g.id, camera: g.camera, startedAt: toIso(g.start_ms), endedAt: toIsoOrNull(g.end_ms), reason: g.reason }));
  }

  setProtected(id: number, value: boolean): void {
    stmt(this.db, 'UPDATE clips SET protected = ? WHERE id = ?').run(value ? 1 : 0, id);
    this.requeueMainless(id);
  }

  setNote(id: number, note: string | null): void {
    stmt(this.db, 'UPDATE clips SET note = ? WHERE id = ?').run(note, id);
    this.requeueMainless(id);
  }

  /** How many of the clip's other cameras have a cut video (a clip whose main camera recorded nothing is exported and uploaded from them). */
  otherCameraVideos(id: number): number {
    return new ClipCamerasRepo(this.db).cutVideos(id).length;
  }

  /**
   * The outbox triggers (migrations 011, 014) queue a clip by its main video's hash; a closed clip whose
   * main camera recorded nothing but another camera did goes back into the outbox here instead, so the
   * hub gets a protect or note change of it too.
   */
  private requeueMainless(id: number): void {
    stmt(
      this.db,
      `INSERT INTO hub_outbox (clip_id, queued_ms)
         SELECT c.id, ? FROM clips c WHERE c.id = ? AND c.sha256 IS NULL AND c.status <> 'recording'
            AND EXISTS (SELECT 1 FROM clip_cameras k WHERE k.clip_id = c.id AND k.sha256 IS NOT NULL)
       ON CONFLICT(clip_id) DO UPDATE SET uploaded_ms = NULL, next_try_ms = 0, attempts = 0`,
    ).run(Date.now(), id);
  }

  setThumbnail(id: number, file: string): void {
    stmt(this.db, 'UPDATE clips SET thumb = ? WHERE id = ?').run(file, id);
  }

  thumbnailFile(id: number): string | null {
    return (stmt(this.db, 'SELECT thumb FROM clips WHERE id = ?').get(id) as { thumb: string | null } | undefined)?.thumb ?? null;
  }

  audit(clipId: number, actor: string, action: AuditEntry['action'], detail: string | null = null): void {
    stmt(this.db, 'INSERT INTO audit_log (at_ms, actor, action, clip_id, detail) VALUES (?, ?, ?, ?, ?)').run(Date.now(), actor, action, clipId, detail);
  }

  auditLog(clipId: number): AuditEntry[] {
    return (
      stmt(this.db, 'SELECT at_ms, actor, action, detail FROM audit_log WHERE clip_id = ? ORDER BY at_ms DESC, id DESC').all(clipId) as Array<{
        at_ms: number;
        actor: string;
        action: AuditEntry['action'];
        detail: string | null;
      }>
    ).map((r) => ({ at: toIso(r.at_ms), actor: r.actor, action: r.action, detail: r.detail }));
  }

  /**
   * When the scan that ended the clip came (a stop code, or the next order switching to a new clip);
   * null when something else ended it (maximum length, a crash). With the first code's scan time this
   * brackets the packing itself, inside the pre- and post-roll.
   */
  endingScanMs(id: number): number | null {
    const row = stmt(this.db, "SELECT max(at_ms) AS t FROM scans WHERE (action = 'stopped' AND clip_id = ?) OR (action = 'switched' AND ended_clip_id = ?)")
      .get(id, id) as { t: number | null };
    return row.t;
  }

  /** The clip MP4's path relative to the data folder (never taken from a request). */
  videoFile(id: number): string | null {
    return (stmt(this.db, 'SELECT file FROM clips WHERE id = ?').get(id) as { file: string | null } | undefined)?.file ?? null;
  }

  /** When retention deleted the clip's video (null: not expired); routes answer 410 with it. */
  videoExpiredMs(id: number): number | null {
    return (stmt(this.db, 'SELECT video_expired_ms AS t FROM clips WHERE id = ?').get(id) as { t: number | null } | undefined)?.t ?? null;
  }

  logScan(s: NewScanLog): void {
    stmt(
      this.db,
      `INSERT INTO scans (at_ms, station, raw, code, kind, action, reason, message, mode, clip_id, ended_clip_id, duplicate_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.atMs,
      s.station,
      s.raw,
      s.code,
      s.kind,
      s.action,
      s.reason,
      JSON.stringify(s.message),
      s.mode,
      s.clipId,
      s.endedClipId,
      s.duplicateOf.length ? JSON.stringify(s.duplicateOf) : null,
    );
  }

  recentScans(limit: number): ScanLogEntry[] {
    const rows = stmt(this.db, 'SELECT * FROM scans ORDER BY id DESC LIMIT ?').all(limit) as ScanRow[];
    return rows.map((r) => {
      return {
        at: toIso(r.at_ms),
        raw: r.raw,
        code: r.code,
        kind: r.kind,
        action: r.action,
        mode: r.mode,
        id: r.action === 'stopped' ? r.ended_clip_id ?? r.clip_id : r.clip_id,
        endedId: r.ended_clip_id,
        message: JSON.parse(r.message) as { 'zh-CN': string; en: string },
        duplicateOf: r.duplicate_of ? (JSON.parse(r.duplicate_of) as Array<{ id: number; startedAt: string }>) : [],
        reason: isScanReason(r.reason) ? r.reason : undefined,
      };
    });
  }

  /** The newest scan's id (0 before the first): screens refresh their scan list when it changes. */
  lastScanId(): number {
    return (stmt(this.db, 'SELECT coalesce(max(id), 0) AS n FROM scans').get() as { n: number }).n;
  }
}

/** `none`: one gap spans the clip's whole time (the camera recorded none of it); `partial`: gaps within it; else `complete`. */
export function footageOf(gaps: Clip['gaps'], startMs: number, endMs: number): ClipFootage {
  if (!gaps.length) return 'complete';
  const covers = gaps.some((g) => Date.parse(g.startedAt) <= startMs && (g.endedAt === null || Date.parse(g.endedAt) >= endMs));
  return covers ? 'none' : 'partial';
}

function isScanReason(r: string): r is ScanReason {
  return (ScanReason.options as readonly string[]).includes(r);
}
