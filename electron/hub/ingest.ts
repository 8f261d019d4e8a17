/**
 * Receiving clips from stations. The record first: its sealed bundle's manifest must be signed by the
 * key the station paired with, be about this clip, and list the video with the SHA-256 the record
 * declares. Then the video, streamed into the footage store and hashed as it is written: a video
 * whose hash is not the one the station signed is deleted and refused, with the reason, and logged.
 *
 * Idempotent by station + station clip id: a record sent again (a retry after the hub was killed, a
 * protect or note change) updates the row; a video already stored with the signed hash is not
 * stored again.
 */
import { createPublicKey } from 'node:crypto';
import type { Readable } from 'node:stream';
import { normalizeCode, type HubClipUpload, type HubClipUploadResponse, type HubVideoUploadResponse } from '../../shared/api.js';
import { Manifest } from '../station/evidence/manifest.js';
import { verifyBytes } from '../station/evidence/station-keys.js';
import { msg, LocalizedError, type Message } from '../station/localized-error.js';
import type { HubPool } from './db/hub-database.js';
import { recordEvent } from './hub-events.js';
import type { VerifiedStation } from './server/station-auth.js';
import { clipCameraVideoKey, clipVideoKey, type FootageStore } from './storage/footage-store.js';

export class IngestRefusedError extends LocalizedError {
  override name = 'IngestRefusedError';
  constructor(
    readonly statusCode: number,
    text: Message,
  ) {
    super(text);
  }
}

/** Codes as the station searches them, one a line (the trigram index's text). */
export function searchText(codes: readonly string[]): string {
  return codes.map((c) => normalizeCode(c)).join('\n');
}

