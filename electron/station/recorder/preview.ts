/**
 * The live preview's pictures: the preview ffmpeg (preview-tap.ts) writes JPEGs back to back on its
 * stdout; `JpegStream` cuts them apart, `PreviewHub` keeps the newest and hands each to the viewers.
 *
 * A JPEG's end is found by walking its structure, not by looking for the end marker's bytes: marker
 * segments carry their length (a quantisation table may hold FF D9 as values), and in the
 * entropy-coded data after SOS a 0xFF is always followed by 00 (stuffing) or a restart marker, so the
 * first other marker there is the one that ends it. ffmpeg writes no embedded thumbnails.
 */
import { EventEmitter } from 'node:events';
import { PREVIEW_MAX_FRAME_BYTES } from '../limits.js';

/** Length of the whole JPEG at the start of `b`, or 0 when `b` does not hold all of it yet. -1: `b` does not start a JPEG. */
export function jpegLength(b: Buffer): number {
  if (b.length < 2) return 0;
  if (b[0] !== 0xff || b[1] !== 0xd8) return -1;
  let p = 2;
  for (;;) {
    if (p + 2 > b.length) return 0;
    if (b[p] !== 0xff) return -1;
    const m = b[p + 1]!;
    if (m === 0xff) {
      p++; // fill byte before a marker
      continue;
    }
    if (m === 0xd9) return p + 2;
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      p += 2;
      continue;
    }
    if (p + 4 > b.length) return 0;
    p += 2 + b.readUInt16BE(p + 2);
    if (m !== 0xda) continue;
    // Entropy-coded data: up to the next marker that is neither stuffing nor a restart.
    for (;;) {
      const ff = b.indexOf(0xff, p);
      if (ff < 0 || ff + 1 >= b.length) return 0;
      const next = b[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        p = ff + 2;
        continue;
      }
      p = ff;
      break;
    }
  }
}

/** Cuts a byte stream of back-to-back JPEGs into whole pictures. Bytes before a picture's start are skipped. */
export class JpegStream {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (jpeg: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const n = jpegLength(this.buf);
      if (n === 0) break;
      if (n < 0) {
        // Not at a picture's start (ffmpeg was restarted mid-picture): resynchronise on the next SOI.
        const soi = this.buf.indexOf(Buffer.from([0xff, 0xd8]), 1);
        this.buf = soi < 0 ? Buffer.alloc(0) : this.buf.subarray(soi);
        continue;
      }
      this.onFrame(Buffer.from(this.buf.subarray(0, n)));
      this.buf = this.buf.subarray(n);
    }
    if (this.buf.length > PREVIEW_MAX_FRAME_BYTES) this.buf = Buffer.alloc(0); // a broken stream: start again
  }
}

/** Keeps the latest preview frame and tells subscribers about each new one. */
export class PreviewHub extends EventEmitter<{ frame: [Buffer] }> {
  latest: Buffer | null = null;
  latestAt = 0;

  publish(jpeg: Buffer): void {
    this.latest = jpeg;
    this.latestAt = Date.now();
    this.emit('frame', jpeg);
  }

  clear(): void {
    this.latest = null;
    this.latestAt = 0;
  }
}
