/**
 * Where the hub keeps the stations' footage. One small interface, so that an S3-compatible store can
 * be added beside the local folder (a disk or a NAS mount) without touching the upload or playback code.
 *
 * Keys are made by the hub (station id, clip id), never taken from a request: `stationKey()` is the one
 * place that builds them.
 */
import type { Readable } from 'node:stream';

export interface StoredObject {
  bytes: number;
  /** SHA-256 of what was stored, computed while it was written (not trusted from the sender). */
  sha256: string;
}

export interface FootageStore {
  /** Stores `body` under `key`, replacing nothing until the whole body is written and hashed. */
  put(key: string, body: AsyncIterable<Buffer>): Promise<StoredObject>;
  /** null when the key holds nothing. */
  stat(key: string): Promise<{ bytes: number } | null>;
  /** Bytes `start`..`end` (inclusive), or the whole object. */
  read(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
  /** For the stations page: bytes free where the footage goes; null when the store cannot tell. */
  freeBytes(): Promise<number | null>;
}

/** `stations/<station id>/clips/<clip id>.mp4`: ids are integers, checked here, so a key is never a path trick. */
export function clipVideoKey(stationId: number, stationClipId: number): string {
  if (!Number.isSafeInteger(stationId) || stationId <= 0 || !Number.isSafeInteger(stationClipId) || stationClipId <= 0) {
    throw new Error(`not a station and clip id: ${stationId}/${stationClipId}`);
  }
  return `stations/${stationId}/clips/${stationClipId}.mp4`;
}

/**
 * Another camera's video of a clip, beside the main one: `stations/<station id>/clips/<clip id>.<camera>.mp4`.
 * The camera id is checked here (letters, digits, dot, dash, underscore; not a dot first), so it cannot
 * leave the clip's folder or collide with the main video's key.
 */
export function clipCameraVideoKey(stationId: number, stationClipId: number, camera: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(camera)) throw new Error(`not a camera id: ${JSON.stringify(camera.slice(0, 40))}`);
  return clipVideoKey(stationId, stationClipId).replace(/\.mp4$/, `.${camera}.mp4`);
}