export async function receiveClip(pool: HubPool, who: VerifiedStation, up: HubClipUpload, address: string): Promise<HubClipUploadResponse> {
  const refuse = async (reason: string, text: Message): Promise<never> => {
    await recordEvent(pool, { kind: 'clip-refused', stationId: who.stationId, address, detail: { reason, stationClipId: up.clip.id } });
    throw new IngestRefusedError(422, text);
  };
  const station = (await pool.query<{ public_key_pem: string; fingerprint: string }>('SELECT public_key_pem, fingerprint FROM stations WHERE id = $1', [who.stationId])).rows[0]!;
  const manifestB64 = up.bundle.files['manifest.json'];
  const sigB64 = up.bundle.files['manifest.sig'];
  if (!manifestB64 || !sigB64) return refuse('no-manifest', msg('ingest.noManifest', { id: up.clip.id }));
  const manifestBytes = Buffer.from(manifestB64, 'base64');
  if (!verifyBytes(createPublicKey(station.public_key_pem), manifestBytes, Buffer.from(sigB64, 'base64'))) {
    return refuse('manifest-signature', msg('ingest.manifestNotSigned', { id: up.clip.id }));
  }
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(manifestBytes.toString('utf8')));
  } catch {
    return refuse('manifest-format', msg('ingest.notAManifest', { id: up.clip.id }));
  }
  const video = manifest.files.find((f) => f.role === 'video');
  if (manifest.clip.id !== up.clip.id || manifest.station.fingerprint !== station.fingerprint) {
    return refuse('manifest-clip', msg('ingest.manifestOtherClip', { id: up.clip.id }));
  }
  // No main video: the main camera recorded none of the clip, as the signed manifest says too (no file
  // with role video, no recorded video, the main camera's none), and another camera's video comes.
  const mainless =
    up.clip.video === null &&
    !video &&
    manifest.clip.recordedVideo === null &&
    manifest.clip.cameras?.find((k) => k.main)?.recordedVideo === null &&
    (up.clip.cameras ?? []).some((k) => !k.main && k.video !== null) &&
    !manifest.files.some((f) => f.path === up.bundle.videoName);
  const declared = up.clip.video;
  if (!mainless && (!video || !declared || video.path !== up.bundle.videoName || video.sha256 !== declared.sha256 || video.bytes !== declared.bytes)) {
    return refuse(
      'video-hash',
      msg('ingest.videoMismatch', { id: up.clip.id }),
    );
  }
  const cameras = checkCameras(up, manifestBytes);
  if (cameras.refused) return refuse(cameras.refused.reason, cameras.refused.text);
  // A camera video the hub already holds stays the evidence: a record declaring other bytes for it
  // (and a bundle listing them, which an export would then put beside the stored copy) is refused.
  const storedCameras = await pool.query<{ camera: string; sha256: string }>(
    `SELECT k.camera, k.sha256 FROM clip_cameras k JOIN clips c ON c.id = k.clip_id
      WHERE c.station_id = $1 AND c.station_clip_id = $2 AND k.stored_at IS NOT NULL`,
    [who.stationId, up.clip.id],
  );
  for (const k of up.clip.cameras ?? []) {
    const stored = storedCameras.rows.find((h) => h.camera === k.id);
    if (stored && k.video && k.video.sha256 !== stored.sha256) {
      return refuse(
        'camera-video-changed',
        msg('ingest.otherVideoHeld', { id: k.id, id2: up.clip.id, sha256: stored.sha256.slice(0, 12) }),
      );
    }
  }
  const c = up.clip;
  const r = await pool.query<{ id: string; video_sha256: string; video_stored_at: Date | null }>(
    `INSERT INTO clips (station_id, station_clip_id, station_name, camera, mode, status, codes, code_details, search_text, started_at, ended_at, end_reason,
                        protected, note, video_bytes, video_sha256, video_duration_ms, video_fps, bundle, order_info, packer,
                        packing_ms, duplicate_scan, packer_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
     ON CONFLICT (station_id, station_clip_id) DO UPDATE SET
       station_name = excluded.station_name, status = excluded.status, codes = excluded.codes, code_details = excluded.code_details,
       search_text = excluded.search_text, ended_at = excluded.ended_at, end_reason = excluded.end_reason,
       protected = excluded.protected, note = excluded.note, order_info = excluded.order_info, packer = excluded.packer,
       packing_ms = excluded.packing_ms, duplicate_scan = excluded.duplicate_scan, packer_name = excluded.packer_name, updated_at = now(),
       -- the evidence of a stored video stays as it was confirmed
       video_bytes = CASE WHEN clips.video_stored_at IS NULL THEN excluded.video_bytes ELSE clips.video_bytes END,
       video_sha256 = CASE WHEN clips.video_stored_at IS NULL THEN excluded.video_sha256 ELSE clips.video_sha256 END,
       video_duration_ms = CASE WHEN clips.video_stored_at IS NULL THEN excluded.video_duration_ms ELSE clips.video_duration_ms END,
       video_fps = CASE WHEN clips.video_stored_at IS NULL THEN excluded.video_fps ELSE clips.video_fps END,
       -- a newer sealing of the same video (it may list another camera's video cut since) replaces the bundle
       bundle = CASE WHEN clips.video_stored_at IS NULL OR clips.video_sha256 = excluded.video_sha256 THEN excluded.bundle ELSE clips.bundle END
     RETURNING id, video_sha256, video_stored_at`,
    [
      who.stationId,
      c.id,
      c.stationName,
      c.camera,
      c.mode,
      c.status,
      c.codeDetails.map((d) => d.code),
      JSON.stringify(c.codeDetails),
      // The order's number and waybills are searchable as codes (the station finds them both ways too).
      searchText([...c.codeDetails.map((d) => d.code), ...(c.order ? [c.order.orderNo, ...(c.order.waybills ?? [])] : [])]),
      c.startedAt,
      c.endedAt,
      c.endReason,
      c.protected,
      c.note,
      // No main video: stored as none ('' and 0; library.ts reads it so), the clip counts as stored once another camera's is.
      c.video?.bytes ?? 0,
      c.video?.sha256 ?? '',
      c.video?.durationMs ?? 0,
      c.video?.fps ?? null,
      JSON.stringify(up.bundle),
      c.order ? JSON.stringify(c.order) : null,
      c.packer ?? null,
      // Absent from stations older than the hub's statistics: such a clip counts, without a packing time.
      c.packingMs ?? null,
      c.duplicateScan ?? null,
      // A station before packer names sends none: the badge code is the name it signed in under.
      c.packer ? (c.packerName ?? c.packer) : null,
    ],
  );
  const row = r.rows[0]!;
  const held = up.clip.cameras ? await upsertCameras(pool, Number(row.id), up.clip.cameras) : undefined;
  return { hubClipId: Number(row.id), videoSha256: row.video_stored_at ? row.video_sha256 : null, ...(held ? { cameras: held } : {}) };
}

