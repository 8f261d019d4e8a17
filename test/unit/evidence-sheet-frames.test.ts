import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FramePlanInput, planFrames, thinEvenly, wallClockLabel } from '../../electron/station/export/sheet-frames.js';
import { fitLine, groupHex, textEms, wrapWords } from '../../electron/station/export/sheet-text.js';

const T0 = Date.UTC(2025, 5, 15, 7, 0, 0);
/** A 30 fps clip of `seconds`: frames at 0, 1/30, 2/30 … */
const timeline = (seconds: number, fps = 30) => ({ framePts: Array.from({ length: Math.round(seconds * fps) }, (_, i) => i / fps), frameSec: 1 / fps });

function plan(over: Partial<FramePlanInput> & { seconds?: number }) {
  return planFrames({
    timeline: timeline(over.seconds ?? 12),
    clipStartMs: T0,
    frameTimesMs: undefined,
    intervalSeconds: 5,
    scans: [],
    maxTiles: 24,
    clampToleranceMs: 2_000,
    ...over,
  });
}
const secs = (p: ReturnType<typeof planFrames>) => p.tiles.map((t) => Math.round(t.pts * 1000) / 1000);

describe('choosing the evidence sheet frames', () => {
  it('takes a frame every interval from the start, plus the last frame', () => {
    const p = plan({});
    expect(secs(p)).toEqual([0, 5, 10, 11.967]);
    expect(p.tiles.every((t) => t.kind === 'interval')).toBe(true);
    expect(p.notes).toEqual([]);
    expect(p.intervalSeconds).toBe(5);
  });

  it('keeps a scan frame even next to an interval frame, and shows the frame on screen at the scan moment', () => {
    // 5.01 s falls between the frames at 5.000 and 5.033: a player shows the one at 5.000 then, which
    // is also the interval frame; 5.05 s shows the frame at 5.033, a tile of its own.
    const p = plan({ scans: [{ atMs: T0 + 5_050, code: 'SF1', kind: 'waybill' }, { atMs: T0 + 1_010, code: 'ORD', kind: 'order' }] });
    expect(secs(p)).toEqual([0, 1, 5, 5.033, 10, 11.967]);
    expect(p.tiles.map((t) => t.kind)).toEqual(['interval', 'scan', 'interval', 'scan', 'interval', 'interval']);
    expect(p.tiles[1]!.atMs).toBe(T0 + 1_000);
    expect(p.tiles[3]!.scans.map((s) => s.code)).toEqual(['SF1']);
  });

  it('shows a scan that lands on an interval frame once, as a scan', () => {
    const p = plan({ scans: [{ atMs: T0 + 5_000, code: 'SF1', kind: 'waybill' }] });
    expect(secs(p)).toEqual([0, 5, 10, 11.967]);
    expect(p.tiles[1]!.kind).toBe('scan');
  });

  it('puts two scans within one frame on one tile', () => {
    const p = plan({ scans: [{ atMs: T0 + 2_001, code: 'A', kind: 'order' }, { atMs: T0 + 2_020, code: 'B', kind: 'waybill' }] });
    const scanTiles = p.tiles.filter((t) => t.kind === 'scan');
    expect(scanTiles).toHaveLength(1);
    expect(scanTiles[0]!.scans.map((s) => s.code)).toEqual(['A', 'B']);
  });

  it('moves a time just outside the video onto its edge and leaves out one far outside, saying so', () => {
    const p = plan({
      scans: [
        { atMs: T0 - 500, code: 'EARLY', kind: 'order' },
        { atMs: T0 + 13_000, code: 'LATE', kind: 'order' },
        { atMs: T0 + 60_000, code: 'GONE', kind: 'order' },
        { atMs: T0 - 9_000, code: 'BEFORE', kind: 'order' },
      ],
    });
    expect(p.tiles[0]!.scans.map((s) => s.code)).toEqual(['EARLY']);
    expect(p.tiles.at(-1)!.scans.map((s) => s.code)).toEqual(['LATE']);
    expect(p.tiles.flatMap((t) => t.scans.map((s) => s.code))).not.toContain('GONE');
    expect(p.notes).toHaveLength(4);
    expect(p.notes.filter((n) => n.endsWith('left out.'))).toHaveLength(2);
    expect(p.notes.join(' ')).toContain('GONE');
  });

  it('widens the interval instead of going over the tile cap, and never drops a scan', () => {
    const scans = Array.from({ length: 6 }, (_, i) => ({ atMs: T0 + 7_100 + i * 9_000, code: `S${i}`, kind: 'order' }));
    const p = plan({ seconds: 60, intervalSeconds: 2, scans, maxTiles: 20 });
    expect(p.tiles.length).toBeLessThanOrEqual(20);
    expect(p.tiles.filter((t) => t.kind === 'scan')).toHaveLength(6);
    // 14 tiles are left for interval frames: every 4 s would be 16 (with the last frame), every 6 s is 11.
    expect(p.intervalSeconds).toBe(6);
    const interval = p.tiles.filter((t) => t.kind === 'interval').map((t) => Math.round(t.pts * 1000) / 1000);
    expect(interval).toEqual([0, 6, 12, 18, 24, 30, 36, 42, 48, 54, 59.967]);
    expect(p.notes[0]).toMatch(/every 6 s instead/);
  });

  it('keeps every scan even when scans alone exceed the cap', () => {
    const scans = Array.from({ length: 5 }, (_, i) => ({ atMs: T0 + 1_000 + i * 2_000, code: `S${i}`, kind: 'order' }));
    const p = plan({ scans, maxTiles: 3 });
    expect(p.tiles.map((t) => t.kind)).toEqual(Array(5).fill('scan'));
  });

  it('uses explicit frame times instead of the interval, thinning them evenly but keeping scans', () => {
    const times = Array.from({ length: 11 }, (_, i) => T0 + i * 1_000);
    const p = plan({ frameTimesMs: times, scans: [{ atMs: T0 + 3_500, code: 'X', kind: 'order' }], maxTiles: 6 });
    expect(p.intervalSeconds).toBeNull();
    expect(secs(p)).toEqual([0, 3, 3.5, 5, 8, 10]);
    expect(p.notes[0]).toMatch(/thinned to 5/);
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => plan({ intervalSeconds: 0 })).toThrow(/positive/);
    expect(() => plan({ intervalSeconds: Number.NaN })).toThrow(/positive/);
  });

  it('thins evenly, first and last kept', () => {
    expect(thinEvenly([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
    expect(thinEvenly([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(thinEvenly([1, 2, 3], 0)).toEqual([]);
  });
});

describe('evidence sheet text', () => {
  let tz: string | undefined;
  beforeAll(() => {
    tz = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('prints local time with milliseconds and the UTC offset', () => {
    expect(wallClockLabel(Date.UTC(2025, 5, 15, 16, 2, 3, 45))).toBe('2025-06-16 00:02:03.045 UTC+08:00');
  });

  it('groups a hex digest by eight and leaves other fingerprints alone', () => {
    const sha = '0123456789abcdef'.repeat(4);
    expect(groupHex(sha)).toBe('01234567 89abcdef '.repeat(4).trim());
    expect(groupHex(sha).replaceAll(' ', '')).toBe(sha);
    expect(groupHex('SHA256:abc+/=')).toBe('SHA256:abc+/=');
  });

  it('measures Chinese as wide, wraps at spaces and marks what it cut', () => {
    expect(textEms('一号')).toBe(2);
    expect(textEms('ab')).toBeCloseTo(1.2);
    expect(fitLine('SF1234567890123', 5)).toBe('SF12345…');
    expect(wrapWords('aaaa bbbb cccc dddd', 4, 2)).toEqual(['aaaa', 'bbbb …']);
    expect(wrapWords('aaaa bbbb', 4, 3)).toEqual(['aaaa', 'bbbb']);
  });
});
