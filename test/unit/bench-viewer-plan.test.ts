import { describe, expect, it } from 'vitest';
import { viewerPlan } from '../../bench/recording-paired.js';

describe('the paired recording benchmark’s viewer plan', () => {
  it('switches the viewer off, on, on, off, … so both states get early and late windows', () => {
    expect(viewerPlan(6)).toEqual([false, true, true, false, false, true]);
    expect(viewerPlan(8).filter(Boolean)).toHaveLength(4);
    // Mean position of the windows with and without a viewer is the same over a full ABBA cycle.
    const plan = viewerPlan(8);
    const mean = (v: boolean): number => plan.flatMap((x, i) => (x === v ? [i] : [])).reduce((t, i) => t + i, 0) / 4;
    expect(mean(true)).toBe(mean(false));
  });
});