type DeclaredCameras = NonNullable<HubClipUpload['clip']['cameras']>;

/**
 * The record's cameras: the main one first and the clip's own camera, no id twice, and each other
 * camera's declared video the one the signed manifest lists for it (role `camera-video`, `camera`:
 * bundles sealed once the bundle carries every camera; an older manifest lists none, and the record,
 * signed by the same key, is then the declaration). Read from the raw manifest, whose `camera` field
 * the parsed one may not keep.
 */
function checkCameras(up: HubClipUpload, manifestBytes: Buffer): { refused?: { reason: string; text: Message } } {
  const declared = up.clip.cameras;
  const id = up.clip.id;
  const signed = new Map<string, { bytes: unknown; sha256: unknown }>();
  try {
    const files = (JSON.parse(manifestBytes.toString('utf8')) as { files?: unknown }).files;
    for (const f of Array.isArray(files) ? (files as Array<Record<string, unknown>>) : []) {
      if (f.role === 'camera-video' && typeof f.camera === 'string') signed.set(f.camera, { bytes: f.bytes, sha256: f.sha256 });
    }
  } catch {
    /* parsed above already */
  }
  if (!declared) {
    if (signed.size) return { refused: { reason: 'camera-missing', text: msg('ingest.manifestListsUndeclaredCameras', { id }) } };
    return {};
  }
  const ids = new Set(declared.map((k) => k.id));
  if (declared[0]?.main !== true || declared[0].id !== up.clip.camera || declared.slice(1).some((k) => k.main) || ids.size !== declared.length) {
    return { refused: { reason: 'camera-list', text: msg('ingest.cameraListOrder', { id }) } };
  }
  for (const k of declared.slice(1)) {
    const s = signed.get(k.id);
    if (s && (k.video === null || s.sha256 !== k.video.sha256 || s.bytes !== k.video.bytes)) {
      return {
        refused: {
          reason: 'camera-video-hash',
          text: msg('ingest.cameraVideoMismatch', { camera: k.id, id }),
        },
      };
    }
  }
  for (const camera of signed.keys()) {
    if (!ids.has(camera)) return { refused: { reason: 'camera-missing', text: msg('ingest.manifestListsUndeclaredCamera', { id, camera: camera.slice(0, 40) }) } };
  }
  return {};
}

/** One row per camera (idempotent); a video already stored keeps the evidence it was confirmed with. Answers camera → SHA-256 held (null: send it). */
async function upsertCameras(pool: HubPool, clipId: number, cameras: DeclaredCameras): Promise<Record<string, string | null>> {
  const held: Record<string, string | null> = {};
  for (const [position, k] of cameras.entries()) {
    const v = k.main ? null : k.video;
    const r = await pool.query<{ sha256: string | null; stored_at: Date | null }>(
      `INSERT INTO clip_cameras (clip_id, camera, name, position, main, bytes, sha256, duration_ms, fps) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (clip_id, camera) DO UPDATE SET name = excluded.name, position = excluded.position, main = excluded.main,
         bytes = CASE WHEN clip_cameras.stored_at IS NULL THEN excluded.bytes ELSE clip_cameras.bytes END,
         sha256 = CASE WHEN clip_cameras.stored_at IS NULL THEN excluded.sha256 ELSE clip_cameras.sha256 END,
         duration_ms = CASE WHEN clip_cameras.stored_at IS NULL THEN excluded.duration_ms ELSE clip_cameras.duration_ms END,
         fps = CASE WHEN clip_cameras.stored_at IS NULL THEN excluded.fps ELSE clip_cameras.fps END
       RETURNING sha256, stored_at`,
      [clipId, k.id, k.name, position, k.main, v?.bytes ?? null, v?.sha256 ?? null, v?.durationMs ?? null, v?.fps ?? null],
    );
    if (v) held[k.id] = r.rows[0]!.stored_at ? r.rows[0]!.sha256 : null;
  }
  return held;
}

