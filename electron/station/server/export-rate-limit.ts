/**
 * Exports a viewer may start, per client address, in a sliding window (limits.ts VIEWER_EXPORTS).
 * Keyed by address rather than by session: a new session is one password away.
 */
import { VIEWER_EXPORTS } from '../limits.js';
import { clientAddress } from './login-throttle.js';

/** Addresses kept before idle ones are swept (a LAN has far fewer clients). */
const MAX_TRACKED = 10_000;

export class ExportRateLimit {
  private readonly startsByIp = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until this address may start another export; 0 when it may now. */
  retryAfterMs(ip: string): number {
    const starts = this.recent(clientAddress(ip));
    return starts.length < VIEWER_EXPORTS.max ? 0 : starts[0]! + VIEWER_EXPORTS.windowMs - this.now();
  }

  started(ip: string): void {
    const key = clientAddress(ip);
    if (!this.startsByIp.has(key) && this.startsByIp.size >= MAX_TRACKED) this.sweep();
    this.startsByIp.set(key, [...this.recent(key), this.now()]);
  }

  /** This address's starts within the window, oldest first. */
  private recent(key: string): number[] {
    const since = this.now() - VIEWER_EXPORTS.windowMs;
    return (this.startsByIp.get(key) ?? []).filter((t) => t > since);
  }

  private sweep(): void {
    for (const key of [...this.startsByIp.keys()]) if (this.recent(key).length === 0) this.startsByIp.delete(key);
    while (this.startsByIp.size >= MAX_TRACKED) this.startsByIp.delete(this.startsByIp.keys().next().value!);
  }
}
