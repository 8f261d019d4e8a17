/**
 * The background scrub: re-hashes closed segments, oldest first, at a bounded byte rate, so damage
 * on disk (bit rot, a bad sector, a truncating copy) is found before someone needs the footage.
 * It sleeps in proportion to what it read, so its share of the disk and CPU stays at SCRUB_BYTES_PER_SECOND.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SCRUB_BYTES_PER_SECOND, SCRUB_PASS_PAUSE_MS } from '../limits.js';
import { log } from '../log.js';
import type { Db } from './database.js';
import { stmt } from './statements.js';
import { checkSegmentFile, type CheckedSegment, type SegmentFaults } from './segment-faults.js';

export class SegmentScrubber {
  private cursor = 0;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private readonly wake = new AbortController();
  /** Segments checked since start (the health page may show it). */
  checked = 0;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly faults: SegmentFaults,
    private readonly bytesPerSecond = SCRUB_BYTES_PER_SECOND,
  ) {}

  start(): void {
    this.stopped = false;
    this.loop = this.run().catch((err) => log.error('the segment scrub stopped', { error: String(err) }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const seg = stmt(this.db, 'SELECT id, file, bytes, sha256 FROM segments WHERE id > ? AND id NOT IN (SELECT segment_id FROM segment_faults) ORDER BY id LIMIT 1')
        .get(this.cursor) as CheckedSegment | undefined;
      if (!seg) {
        this.cursor = 0; // a pass is done: start again after a pause
        await this.pause(SCRUB_PASS_PAUSE_MS);
        continue;
      }
      this.cursor = seg.id;
      try {
        const damage = await checkSegmentFile(this.dataDir, seg);
        if (damage && !this.stopped) this.faults.record(seg, damage, 'scrub');
      } catch (err) {
        log.warn('the scrub could not check a segment', { file: seg.file, error: String(err) });
      }
      this.checked++;
      await this.pause((seg.bytes / this.bytesPerSecond) * 1000);
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }
}
