import { describe, expect, it } from 'vitest';
import { parseId } from '../../shared/ids.js';
import { parseRoute } from '../../renderer/src/app/routing.js';

describe('an id from outside has one spelling: plain digits', () => {
  it('reads plain digits from 1 to 2^53 - 1', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('42')).toBe(42);
    expect(parseId('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses every other spelling Number() would accept, and what is not text', () => {
    for (const bad of ['0x1', '+1', '01', '1e3', '1.0', ' 1', '1 ', '9007199254740992', '9007199254740993', '0', '-1', '', '1_000', '１', '0b1', 'Infinity', '9'.repeat(400)]) {
      expect(parseId(bad), JSON.stringify(bad)).toBeNull();
    }
    for (const notText of [1, undefined, null, ['1']]) expect(parseId(notText), String(notText)).toBeNull();
  });

  it('a link to a clip names it the same way (#/clips/42); anything else opens the station screen', () => {
    expect(parseRoute('#/clips/42')).toEqual({ view: 'clip', id: 42 });
    expect(parseRoute('#/clips/42/')).toEqual({ view: 'clip', id: 42 });
    for (const bad of ['#/clips/042', '#/clips/0x2a', '#/clips/1e3', '#/clips/9007199254740993', '#/clips/']) expect(parseRoute(bad), bad).toEqual({ view: 'station' });
  });
});
