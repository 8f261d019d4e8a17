/**
 * How much the bench moves: ffmpeg sends a tiny grey picture a second (limits.ts MOTION, one
 * datagram each; see ffmpeg-command.ts), and consecutive pictures are compared. The idle stop asks
 * `stillSince()`: since when the picture has shown little motion. What the station did not see
 * (no pictures for a while) counts as activity: the idle stop may end a clip early only when the
 * picture itself said the bench was still.
 */
import { MOTION_BLIND_AFTER_MS, MOTION_FRAME_BYTES, MOTION_MIN_MEAN_DIFF } from '../limits.js';

/** The mean absolute difference of two grey pictures of the same size, in grey levels (0-255). */
export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`pictures of different sizes: ${a.length} and ${b.length} bytes`);
  if (a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Whether the motion feed's first datagram looks like one of its pictures (the feed pins its sender on it). */
export const isMotionPicture = (d: Buffer): boolean => d.length === MOTION_FRAME_BYTES;

export class MotionMeter {
  private previous: Uint8Array | null = null;
  private lastPictureMs = -Infinity;
  /** The last picture that moved, or the first after a time the station did not see. */
  private movedAtMs = -Infinity;

  constructor(
    private readonly threshold = MOTION_MIN_MEAN_DIFF,
    private readonly blindAfterMs = MOTION_BLIND_AFTER_MS,
  ) {}

  /** One picture, as it arrived. A datagram of another size is not a picture and is ignored. */
  push(picture: Uint8Array, atMs = Date.now()): void {
    if (picture.length !== MOTION_FRAME_BYTES) return;
    const seenThrough = this.previous !== null && atMs - this.lastPictureMs <= this.blindAfterMs;
    if (!seenThrough || meanAbsoluteDifference(this.previous!, picture) >= this.threshold) this.movedAtMs = atMs;
    this.previous = picture;
    this.lastPictureMs = atMs;
  }

  /**
   * Since when the picture has been still (the arrival of the last picture that moved), or null when
   * the station cannot tell: no picture for MOTION_BLIND_AFTER_MS.
   */
  stillSince(nowMs = Date.now()): number | null {
    if (this.previous === null || nowMs - this.lastPictureMs > this.blindAfterMs) return null;
    return this.movedAtMs;
  }
}