/** What the station declared for one other camera's video of a clip; null: no such camera, or no video declared for it. */
export async function expectedCameraVideo(pool: HubPool, stationId: number, stationClipId: number, camera: string): Promise<{ sha256: string; bytes: number; storedAt: Date | null } | null> {
  const r = await pool.query<{ sha256: string | null; bytes: string | null; stored_at: Date | null }>(
    `SELECT k.sha256, k.bytes, k.stored_at FROM clip_cameras k JOIN clips c ON c.id = k.clip_id
      WHERE c.station_id = $1 AND c.station_clip_id = $2 AND k.camera = $3 AND NOT k.main`,
    [stationId, stationClipId, camera],
  );
  const row = r.rows[0];
  return row?.sha256 && row.bytes ? { sha256: row.sha256, bytes: Number(row.bytes), storedAt: row.stored_at } : null;
}

export async function receiveCameraVideo(
  pool: HubPool,
  store: FootageStore,
  who: VerifiedStation,
  stationClipId: number,
  camera: string,
  expected: { sha256: string; bytes: number },
  body: Readable,
  address: string,
): Promise<HubVideoUploadResponse> {
  const stored = await storeChecked(pool, store, who, clipCameraVideoKey(who.stationId, stationClipId, camera), msg('ingest.whatClipCamera', { stationClipId, camera }), { stationClipId, camera }, expected, body, address);
  await pool.query(
    `UPDATE clip_cameras k SET stored_at = now() FROM clips c
      WHERE c.id = k.clip_id AND c.station_id = $1 AND c.station_clip_id = $2 AND k.camera = $3`,
    [who.stationId, stationClipId, camera],
  );
  // A clip with no main video has footage on the hub once one camera's video is stored.
  await pool.query(`UPDATE clips SET video_stored_at = now() WHERE station_id = $1 AND station_clip_id = $2 AND video_sha256 = '' AND video_stored_at IS NULL`, [who.stationId, stationClipId]);
  return stored;
}

export async function expectedVideo(pool: HubPool, stationId: number, stationClipId: number): Promise<{ sha256: string; bytes: number; storedAt: Date | null } | null> {
  const r = await pool.query<{ video_sha256: string; video_bytes: string; video_stored_at: Date | null }>(
    'SELECT video_sha256, video_bytes, video_stored_at FROM clips WHERE station_id = $1 AND station_clip_id = $2',
    [stationId, stationClipId],
  );
  const row = r.rows[0];
  return row ? { sha256: row.video_sha256, bytes: Number(row.video_bytes), storedAt: row.video_stored_at } : null;
}

export async function receiveVideo(pool: HubPool, store: FootageStore, who: VerifiedStation, stationClipId: number, expected: { sha256: string; bytes: number }, body: Readable, address: string): Promise<HubVideoUploadResponse> {
  const stored = await storeChecked(pool, store, who, clipVideoKey(who.stationId, stationClipId), msg('ingest.whatClip', { stationClipId }), { stationClipId }, expected, body, address);
  await pool.query('UPDATE clips SET video_stored_at = now() WHERE station_id = $1 AND station_clip_id = $2', [who.stationId, stationClipId]);
  return stored;
}

/** Streams `body` into the store, hashed as written; bytes that are not the declared ones are deleted, logged and refused. */
async function storeChecked(
  pool: HubPool,
  store: FootageStore,
  who: VerifiedStation,
  key: string,
  what: Message,
  detail: Record<string, unknown>,
  expected: { sha256: string; bytes: number },
  body: Readable,
  address: string,
): Promise<HubVideoUploadResponse> {
  const stored = await store.put(key, capped(body, expected.bytes));
  if (stored.sha256 !== expected.sha256 || stored.bytes !== expected.bytes) {
    await store.delete(key);
    await recordEvent(pool, { kind: 'video-refused', stationId: who.stationId, address, detail: { ...detail, expected: expected.sha256, got: stored.sha256, bytes: stored.bytes } });
    throw new IngestRefusedError(
      422,
      msg('ingest.videoHashMismatch', { what, got: stored.sha256.slice(0, 12), expected: expected.sha256.slice(0, 12) }),
    );
  }
  return stored;
}

/** A body longer than the signed size is cut one byte past it (the hash check then refuses it), so a hostile sender cannot fill the disk. */
async function* capped(body: Readable, max: number): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (n + chunk.length > max) {
      yield chunk.subarray(0, max + 1 - n);
      body.destroy();
      return;
    }
    n += chunk.length;
    yield chunk;
  }
}
