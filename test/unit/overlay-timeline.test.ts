import { describe, expect, it } from 'vitest';
import { OverlayTimeline } from '../../electron/station/recorder/overlay-timeline.js';

describe('the burned-in codes schedule', () => {
  it('says which codes show at a moment, and which switches a run started then must still be told', () => {
    const now = Date.now();
    const t = new OverlayTimeline();
    expect(t.codesAt(now)).toEqual([]);
    t.schedule(now - 5_000, ['A']);
    t.schedule(now + 500, ['B']);
    t.schedule(now + 2_500, []);
    expect(t.codesAt(now)).toEqual(['A']);
    expect(t.codesAt(now + 499)).toEqual(['A']);
    expect(t.codesAt(now + 500)).toEqual(['B']);
    expect(t.codesAt(now + 3_000)).toEqual([]);
    expect(t.after(now).map((s) => [s.atMs - now, s.codes])).toEqual([
      [500, ['B']],
      [2_500, []],
    ]);
    expect(t.latest).toEqual([]);
  });

  it('never goes back in time: a switch asked for before the last one takes its place at that instant', () => {
    const now = Date.now();
    const t = new OverlayTimeline();
    t.schedule(now + 2_000, []); // a post-roll ending
    expect(t.schedule(now + 100, ['C'])).toBe(now + 2_000); // the next clip, scanned during it, starts there
    expect(t.codesAt(now + 1_999)).toEqual([]);
    expect(t.codesAt(now + 2_000)).toEqual(['C']);
    expect(t.after(now)).toHaveLength(1);
  });

  it('forgets switches long past, keeping the one in force', () => {
    const now = Date.now();
    const t = new OverlayTimeline();
    for (let i = 0; i < 1_000; i++) t.schedule(now - 3_600_000 + i * 1_000, [`X${i}`]);
    t.schedule(now, ['NOW']);
    expect(t.codesAt(now - 61_000)).toEqual(['X999']);
    expect(t.codesAt(now)).toEqual(['NOW']);
    expect(t.after(0).length).toBeLessThan(5);
  });
});
