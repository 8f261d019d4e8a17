import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, daysLeft, forecast, freeSpaceFloor, MIN_RATE_WINDOW_MS, recordingRate, reportedDaysLeft } from '../../electron/station/health/forecast.js';
import { measureFootageBytes } from '../../electron/station/health/footage-meter.js';
import { localMidnight } from '../../electron/station/health/health-report.js';
import { log, RECENT_EVENTS_MAX, recentProblems } from '../../electron/station/log.js';

const GB = 1e9;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('the free-space floor', () => {
  it('is 10 GB or 10 % of the volume, whichever is larger', () => {
    const d = { minFreeGb: 10, minFreePercent: 10 };
    expect(freeSpaceFloor(50 * GB, d)).toBe(10 * GB); // 10 % = 5 GB < 10 GB
    expect(freeSpaceFloor(1000 * GB, d)).toBe(100 * GB); // 10 % = 100 GB
    expect(freeSpaceFloor(100 * GB, d)).toBe(10 * GB); // equal
    expect(freeSpaceFloor(1000 * GB, { minFreeGb: 200, minFreePercent: 5 })).toBe(200 * GB);
  });
});

describe('the recording rate', () => {
  it('over the last 24 h once there is more history than that', () => {
    let asked = 0;
    const r = recordingRate(NOW, NOW - 3 * DAY_MS, (from) => {
      asked = from;
      return 12 * GB;
    });
    expect(asked).toBe(NOW - DAY_MS);
    expect(r).toEqual({ bytesPerDay: 12 * GB, basis: 'last-24h', windowMs: DAY_MS, bytesInWindow: 12 * GB });
  });

  it('over what exists when the first segment is younger than a day, scaled to a day', () => {
    const r = recordingRate(NOW, NOW - 6 * 3_600_000, () => 3 * GB);
    expect(r.basis).toBe('since-first-segment');
    expect(r.windowMs).toBe(6 * 3_600_000);
    expect(r.bytesPerDay).toBeCloseTo(12 * GB, 0); // 3 GB in 6 h = 12 GB per 24 h
  });

  it('is not given under an hour of history, nor without footage', () => {
    expect(recordingRate(NOW, NOW - MIN_RATE_WINDOW_MS + 1, () => GB).bytesPerDay).toBeNull();
    expect(recordingRate(NOW, NOW - MIN_RATE_WINDOW_MS, () => GB).bytesPerDay).toBe(24 * GB);
    expect(recordingRate(NOW, null, () => GB)).toEqual({ bytesPerDay: null, basis: 'since-first-segment', windowMs: 0, bytesInWindow: 0 });
  });
});

describe('days left', () => {
  it.each([
    // free, floor, per day → days
    [110 * GB, 10 * GB, 10 * GB, 10],
    [15 * GB, 10 * GB, 2 * GB, 2.5],
    [10 * GB, 10 * GB, 2 * GB, 0],
    [5 * GB, 10 * GB, 2 * GB, 0],
  ])('%d free, floor %d, %d a day → %d days', (free, floor, perDay, days) => {
    expect(daysLeft(free, floor, perDay)).toBeCloseTo(days, 9);
  });

  it('states each case the page shows', () => {
    expect(forecast(110 * GB, 10 * GB, 10 * GB)).toEqual({ state: 'days', daysLeft: 10 });
    expect(forecast(110 * GB, 10 * GB, null)).toEqual({ state: 'not-enough-data', daysLeft: null });
    expect(forecast(9 * GB, 10 * GB, 10 * GB)).toEqual({ state: 'at-floor', daysLeft: null });
    expect(forecast(9 * GB, 10 * GB, null)).toEqual({ state: 'at-floor', daysLeft: null }); // no rate needed to know that
    expect(forecast(110 * GB, 10 * GB, 0)).toEqual({ state: 'nothing-recorded', daysLeft: null });
  });

  it('reports one number to the hub: the days, 0 at the floor, none without a finite answer', () => {
    expect(reportedDaysLeft(forecast(110 * GB, 10 * GB, 10 * GB))).toBe(10);
    expect(reportedDaysLeft(forecast(9 * GB, 10 * GB, 10 * GB))).toBe(0);
    expect(reportedDaysLeft(forecast(110 * GB, 10 * GB, null))).toBeNull();
    expect(reportedDaysLeft(forecast(110 * GB, 10 * GB, 0))).toBeNull();
  });
});

describe('local midnight', () => {
  it('is the start of today on this machine', () => {
    const m = new Date(localMidnight(NOW));
    expect([m.getHours(), m.getMinutes(), m.getSeconds(), m.getMilliseconds()]).toEqual([0, 0, 0, 0]);
    expect(NOW - m.getTime()).toBeGreaterThanOrEqual(0);
    expect(NOW - m.getTime()).toBeLessThan(DAY_MS);
  });
});

describe('the footage on disk', () => {
  it('is the segment files under runs/ and the clip videos under clips/, nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-footage-'));
    try {
      mkdirSync(join(dir, 'runs', 'demo', 'a'), { recursive: true });
      mkdirSync(join(dir, 'runs', 'demo', 'b'), { recursive: true });
      mkdirSync(join(dir, 'clips', '2026-11-23'), { recursive: true });
      mkdirSync(join(dir, 'exports'), { recursive: true });
      writeFileSync(join(dir, 'runs', 'demo', 'a', 'seg-00000.ts'), Buffer.alloc(1000));
      writeFileSync(join(dir, 'runs', 'demo', 'b', 'seg-00001.ts'), Buffer.alloc(2500));
      writeFileSync(join(dir, 'runs', 'demo', 'b', 'segments.csv'), Buffer.alloc(77));
      writeFileSync(join(dir, 'clips', '2026-11-23', '1.mp4'), Buffer.alloc(4000));
      writeFileSync(join(dir, 'clips', '2026-11-23', '1.jpg'), Buffer.alloc(300));
      writeFileSync(join(dir, 'exports', 'x.mp4'), Buffer.alloc(9999));
      writeFileSync(join(dir, 'packwitness.db'), Buffer.alloc(12345));
      expect(await measureFootageBytes(dir)).toBe(1000 + 2500 + 4000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the log keeps the last problems', () => {
  it('the newest first, at most RECENT_EVENTS_MAX, warnings and errors only', () => {
    const saved = process.env.PACKWITNESS_LOG;
    process.env.PACKWITNESS_LOG = 'error'; // printed or not, they are remembered
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      log.info('not a problem');
      for (let i = 0; i < RECENT_EVENTS_MAX + 5; i++) log.warn(`warning ${i}`, { i });
      log.error('the last one');
      const p = recentProblems();
      expect(p).toHaveLength(RECENT_EVENTS_MAX);
      // Each as one sentence for the health page: the fields stay in the log line.
      expect(p[0]).toMatchObject({ level: 'error', message: 'The last one.' });
      expect(p[1]).toMatchObject({ level: 'warn', message: `Warning ${RECENT_EVENTS_MAX + 4}.` });
      expect(p.some((e) => e.message === 'not a problem')).toBe(false);
    } finally {
      process.stderr.write = write;
      if (saved === undefined) delete process.env.PACKWITNESS_LOG;
      else process.env.PACKWITNESS_LOG = saved;
    }
  });
});
