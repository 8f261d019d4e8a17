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
