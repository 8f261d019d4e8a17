/**
 * A check that runs on a timer (the 5-second disk check) and fails the same way every time must be
 * seen once on the health page, not be swallowed, and not push every other problem out of the last
 * 50 (log.ts) by repeating every 5 s. So: the first failure, and each different one after it, is an
 * error; the same failure again is not logged; a success after failures is logged once as recovered.
 */
import { log } from '../log.js';

export class RecurringProblem {
  private last: string | null = null;
  private repeats = 0;

  /** `what` names the check in the log, e.g. "the disk check failed". */
  constructor(private readonly what: string) {}

  failed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (message === this.last) {
      this.repeats++;
      return;
    }
    this.last = message;
    this.repeats = 0;
    // The error goes in the message itself: the health page keeps only the message (log.ts).
    log.error(`${this.what}: ${message}`);
  }

  succeeded(): void {
    if (this.last === null) return;
    log.info(`${this.what} before; it works again`, { error: this.last, repeatedTimes: this.repeats });
    this.last = null;
    this.repeats = 0;
  }
}
