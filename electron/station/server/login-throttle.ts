/**
 * Wrong viewer passwords, counted per client address. After LOGIN_FAILURES.max wrong ones within
 * the window, the address is refused until the window ends, even with the right password (else a
 * guesser would learn which guess was right from the different answer). A right password before
 * that clears the count.
 *
 * Written here rather than with a rate-limit plugin: those count every request, and the rule here
 * is about failures only.
 */
import { LOGIN_FAILURES } from '../limits.js';

interface Failures {
  count: number;
  firstAt: number;
}

/** Addresses kept before expired entries are swept (a LAN has far fewer clients). */
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly byIp = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until this address may try again; 0 when it may try now. */
  retryAfterMs(ip: string): number {
    const f = this.current(ip);
    if (!f || f.count < LOGIN_FAILURES.max) return 0;
    return f.firstAt + LOGIN_FAILURES.windowMs - this.now();
  }

  failed(ip: string): void {
    const f = this.current(ip);
    if (f) f.count += 1;
    else {
      if (this.byIp.size >= MAX_TRACKED) this.sweep();
      this.byIp.set(ip, { count: 1, firstAt: this.now() });
    }
  }

  succeeded(ip: string): void {
    this.byIp.delete(ip);
  }

  private current(ip: string): Failures | undefined {
    const f = this.byIp.get(ip);
    if (f && this.now() - f.firstAt >= LOGIN_FAILURES.windowMs) {
      this.byIp.delete(ip);
      return undefined;
    }
    return f;
  }

  private sweep(): void {
    const now = this.now();
    for (const [ip, f] of this.byIp) if (now - f.firstAt >= LOGIN_FAILURES.windowMs) this.byIp.delete(ip);
    // Still full (a flood of distinct addresses): forget the oldest rather than grow without bound.
    while (this.byIp.size >= MAX_TRACKED) this.byIp.delete(this.byIp.keys().next().value!);
  }
}
