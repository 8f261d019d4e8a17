/**
 * The live preview: ffmpeg sends small JPEGs as UDP datagrams to the station (see ffmpeg-feeds.ts),
 * one JPEG per datagram, or in full-size pieces when a JPEG is larger than a datagram may be. We put
 * them back together and hand the newest to every viewer. A datagram the socket had no room for
 * (Node was busy or stopped) is simply missing, so an image is kept only when it starts with the JPEG
 * start marker at a datagram start, every piece but the last is full-size, and the last ends with the
 * end marker. FF D8 and FF D9 cannot occur inside JPEG entropy-coded data (0xFF is stuffed as FF 00
 * there), and ffmpeg writes no embedded thumbnails. Where images fit one datagram (Linux, Windows)
 * that makes every image shown whole; where they come in pieces (macOS), a lost middle piece of an
 * image that still has its start and end cannot be seen, and that one preview frame shows torn.
 */
import { EventEmitter } from 'node:events';
import { PREVIEW_DATAGRAM_BYTES, PREVIEW_MAX_FRAME_BYTES } from '../limits.js';

export const isJpegStart = (d: Buffer): boolean => d.length >= 2 && d[0] === 0xff && d[1] === 0xd8;
const isJpegEnd = (d: Buffer): boolean => d.length >= 2 && d[d.length - 2] === 0xff && d[d.length - 1] === 0xd9;

export class JpegDatagrams {
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(
    private readonly onFrame: (jpeg: Buffer) => void,
    private readonly datagramBytes = PREVIEW_DATAGRAM_BYTES,
  ) {}

  push(d: Buffer): void {
    if (isJpegStart(d)) this.reset(); // a new image: an unfinished one lost its end
    else if (this.pieces.length === 0) return; // the rest of an image whose start was lost
    this.pieces.push(d);
    this.bytes += d.length;
    if (isJpegEnd(d)) {
      this.onFrame(this.pieces.length === 1 ? d : Buffer.concat(this.pieces, this.bytes));
      this.reset();
    } else if (d.length !== this.datagramBytes || this.bytes > PREVIEW_MAX_FRAME_BYTES) {
      this.reset(); // a short piece that does not end the image: pieces went missing
    }
  }

  private reset(): void {
    this.pieces = [];
    this.bytes = 0;
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
