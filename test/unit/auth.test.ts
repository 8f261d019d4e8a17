import { describe, expect, it } from 'vitest';
import { bearerToken, cookieToken, tokenCookie, tokenMatches } from '../../electron/station/server/auth.js';

describe('the station token', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    for (const wrong of ['abd', 'ab', 'abcd', '', null, undefined, 'ABC']) expect(tokenMatches('abc', wrong)).toBe(false);
  });

  it('reads bearer headers and the cookie', () => {
    expect(bearerToken('Bearer xyz')).toBe('xyz');
    expect(bearerToken('bearer   xyz ')).toBe('xyz');
    expect(bearerToken('Basic xyz')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(cookieToken('a=1; pw_token=t%2Bk; b=2')).toBe('t+k');
    expect(cookieToken('pw_tokenx=1')).toBeNull();
    expect(tokenCookie('t+k')).toBe('pw_token=t%2Bk; HttpOnly; SameSite=Strict; Path=/');
  });
});
