import { describe, expect, it } from 'vitest';
import { localMidnight, periodQuery, presetPeriod } from '../../renderer/src/features/stats/stats-period.js';

describe('the statistics page period', () => {
  it('sends whole local days as instants: local midnight of the first day to local midnight after the last', () => {
    const q = periodQuery({ from: '2026-11-23', to: '2026-11-29' });
    if (!('query' in q)) throw new Error(q.error);
    expect(new Date(q.query.get('from')!).getTime()).toBe(new Date(2026, 10, 23).getTime());
    expect(new Date(q.query.get('to')!).getTime()).toBe(new Date(2026, 10, 30).getTime());
    // One day: a period of that day alone.
    const one = periodQuery({ from: '2026-12-31', to: '2026-12-31' });
    if (!('query' in one)) throw new Error(one.error);
    expect(new Date(one.query.get('to')!).getTime()).toBe(new Date(2027, 0, 1).getTime());
  });

  it('refuses days that do not exist, a last day before the first, and more than the station answers', () => {
    expect(localMidnight('2026-02-31')).toBeNull();
    expect(localMidnight('')).toBeNull();
    expect(periodQuery({ from: '', to: '2026-11-23' })).toEqual({ error: 'invalid' });
    expect(periodQuery({ from: '2026-11-24', to: '2026-11-23' })).toEqual({ error: 'order' });
    expect(periodQuery({ from: '2025-01-01', to: '2026-01-02' })).toEqual({ error: 'too-long' });
    expect('query' in periodQuery({ from: '2025-01-01', to: '2026-01-01' })).toBe(true);
  });

  it('presets end today and count today as a day', () => {
    const now = new Date(2026, 2, 3, 15, 30);
    expect(presetPeriod('today', now)).toEqual({ from: '2026-03-03', to: '2026-03-03' });
    expect(presetPeriod('week', now)).toEqual({ from: '2026-02-25', to: '2026-03-03' });
    expect(presetPeriod('month', now)).toEqual({ from: '2026-02-02', to: '2026-03-03' });
  });
});
