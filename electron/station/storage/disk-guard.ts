/**
 * The disk guard: what keeps recording from filling the data folder's volume. It measures free space
 * every 5 s (statfs), asks retention to run when the space nears its limit, stops every camera under
 * the hard floor and starts them again at the resume level (the gap between the two is hysteresis, so
 * a disk hovering at the floor does not flap), and holds the reserve file (disk-reserve.ts) that is
 * freed the moment something hits a full disk.
 *
 * The status route and the hub's heartbeat read the last measurement: statfs is async, so it is
 * refreshed in the background rather than on each request.
 */
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { RecurringProblem } from '../health/recurring-problem.js';
import { DISK_RESERVE_BYTES, diskFloorBytes, diskResumeBytes, retentionHeadroomBytes } from '../limits.js';
import { log } from '../log.js';
import { DiskReserve } from './disk-reserve.js';
import type { DiskSpace } from './retention.js';

/** How often free space is measured. */
export const DISK_CHECK_INTERVAL_MS = 5_000;
export const DISK_RESERVE_FILE = 'disk-reserve.bin';

/** A camera's recording as the guard sees it (CameraWatchdog). */
export interface PausableRecording {
  readonly pausedFor: 'disk-full' | null;
  pause(reason: 'disk-full'): Promise<void>;
  resume(): Promise<void>;
}

/** What the guard needs to know of retention: its limit and whether it is already under pressure. */
export interface RetentionLevel {
  readonly state: string;
  limitFor(totalBytes: number): number;
}

export interface DiskGuardDeps {
  dataDir: string;
  /**
   * Every camera recording now, the main one first; empty between the two runs of a camera change.
   * The main camera decides whether recording counts as paused.
   */
  recordings: () => readonly PausableRecording[];
  /** Retention once it exists (null before start-up made it and after stop). */
  retention: () => RetentionLevel | null;
  /** Start a retention run (serialised by the caller; never throws). */
  runRetention: () => void;
}

export class DiskGuard {
  freeBytes = 0;
  totalBytes = 0;
  private reserve: DiskReserve | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly checkProblem = new RecurringProblem('the 5-second disk check failed');

  constructor(private readonly d: DiskGuardDeps) {}

  /** The first measurement (awaited: the status needs it), then one every 5 s until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    // A failure is a problem on the health page (once per distinct failure), never swallowed.
    this.timer = setInterval(
      () =>
        void this.refresh().then(
          () => this.checkProblem.succeeded(),
          (err: unknown) => this.checkProblem.failed(err),
        ),
      DISK_CHECK_INTERVAL_MS,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The reserve file, made now when the disk has room for it above the resume level (else at the
   * next resume). Called once retention exists, before anything records.
   */
  prepareReserve(): void {
    this.reserve = new DiskReserve(join(this.d.dataDir, DISK_RESERVE_FILE), DISK_RESERVE_BYTES);
    if (this.freeBytes - DISK_RESERVE_BYTES >= diskResumeBytes(this.totalBytes)) this.reserve.create();
  }

  async measure(): Promise<DiskSpace> {
    const s = await statfs(this.d.dataDir);
    this.freeBytes = Number(s.bavail) * Number(s.bsize);
    this.totalBytes = Number(s.blocks) * Number(s.bsize);
    return { freeBytes: this.freeBytes, totalBytes: this.totalBytes };
  }

  /**
   * Before an index write, and when ffmpeg hit ENOSPC (`full`): on a disk under the floor (or full),
   * free the reserve now so this write succeeds, and pause recording (not awaited: the pause waits for
   * the indexing that called this).
   */
  async roomToWrite(full: boolean): Promise<void> {
    if (!full) {
      await this.measure().catch(() => undefined);
      if (this.freeBytes >= diskFloorBytes(this.totalBytes)) return;
    }
    this.reserve?.release();
    setImmediate(() => void this.pauseForDiskFull());
  }

  /** Never throws: it runs from timers and events, where a rejection would end the process. */
  async pauseForDiskFull(): Promise<void> {
    const all = this.d.recordings();
    if (!all[0] || all[0].pausedFor) return;
    // Every camera: the disk is shared, so one camera writing on would fill what the others freed.
    const results = await Promise.allSettled(all.map((w) => w.pause('disk-full')));
    for (const r of results) if (r.status === 'rejected') log.error('pausing recording on a full disk failed', { error: (r.reason as Error).message });
    this.d.runRetention();
  }

  private async refresh(): Promise<void> {
    await this.measure();
    await this.checkLevels();
  }

  /** After each measurement: the hard floor stops recording, the resume level (hysteresis) restarts it. */
  private async checkLevels(): Promise<void> {
    const [main, ...others] = this.d.recordings();
    const retention = this.d.retention();
    if (!main || !retention) return;
    const free = this.freeBytes;
    if (free < retention.limitFor(this.totalBytes) + retentionHeadroomBytes(this.totalBytes) || retention.state !== 'ok') this.d.runRetention();
    if (!main.pausedFor && free < diskFloorBytes(this.totalBytes)) {
      this.reserve?.release();
      log.error('free disk space is under the hard floor; recording stops', { freeBytes: free, floorBytes: diskFloorBytes(this.totalBytes) });
      await this.pauseForDiskFull();
    } else if (main.pausedFor === 'disk-full' && free >= diskResumeBytes(this.totalBytes) + (this.reserve?.present() ? 0 : DISK_RESERVE_BYTES)) {
      this.reserve?.create();
      await main.resume();
      for (const o of others) await o.resume();
    }
  }
}
