/**
 * Follows one camera's recording as it is written: the bytes of the segment file ffmpeg is writing,
 * then of the next one, and so on, as one MPEG-TS stream (the live preview decodes it).
 *
 * Read-only and behind: it opens the files for reading, never holds the recording up (ffmpeg does not
 * know it is there) and never changes a byte. Each packet reaches the file as it is encoded
 * (`flush_packets=1`), so the stream is live to within a frame or so.
 *
 * Segments are named %06d.ts in order, and ffmpeg's segment muxer closes a segment before it opens
 * the next: once file N+1 exists, N is complete, and what is left of it is read before N+1. A new
 * run (another folder) starts again at its newest segment. Starting, and whenever it is more than one
 * segment behind (a slow reader), it goes to the newest segment: each segment begins with the stream
 * tables and a keyframe, so the decoder can start there.
 */
import { readdir, open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PREVIEW_FOLLOW_POLL_MS } from '../limits.js';

const SEGMENT_NAME = /^(\d{6})\.ts$/;
const CHUNK_BYTES = 256 * 1024;

export const segmentFileName = (n: number): string => `${String(n).padStart(6, '0')}.ts`;

/** The highest segment number in `dir`, or null when it has none (yet), or the folder is gone. */
export async function newestSegment(dir: string): Promise<number | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let best: number | null = null;
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (m) best = Math.max(best ?? -1, Number(m[1]));
  }
  return best;
}

const exists = (path: string): Promise<boolean> => stat(path).then(
  () => true,
  () => false,
);

export interface TailEvents {
  /** A segment begins (the first one read, or the next): the preview tap only logs it, tests check the order. */
  segment?: (dir: string, n: number) => void;
}

export class SegmentTail {
  private stopped = false;
  private done: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    /** The folder the camera writes to now (absolute), or null between runs. */
    private readonly runDir: () => string | null,
    /** Takes each chunk; the next read waits until it resolves (a pipe's back-pressure). */
    private readonly sink: (chunk: Buffer) => Promise<void>,
    private readonly events: TailEvents = {},
    private readonly pollMs = PREVIEW_FOLLOW_POLL_MS,
  ) {}

  start(): void {
    this.done ??= this.loop().catch(() => undefined);
  }

  /** Stops reading; resolves once the file in hand is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async pause(): Promise<void> {
    const ac = new AbortController();
    this.wake = () => ac.abort();
    await sleep(this.pollMs, undefined, { signal: ac.signal }).catch(() => undefined);
    this.wake = null;
  }

  /** The segment in hand: its folder, number, open file and how far it has been read. */
  private at: { dir: string; n: number; fh: FileHandle; offset: number } | null = null;
  private readonly buf = Buffer.allocUnsafe(CHUNK_BYTES);

  /**
   * Reads what is in the file now past the offset into the sink: 'full' when the read filled the
   * buffer (there may be more), 'end' when it reached the end of what is written, 'none' when there was nothing.
   */
  private async readMore(at: NonNullable<SegmentTail['at']>): Promise<'full' | 'end' | 'none'> {
    const { bytesRead } = await at.fh.read(this.buf, 0, this.buf.length, at.offset);
    if (bytesRead === 0) return 'none';
    at.offset += bytesRead;
    // A copy: the sink may keep it (a pipe's queue) while the buffer is read into again.
    await this.sink(Buffer.from(this.buf.subarray(0, bytesRead)));
    return bytesRead === this.buf.length ? 'full' : 'end';
  }

  /** Closes the segment in hand and opens segment `n` of `dir` from its start; on failure none is in hand. */
  private async openSegment(dir: string, n: number): Promise<boolean> {
    await this.closeSegment();
    try {
      this.at = { dir, n, fh: await open(join(dir, segmentFileName(n)), 'r'), offset: 0 };
    } catch {
      return false; // gone (retention, a moved folder): the loop starts again from the newest
    }
    this.events.segment?.(dir, n);
    return true;
  }

  private async closeSegment(): Promise<void> {
    const fh = this.at?.fh;
    this.at = null;
    await fh?.close().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped) {
        const dir = this.runDir();
        const at = this.at;
        if (!at || at.dir !== dir) {
          const newest = dir ? await newestSegment(dir) : null;
          if (dir === null || newest === null || !(await this.openSegment(dir, newest))) {
            await this.closeSegment();
            await this.pause();
          }
          continue;
        }
        // A short read reached the end of what is written: no second read to find that out (each is a
        // trip through libuv's thread pool, four times a second per watched camera).
        if ((await this.readMore(at)) === 'full') continue;
        // A next segment means this one is complete: read its rest (to a short read: the file no longer grows), move on.
        if (await exists(join(at.dir, segmentFileName(at.n + 1)))) {
          while (!this.stopped && (await this.readMore(at)) === 'full');
          const behind = await exists(join(at.dir, segmentFileName(at.n + 2)));
          const next = behind ? ((await newestSegment(at.dir)) ?? at.n + 1) : at.n + 1;
          if (!(await this.openSegment(at.dir, next))) await this.pause();
          continue;
        }
        await this.pause();
      }
    } finally {
      await this.closeSegment();
    }
  }
}
