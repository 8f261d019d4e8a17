/**
 * Following ffmpeg's segment list (`-segment_list_type csv`): ffmpeg appends `file,start,end` when it
 * closes a segment, so each new complete line is a segment that is safe to hash and index.
 *
 * Polled rather than fs.watch'ed: watch events are coalesced or missing on some platforms and network
 * folders. Clips never wait for this (they read unindexed segments directly), so the poll can be slow.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { SEGMENT_LIST_POLL_MS } from '../limits.js';

export interface SegmentListEntry {
  file: string;
  startSec: number;
  endSec: number;
}

export function parseSegmentListLine(line: string): SegmentListEntry | null {
  // The file name is CSV-quoted only if it contains a comma or quote; ours never do.
  const m = /^"?([^",]+)"?,(-?[\d.]+),(-?[\d.]+)$/.exec(line.trim());
  if (!m) return null;
  return { file: m[1]!, startSec: Number(m[2]), endSec: Number(m[3]) };
}

export class SegmentListFollower {
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  /** Kept open once the list exists: fstat on an open handle is a fraction of open+stat+close (measured). */
  private fh: FileHandle | null = null;

  constructor(
    private readonly path: string,
    private readonly onEntry: (entry: SegmentListEntry) => void,
    private readonly intervalMs = SEGMENT_LIST_POLL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Read whatever is left (call after ffmpeg exited, so its last line is not missed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.poll();
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
  }

  poll(): Promise<void> {
    if (!this.reading) this.reading = this.readNew().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readNew(): Promise<void> {
    if (!this.fh) {
      try {
        this.fh = await open(this.path, 'r');
      } catch {
        return; // not created until the first segment closes
      }
    }
    const { size } = await this.fh.stat();
    if (size <= this.offset) return;
    const buf = Buffer.alloc(size - this.offset);
    await this.fh.read(buf, 0, buf.length, this.offset);
    this.offset = size;
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const entry = parseSegmentListLine(line);
      if (entry) this.onEntry(entry);
    }
  }
}
