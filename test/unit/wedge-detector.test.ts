import { describe, expect, it } from 'vitest';
import { WEDGE_IDLE_END_MS, WEDGE_MAX_GAP_MS, WedgeDetector, type WedgeScan } from '../../renderer/src/features/station/wedge-detector.js';

/** Feeds keys at the given gaps (ms before each key) and collects every scan, including idle ones. */
function run(d: WedgeDetector, keys: Array<[key: string, gapMs: number]>, start = 1_000): { scans: WedgeScan[]; swallowed: string[]; end: number } {
  const scans: WedgeScan[] = [];
  const swallowed: string[] = [];
  let at = start;
  for (const [key, gap] of keys) {
    at += gap;
    const r = d.feed({ key, at });
    scans.push(...r.scans);
    if (r.swallow) swallowed.push(key);
  }
  return { scans, swallowed, end: at };
}

const chars = (text: string, gapMs: number): Array<[string, number]> => [...text].map((c) => [c, gapMs]);

describe('keyboard-wedge detector', () => {
  it('takes a fast burst ended by Enter as a scan, and swallows the Enter', () => {
    const d = new WedgeDetector();
    const { scans, swallowed } = run(d, [...chars('SF1234567890123', 8), ['Enter', 6]]);
    expect(scans).toEqual([{ code: 'SF1234567890123', terminator: 'Enter' }]);
    expect(swallowed).toContain('Enter');
    expect(d.idleDeadline()).toBeNull();
  });

  it('takes a fast burst ended by Tab as a scan', () => {
    const d = new WedgeDetector();
    const { scans, swallowed } = run(d, [...chars('JD0012345678901', 12), ['Tab', 10]]);
    expect(scans).toEqual([{ code: 'JD0012345678901', terminator: 'Tab' }]);
    expect(swallowed).toContain('Tab');
  });

  it('takes a fast burst followed by 80 ms of silence as a scan (scanner without terminator)', () => {
    const d = new WedgeDetector();
    const { scans, end } = run(d, chars('773012345678', 10));
    expect(scans).toEqual([]);
    expect(d.idleDeadline()).toBe(end + WEDGE_IDLE_END_MS);
    expect(d.flushIdle(end + WEDGE_IDLE_END_MS - 1)).toBeNull();
    expect(d.flushIdle(end + WEDGE_IDLE_END_MS)).toEqual({ code: '773012345678', terminator: 'idle' });
    expect(d.idleDeadline()).toBeNull();
    expect(d.flushIdle(end + 1_000)).toBeNull();
  });

  it('reports an idle scan late when the next key comes before the timer ran', () => {
    const d = new WedgeDetector();
    const { scans } = run(d, [...chars('PW-STOP', 9), ['x', 300]]);
    expect(scans).toEqual([{ code: 'PW-STOP', terminator: 'idle' }]);
  });

  it('ignores people: keys 150 ms apart are never a scan, Enter or not', () => {
    const d = new WedgeDetector();
    const { scans, swallowed, end } = run(d, [...chars('SF9999999999999', 150), ['Enter', 150]]);
    expect(scans).toEqual([]);
    expect(swallowed).toEqual([]);
    expect(d.idleDeadline()).toBeNull();
    expect(d.flushIdle(end + 10_000)).toBeNull();
  });

  it('needs every gap under the limit: 35 ms is already too slow', () => {
    const d = new WedgeDetector();
    expect(run(d, [...chars('ABCDEF', WEDGE_MAX_GAP_MS), ['Enter', 5]]).scans).toEqual([]);
    expect(run(d, [...chars('ABCDEF', WEDGE_MAX_GAP_MS - 1), ['Enter', 5]]).scans).toEqual([{ code: 'ABCDEF', terminator: 'Enter' }]);
  });

  it('survives one held-back key in a burst without losing the characters before it', () => {
    const d = new WedgeDetector();
    // The page was busy for a moment between the first two keys (seen in Chromium: 77 ms).
    const { scans } = run(d, [['S', 0], ['F', 77], ...chars('1234567890123', 9), ['Enter', 9]]);
    expect(scans).toEqual([{ code: 'SF1234567890123', terminator: 'Enter' }]);
    // But a short code gets no such allowance: three characters need two fast gaps.
    expect(run(d, [['P', 0], ['W', 60], ['1', 5], ['Enter', 5]]).scans).toEqual([]);
  });

  it('does not take a fast typist (60 ms apart) for a scanner', () => {
    const d = new WedgeDetector();
    expect(run(d, [...chars('SF1234567890123', 60), ['Enter', 60]]).scans).toEqual([]);
    expect(d.idleDeadline()).toBeNull();
    // Nor a typist whose rolled key pairs are fast, as long as most gaps are not.
    const rolled: Array<[string, number]> = [...'ORDER12345'].map((c, i) => [c, i % 2 ? 20 : 70]);
    expect(run(d, [...rolled, ['Enter', 70]], 10_000).scans).toEqual([]);
  });

  it('keeps only the fast tail when a person typed before the scanner fired', () => {
    const d = new WedgeDetector();
    const { scans } = run(d, [...chars('hello', 140), ['S', 400], ...chars('F1234567890123', 7), ['Enter', 8]]);
    expect(scans).toEqual([{ code: 'SF1234567890123', terminator: 'Enter' }]);
  });

  it('does not take two fast characters then Enter (too short), nor a slow Enter after a short burst', () => {
    const d = new WedgeDetector();
    expect(run(d, [...chars('ab', 10), ['Enter', 10]]).scans).toEqual([]);
    // Three fast characters, then a person presses Enter much later: not a scan.
    expect(run(d, [...chars('abc', 10), ['Enter', 200]]).scans).toEqual([]);
  });

  it('lets a scanner hold Shift for capitals, but a shortcut or Backspace breaks the burst', () => {
    const d = new WedgeDetector();
    const shifted: Array<[string, number]> = [...'SF12'].flatMap((c): Array<[string, number]> => (/[A-Z]/.test(c) ? [['Shift', 3], [c, 3]] : [[c, 6]]));
    expect(run(d, [...shifted, ['Enter', 5]]).scans).toEqual([{ code: 'SF12', terminator: 'Enter' }]);

    expect(run(d, [...chars('ABC', 5), ['Backspace', 5], ['D', 5], ['Enter', 5]]).scans).toEqual([]);

    const withCtrl = new WedgeDetector();
    let at = 0;
    for (const c of 'ABCD') withCtrl.feed({ key: c, at: (at += 5) });
    expect(withCtrl.feed({ key: 'v', at: (at += 5), withModifier: true }).scans).toEqual([]);
    expect(withCtrl.feed({ key: 'Enter', at: at + 5 }).scans).toEqual([]);
  });

  it('handles mixed input: typing, a scan, typing, a terminator-less scan, a Tab scan', () => {
    const d = new WedgeDetector();
    const first = run(d, [
      ...chars('note', 120),
      ['Enter', 130],
      ...chars('PW-PACK', 10),
      ['Enter', 10],
      ...chars('abc', 200),
      ['X', 300],
      ...chars('12345678', 12),
    ]);
    expect(first.scans).toEqual([{ code: 'PW-PACK', terminator: 'Enter' }]);
    // 'X' started the burst 300 ms after the last slow key, so it belongs to the scan.
    expect(d.flushIdle(first.end + 100)).toEqual({ code: 'X12345678', terminator: 'idle' });

    const second = run(d, [...chars('YT1234567890', 6), ['Tab', 7], ...chars('zz', 150)], first.end + 500);
    expect(second.scans).toEqual([{ code: 'YT1234567890', terminator: 'Tab' }]);
    expect(d.idleDeadline()).toBeNull();
  });

  it('swallows characters inside a burst but never the first one or slow typing', () => {
    const d = new WedgeDetector();
    const { swallowed } = run(d, [...chars('ABC', 200), ...chars('DE', 10)]);
    expect(swallowed).toEqual(['D', 'E']);
  });

  it('forgets a pending burst on reset()', () => {
    const d = new WedgeDetector();
    const { end } = run(d, chars('ABCDEFG', 5));
    d.reset();
    expect(d.idleDeadline()).toBeNull();
    expect(d.feed({ key: 'Enter', at: end + 5 }).scans).toEqual([]);
  });

  // Off the station screen a burst may land in a text field; the page notes the field's
  // value at the run's first key, to put it back if the run is a scan.
  it('says which key starts a run: the first character, and the first after a pause', () => {
    const d = new WedgeDetector();
    let at = 1_000;
    const started = (key: string, gap: number) => d.feed({ key, at: (at += gap) }).startedRun;
    expect(started('5', 0)).toBe(true);
    expect(started('3', 150)).toBe(true); // a person: each key is its own run
    expect(started('S', 150)).toBe(true);
    expect(started('F', 5)).toBe(false); // a burst goes on
    expect(started('1', 5)).toBe(false);
    expect(started('Shift', 5)).toBe(false);
    expect(started('Enter', 5)).toBe(false);
    expect(started('A', 5)).toBe(true); // after a terminator, a new run
    expect(started('Backspace', 5)).toBe(false);
    expect(started('B', 5)).toBe(true); // after a reset
  });
});
