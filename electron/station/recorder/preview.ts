/**
 * The live preview: ffmpeg writes small JPEGs back to back on its stdout (`-f image2pipe -c:v mjpeg`);
 * we cut them apart at the JPEG end marker and hand the newest one to every viewer.
 *
 * FF D9 cannot occur inside JPEG entropy-coded data (0xFF is stuffed as FF 00 there) and ffmpeg writes
 * no embedded thumbnails, so the end marker is a safe frame boundary.
 */
import { EventEmitter } from 'node:events';
import { PREVIEW_MAX_FRAME_BYTES } from '../limits.js';

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);

export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0);
  /** Where the end-marker search resumes: the bytes before it were searched already. */
  private searched = 0;

  constructor(private readonly onFrame: (jpeg: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const start = this.buf.indexOf(SOI);
      if (start < 0) {
        // Keep a trailing FF: it may be the first half of the next frame's start marker.
        this.buf = this.buf.at(-1) === 0xff ? this.buf.subarray(-1) : Buffer.alloc(0);
        this.searched = 0;
        return;
      }
      const end = this.buf.indexOf(EOI, Math.max(start + 2, this.searched - 1));
      if (end < 0) {
        this.searched = this.buf.length;
        this.searched -= start;
        this.buf = this.buf.subarray(start);
        if (this.buf.length > PREVIEW_MAX_FRAME_BYTES) {
          this.buf = Buffer.alloc(0);
          this.searched = 0;
        }
        return;
      }
      this.onFrame(Buffer.from(this.buf.subarray(start, end + 2)));
      this.buf = this.buf.subarray(end + 2);
      this.searched = 0;
    }
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
  }
}
