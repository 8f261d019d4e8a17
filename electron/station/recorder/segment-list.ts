/**
 * Following ffmpeg's segment list (`-segment_list_type csv`): ffmpeg appends `file,start,end` when it
 * closes a segment, so each new complete line is a segment that is safe to hash and index.
 *
 * Polled rather than fs.watch'ed: watch events are coalesced or missing on some platforms and network
 * folders, and a 250 ms poll of one small file costs nothing.
 */
import { open } from 'node:fs/promises';

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

  constructor(
    private readonly path: string,
    private readonly onEntry: (entry: SegmentListEntry) => void,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Read whatever is left (call after ffmpeg exited, so its last line is not missed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.poll();
  }

  poll(): Promise<void> {
    if (!this.reading) this.reading = this.readNew().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readNew(): Promise<void> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch {
      return; // not created until the first segment closes
    }
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      this.offset = size;
      const text = this.partial + buf.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseSegmentListLine(line);
        if (entry) this.onEntry(entry);
      }
    } finally {
      await fh.close();
    }
  }
}
