/**
 * When the running station backs up its database (backups.ts): every interval, the first one soon
 * after start when the newest backup is already older than that. One at a time; a stop aborts a
 * backup between steps (its partial file removed). A failure is a problem on the health page, once
 * per distinct failure, and the next interval tries again.
 */
import { BACKUP_FIRST_DELAY_MS, BACKUP_INTERVAL_MS } from '../limits.js';
import { log } from '../log.js';
import { RecurringProblem } from '../health/recurring-problem.js';
import { backupDatabase, listBackups, removePartialBackups, type BackupResult } from './backups.js';
import type { Db } from './sqlite.js';

export const BACKUP_INTERVAL_ENV = 'PACKWITNESS_BACKUP_INTERVAL_S';

/** The interval in force: PACKWITNESS_BACKUP_INTERVAL_S when it is a positive number, else BACKUP_INTERVAL_MS. */
export function backupIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env[BACKUP_INTERVAL_ENV]);
  return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : BACKUP_INTERVAL_MS;
}

export class BackupSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly problem = new RecurringProblem('the database backup failed');
  lastBackup: BackupResult | null = null;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly intervalMs: number = backupIntervalMs(),
  ) {}

  start(): void {
    const left = removePartialBackups(this.dataDir);
    if (left) log.info('removed partial database backups a crash left behind', { count: left });
    const newest = listBackups(this.dataDir)[0];
    const due = newest ? Math.max(0, newest.atMs + this.intervalMs - Date.now()) : 0;
    this.schedule(Math.max(due, Math.min(BACKUP_FIRST_DELAY_MS, this.intervalMs)));
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = null;
        this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    try {
      const r = await backupDatabase(this.db, this.dataDir, { signal: this.abort.signal });
      this.lastBackup = r;
      this.problem.succeeded();
      log.info('database backed up', { file: r.file, bytes: r.bytes, ms: Math.round(r.ms), removed: r.removed.length });
    } catch (err) {
      if (this.stopping) return;
      this.problem.failed(err);
    }
  }

  /** Ends the schedule; a backup under way is stopped (its partial file removed). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }
}
