/** The large-export warning: one rule for the export panel, before and after, and the CLI. */
import { describe, expect, it } from 'vitest';
import { expectedExportSize, exportedSize, LARGE_EXPORT, largeExport, minutesSeconds } from '../../shared/export-size.js';

describe('large exports', () => {
  it.each([
    [{ bytes: 38e6, seconds: 107 }, { overBytes: true, overSeconds: false }],
    [{ bytes: 9e6, seconds: 200 }, { overBytes: false, overSeconds: true }],
    [{ bytes: 21e6, seconds: 181 }, { overBytes: true, overSeconds: true }],
    [{ bytes: 20e6, seconds: 180 }, null],
    [{ bytes: 1e6, seconds: 9 }, null],
  ])('%j → %j', (size, expected) => {
    const r = largeExport(size);
    expect(r === null ? null : { overBytes: r.overBytes, overSeconds: r.overSeconds }).toEqual(expected);
  });

  it('are judged before an export by what it can come to at most: the clip, or the limits where smaller', () => {
    const video = { bytes: 38e6, durationMs: 107_000 };
    expect(expectedExportSize(video, { maxMb: null, maxSeconds: null })).toEqual({ bytes: 38e6, seconds: 107 });
    expect(largeExport(expectedExportSize(video, { maxMb: 20, maxSeconds: 180 }))).toBeNull();
    expect(largeExport(expectedExportSize(video, { maxMb: 30, maxSeconds: 60 }))).toMatchObject({ bytes: 30e6, seconds: 60, overBytes: true });
    expect(expectedExportSize({ bytes: 5e6, durationMs: 20_000 }, { maxMb: 20, maxSeconds: 180 })).toEqual({ bytes: 5e6, seconds: 20 });
  });

  it('are judged after an export by the file made and its length as shown (a speed-up shortens it)', () => {
    expect(exportedSize({ fromSec: 0, toSec: 600, speed: 4 }, 19e6)).toEqual({ bytes: 19e6, seconds: 150 });
    expect(largeExport(exportedSize({ fromSec: 0, toSec: 600, speed: 1 }, 19e6))).toMatchObject({ overSeconds: true, overBytes: false });
  });

  it('say the length as a player does', () => {
    expect([minutesSeconds(107), minutesSeconds(59.6), minutesSeconds(725)]).toEqual(['1:47', '1:00', '12:05']);
    expect(LARGE_EXPORT).toEqual({ bytes: 20_000_000, seconds: 180 });
  });
});
