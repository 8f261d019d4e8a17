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
import { both, LocalizedError } from '../station/localized-error.js';
import type { HubPool } from './db/hub-database.js';
import { recordEvent } from './hub-events.js';
import type { VerifiedStation } from './server/station-auth.js';
import { clipVideoKey, type FootageStore } from './storage/footage-store.js';

export class IngestRefusedError extends LocalizedError {
  override name = 'IngestRefusedError';
  constructor(
    readonly statusCode: number,
    en: string,
    zh: string,
  ) {
    super(both(en, zh));
  }
}

/** Codes as the station searches them, one a line (the trigram index's text). */
export function searchText(codes: readonly string[]): string {
  return codes.map((c) => normalizeCode(c)).join('\n');
}

export async function receiveClip(pool: HubPool, who: VerifiedStation, up: HubClipUpload, address: string): Promise<HubClipUploadResponse> {
  const refuse = async (reason: string, en: string, zh: string): Promise<never> => {
    await recordEvent(pool, { kind: 'clip-refused', stationId: who.stationId, address, detail: { reason, stationClipId: up.clip.id } });
    throw new IngestRefusedError(422, en, zh);
  };
  const station = (await pool.query<{ public_key_pem: string; fingerprint: string }>('SELECT public_key_pem, fingerprint FROM stations WHERE id = $1', [who.stationId])).rows[0]!;
  const manifestB64 = up.bundle.files['manifest.json'];
  const sigB64 = up.bundle.files['manifest.sig'];
  if (!manifestB64 || !sigB64) return refuse('no-manifest', `Clip ${up.clip.id} came without its signed manifest.`, `片段 ${up.clip.id} 缺少已签名的清单。`);
  const manifestBytes = Buffer.from(manifestB64, 'base64');
  if (!verifyBytes(createPublicKey(station.public_key_pem), manifestBytes, Buffer.from(sigB64, 'base64'))) {
    return refuse('manifest-signature', `The manifest of clip ${up.clip.id} is not signed by this station's key.`, `片段 ${up.clip.id} 的清单不是本工作站密钥签名的。`);
  }
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(manifestBytes.toString('utf8')));
  } catch {
    return refuse('manifest-format', `The manifest of clip ${up.clip.id} is not a PackWitness evidence manifest.`, `片段 ${up.clip.id} 的清单格式不对。`);
  }
  const video = manifest.files.find((f) => f.role === 'video');
  if (manifest.clip.id !== up.clip.id || manifest.station.fingerprint !== station.fingerprint) {
    return refuse('manifest-clip', `The signed manifest sent with clip ${up.clip.id} is about another clip or station.`, `随片段 ${up.clip.id} 发送的清单属于其他片段或工作站。`);
  }
  if (!video || video.path !== up.bundle.videoName || video.sha256 !== up.clip.video.sha256 || video.bytes !== up.clip.video.bytes) {
    return refuse(
      'video-hash',
      `The video of clip ${up.clip.id} does not match its signed evidence (SHA-256 and size must be those in the manifest); it was refused.`,
      `片段 ${up.clip.id} 的视频与其签名证据不符（SHA-256 和大小须与清单一致），已拒绝。`,
    );
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
       bundle = CASE WHEN clips.video_stored_at IS NULL THEN excluded.bundle ELSE clips.bundle END
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
      c.video.bytes,
      c.video.sha256,
      c.video.durationMs,
      c.video.fps,
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
  return { hubClipId: Number(row.id), videoSha256: row.video_stored_at ? row.video_sha256 : null };
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
  const key = clipVideoKey(who.stationId, stationClipId);
  const stored = await store.put(key, capped(body, expected.bytes));
  if (stored.sha256 !== expected.sha256 || stored.bytes !== expected.bytes) {
    await store.delete(key);
    await recordEvent(pool, { kind: 'video-refused', stationId: who.stationId, address, detail: { stationClipId, expected: expected.sha256, got: stored.sha256, bytes: stored.bytes } });
    throw new IngestRefusedError(
      422,
      `The video received for clip ${stationClipId} has SHA-256 ${stored.sha256.slice(0, 12)}…, not the ${expected.sha256.slice(0, 12)}… its station signed; it was not kept.`,
      `收到的片段 ${stationClipId} 视频 SHA-256 为 ${stored.sha256.slice(0, 12)}…，不是工作站签名的 ${expected.sha256.slice(0, 12)}…；未保存。`,
    );
  }
  await pool.query('UPDATE clips SET video_stored_at = now() WHERE station_id = $1 AND station_clip_id = $2', [who.stationId, stationClipId]);
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
