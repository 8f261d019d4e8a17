import { describe, expect, it } from 'vitest';
import { bearerToken, cookieToken, cookieValue, tokenCookie, tokenMatches } from '../../electron/station/server/auth.js';

describe('the station token', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    for (const wrong of ['abd', 'ab', 'abcd', '', null, undefined, 'ABC']) expect(tokenMatches('abc', wrong)).toBe(false);
  });

  it('compares in constant time whatever the lengths: equal, unequal, shorter, longer, huge', () => {
    const token = 'k3Jx9-Qw_pLm2ZsT7vYb0aNcR4eUoHgD';
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token.slice(0, -1)}E`)).toBe(false);
    // timingSafeEqual throws on buffers of different lengths; hashing first makes every comparison
    // 32 bytes against 32 bytes, so these are plain refusals, not exceptions that would leak the length.
    expect(() => tokenMatches(token, 'x')).not.toThrow();
    expect(tokenMatches(token, 'x')).toBe(false);
    expect(tokenMatches(token, token + token)).toBe(false);
    expect(tokenMatches(token, 'y'.repeat(100_000))).toBe(false);
    expect(tokenMatches(token, '令牌')).toBe(false);
  });

  it('reads bearer headers and the cookie', () => {
    expect(bearerToken('Bearer xyz')).toBe('xyz');
    expect(bearerToken('bearer   xyz ')).toBe('xyz');
    expect(bearerToken('Basic xyz')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(cookieToken('a=1; pw_token=t%2Bk; b=2')).toBe('t+k');
    expect(cookieToken('pw_tokenx=1')).toBeNull();
    expect(tokenCookie('t+k')).toBe('pw_token=t%2Bk; HttpOnly; SameSite=Strict; Path=/');
  });

  it('takes a malformed cookie as no cookie (not as a server error)', () => {
    expect(cookieToken('pw_token=%E0%A4%A')).toBeNull();
    expect(cookieValue('pw_viewer=abc=def; pw_token=x', 'pw_viewer')).toBe('abc=def');
    expect(cookieValue('', 'pw_viewer')).toBeNull();
  });
});
