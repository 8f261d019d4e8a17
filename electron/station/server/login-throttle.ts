/**
 * Wrong credentials, counted per client address: viewer passwords (POST /api/login) and operator
 * tokens (a Bearer header, the token cookie, the READY URL's ?token=) alike, in one throttle, so an
 * address gets LOGIN_FAILURES.max guesses in the window at whichever it tries. After that the address
 * is refused (429) until the window ends, even with the right password or token (else a guesser would
 * learn which guess was right from the different answer). A right one before that clears the count.
 *
 * A wrong credential sent again counts once: a browser still holding the token cookie of an earlier
 * station start asks for the status every second, and that is one stale token, not a thousand guesses.
 * Only a hash of each wrong credential is kept, and only as many as the limit.
 *
 * Written here rather than with a rate-limit plugin: those count every request, and the rule here
 * is about failures only.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { LOGIN_FAILURES } from '../limits.js';
import { msg, refusal, type Message } from '../localized-error.js';

interface Failures {
  count: number;
  firstAt: number;
  /** Hashes of the wrong credentials counted so far (repeats are not counted again). */
  seen: Set<string>;
}

/** Addresses kept before expired entries are swept (a LAN has far fewer clients). */
const MAX_TRACKED = 10_000;

/** One spelling per client: an IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d. */
export function clientAddress(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

export class LoginThrottle {
  private readonly byIp = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until this address may try again; 0 when it may try now. */
  retryAfterMs(ip: string): number {
    const f = this.current(clientAddress(ip));
    if (!f || f.count < LOGIN_FAILURES.max) return 0;
    return f.firstAt + LOGIN_FAILURES.windowMs - this.now();
  }

  /**
   * A wrong password or token from this address. With the credential given, the same wrong one
   * again is not counted again; without it, every call counts.
   */
  failed(ip: string, credential?: string): void {
    const key = clientAddress(ip);
    const hash = credential === undefined ? null : createHash('sha256').update(credential).digest('base64');
    const f = this.current(key);
    if (f) {
      if (hash !== null) {
        if (f.seen.has(hash)) return;
        if (f.seen.size < LOGIN_FAILURES.max) f.seen.add(hash);
      }
      f.count += 1;
    } else {
      if (this.byIp.size >= MAX_TRACKED) this.sweep();
      this.byIp.set(key, { count: 1, firstAt: this.now(), seen: new Set(hash === null ? [] : [hash]) });
    }
  }

  succeeded(ip: string): void {
    this.byIp.delete(clientAddress(ip));
  }

  private current(key: string): Failures | undefined {
    const f = this.byIp.get(key);
    if (f && this.now() - f.firstAt >= LOGIN_FAILURES.windowMs) {
      this.byIp.delete(key);
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

/** The 429 a throttled address gets, from the login route and the guard alike. */
export function tooManyFailures(reply: FastifyReply, waitMs: number): FastifyReply {
  return retryLater(reply, waitMs, (minutes) =>
    msg('login.tooManyFailures', { count: minutes }),
  );
}

/** A 429 with Retry-After and a sentence that names the whole minutes to wait (at least one). */
export function retryLater(reply: FastifyReply, waitMs: number, sentence: (minutes: number) => Message): FastifyReply {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return reply
    .code(429)
    .header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))))
    .send(refusal(sentence(minutes)));
}
