/**
 * When the running station cleans up its storage: retention (retention.ts) every minute, at once when
 * the disk guard sees pressure, and after a storage settings change; the index compaction
 * (compaction.ts) after a retention run, at most once per COMPACTION_INTERVAL_MS; finished exports
 * expire (export-janitor.ts) beside retention, on the same timer and after a settings change.
 *
 * Each runs one at a time; errors are logged, never thrown into a timer. stop() ends the timer at once
 * and resolves when whatever was under way has finished.
 */
import type { Db } from '../catalog/sqlite.js';
import type { StationKeys } from '../evidence/station-keys.js';
import { COMPACTION_INTERVAL_MS, RETENTION_INTERVAL_MS } from '../limits.js';
import { log } from '../log.js';
import { compactIndex } from './compaction.js';
import { expireExports } from './export-janitor.js';
import type { Retention } from './retention.js';
import type { RetentionSettings } from '../../../shared/api.js';

/** The export queue as the janitor needs it (ExportJobs). */
export interface ExportQueue {
  busyBundles(): ReadonlySet<string>;
  forgetBundles(bundles: readonly string[]): void;
}

export interface RetentionScheduleDeps {
  db: Db;
  dataDir: string;
  keys: StationKeys;
  retention: Retention;
  settings: () => RetentionSettings;
  /** Clips an export or the clip writer is using: compaction keeps them whatever their state. */
  inUse: () => ReadonlySet<number>;
  /** The export queue, once it exists: exports expire only then. */
  exports: () => ExportQueue | null;
  /** True once the station is stopping: no compaction or export expiry starts then. */
  stopping: () => boolean;
  intervalMs?: number;
  compactionIntervalMs?: number;
}

export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private compaction: Promise<unknown> | null = null;
  private lastCompactionMs = 0;
  private exportExpiry: Promise<unknown> | null = null;
  /** Asked for while a run was under way (a settings change): run once more after it. */
  private exportExpiryAgain = false;

  constructor(private readonly d: RetentionScheduleDeps) {}

  /** The retention the disk guard and the status read; null once stopped. */
  get retention(): Retention | null {
    return this.stopped ? null : this.d.retention;
  }

  start(): void {
    this.timer = setInterval(() => this.run(), this.d.intervalMs ?? RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  /** Retention (then compaction) and export expiry, now. */
  run(): void {
    this.runRetention();
    this.runExportExpiry();
  }

  /** Serialised inside Retention; compaction follows when it is due. */
  runRetention(): void {
    if (this.stopped) return;
    void this.d.retention
      .run()
      .then(() => this.runCompaction())
      .catch((err: Error) => log.error('retention failed', { error: err.message }));
  }

  private runCompaction(): void {
    if (this.d.stopping() || this.compaction || Date.now() - this.lastCompactionMs < (this.d.compactionIntervalMs ?? COMPACTION_INTERVAL_MS)) return;
    this.lastCompactionMs = Date.now();
    this.compaction = compactIndex({
      db: this.d.db,
      keys: this.d.keys,
      keepClipsDays: this.d.settings().keepClipsDays,
      inUse: this.d.inUse,
      stopped: this.d.stopping,
    })
      .catch((err: Error) => log.error('index compaction failed', { error: err.message }))
      .finally(() => (this.compaction = null));
  }

  runExportExpiry(): void {
    const jobs = this.d.exports();
    if (this.stopped || !jobs || this.d.stopping()) return;
    if (this.exportExpiry) {
      this.exportExpiryAgain = true;
      return;
    }
    this.exportExpiry = expireExports({
      db: this.d.db,
      dataDir: this.d.dataDir,
      keepDays: () => this.d.settings().keepExportsDays,
      busy: () => jobs.busyBundles(),
      deleted: (bundles) => jobs.forgetBundles(bundles),
    })
      .catch((err: Error) => log.error('expiring exports failed', { error: err.message }))
      .finally(() => {
        this.exportExpiry = null;
        if (this.exportExpiryAgain) {
          this.exportExpiryAgain = false;
          this.runExportExpiry();
        }
      });
  }

  /** The timer ends and nothing new starts at once; resolves when the runs under way have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.d.retention.idle();
    await this.compaction;
    await this.exportExpiry;
  }
}
