import { describe, expect, it } from 'vitest';
import { summarize, viewerPlan, type PairedWindow } from '../../bench/recording-paired.js';

describe('the paired recording benchmark', () => {
  it('switches the viewer off, on, on, off, … so both states get early and late windows', () => {
    expect(viewerPlan(6)).toEqual([false, true, true, false, false, true]);
    expect(viewerPlan(8).filter(Boolean)).toHaveLength(4);
    // Mean position of the windows with and without a viewer is the same over a full ABBA cycle.
    const plan = viewerPlan(8);
    const mean = (v: boolean): number => plan.flatMap((x, i) => (x === v ? [i] : [])).reduce((t, i) => t + i, 0) / 4;
    expect(mean(true)).toBe(mean(false));
  });

  it('takes the median of the per-window ratios to three places, leaving out overloaded windows', () => {
    const side = (cpu: number) => ({ cpuSecondsPerMinute: cpu, byProcess: {}, realtimeFactor: 1 });
    const w = (a: number, b: number, overloaded = false): PairedWindow => ({
      viewer: false, wallSeconds: 30, a: side(a), b: side(b), ratio: a / b, backgroundCores: 0, overloaded, viewerFrames: null,
    });
    const s = summarize([w(10.16, 10), w(10.22, 10), w(10.26, 10), w(10.31, 10), w(20, 10, true)]);
    // (1.022 + 1.026) / 2 = 1.024: a median rounded to two places first would say 1.02.
    expect(s.median).toBe(1.024);
    expect(s.min).toBe(1.016);
    expect(s.max).toBe(1.031);
    expect(s.pooled).toBe(1.024);
    expect(s.windows).toBe(4);
    expect(summarize([w(20, 10, true)]).median).toBeNull();
  });
});
