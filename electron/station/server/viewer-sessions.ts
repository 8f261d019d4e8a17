/**
 * Viewer sessions: a random id in an HttpOnly, SameSite=Strict cookie, remembered in memory for a
 * working day. A station restart logs every viewer out, which is acceptable for an office screen and
 * keeps no credential on disk.
 *
 * The map is keyed by the SHA-256 of the id, so the ids themselves are not kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { VIEWER_SESSION_MS, VIEWER_SESSIONS_MAX } from '../limits.js';

export const VIEWER_COOKIE = 'pw_viewer';

interface Session {
  ip: string;
  expiresAt: number;
}

const key = (id: string): string => createHash('sha256').update(id).digest('hex');

export class ViewerSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session; returns its id for the cookie. */
  create(ip: string): string {
    const id = randomBytes(32).toString('base64url');
    this.prune();
    // Map order is insertion order: the first key is the oldest session.
    while (this.sessions.size >= VIEWER_SESSIONS_MAX) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(key(id), { ip, expiresAt: this.now() + VIEWER_SESSION_MS });
    return id;
  }

  /** True while the session exists and has not expired. */
  valid(id: string | null): boolean {
    if (!id) return false;
    const k = key(id);
    const s = this.sessions.get(k);
    if (!s) return false;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(k);
      return false;
    }
    return true;
  }

  end(id: string | null): void {
    if (id) this.sessions.delete(key(id));
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}

export function viewerCookie(id: string): string {
  return `${VIEWER_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(VIEWER_SESSION_MS / 1000)}`;
}

export function clearedViewerCookie(): string {
  return `${VIEWER_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
