/**
 * The station's token (the operator's credential). It goes as `Authorization: Bearer <token>` (API
 * clients) or as the `pw_token` cookie (the browser UI: <img> and <video> cannot send headers).
 *
 * The cookie is set when the UI is opened with `?token=…` (the READY URL), then the token is taken out
 * of the address bar by a redirect. HttpOnly keeps it from scripts; SameSite=Strict keeps other sites
 * from riding on it.
 */
import { timingSafeEqual, createHash } from 'node:crypto';

export const TOKEN_COOKIE = 'pw_token';

/** Constant-time comparison; hashing first makes the lengths equal without leaking the real length. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** One cookie's value from a Cookie header (the first, if a name repeats). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

export function cookieToken(header: string | undefined): string | null {
  return cookieValue(header, TOKEN_COOKIE);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
