import { describe, expect, it } from 'vitest';
import { STILL_MIN_SPACING_SEC, chooseStillTimes } from '../../electron/station/export/clip-stills.js';
import { DEFAULT_EXPORT_PRESETS, stillsFor } from '../../electron/station/export/presets.js';

describe('which moments become still frames', () => {
  it('takes the matched moments best first, one per moment, and spreads the rest over the clip', () => {
    const matched = [
      { atSeconds: 12, score: 30 },
      { atSeconds: 12.5, score: 80 }, // the same moment as 12 s: only the better one
      { atSeconds: 40, score: 55 },
    ];
    const times = chooseStillTimes(matched, 60, 6);
    expect(times).toHaveLength(6);
    expect(times).toContain(12.5);
    expect(times).toContain(40);
    expect(times).not.toContain(12);
    // Ascending, apart, and reaching both ends of the clip.
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(STILL_MIN_SPACING_SEC);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(60);
  });

  it('keeps only the best moments when there are more than asked for, and spreads evenly with none', () => {
    const matched = [10, 20, 30, 40].map((atSeconds, i) => ({ atSeconds, score: 10 * (i + 1) }));
    expect(chooseStillTimes(matched, 60, 2)).toEqual([30, 40]);
    expect(chooseStillTimes([], 60, 3)).toEqual([0, 30, 60]);
  });

  it('fits a short clip: closer spacing rather than fewer stills, none for a clip without length', () => {
    const times = chooseStillTimes([{ atSeconds: 1, score: 9 }], 3, 6);
    expect(times).toHaveLength(6);
    expect(new Set(times).size).toBe(6);
    expect(chooseStillTimes([{ atSeconds: 1, score: 9 }], 0, 6)).toEqual([]);
    expect(chooseStillTimes([], 10, 0)).toEqual([]);
  });

  it('gives stills to pictures-only presets: 6 for TikTok Shop, 3 for eBay, none for a video platform', () => {
    const byId = (id: string) => DEFAULT_EXPORT_PRESETS.find((p) => p.id === id)!;
    expect(stillsFor(byId('tiktok-shop'))).toBe(6);
    expect(stillsFor(byId('ebay'))).toBe(3);
    // A stored eBay preset from before stills existed still gets the built-in's number.
    expect(stillsFor({ ...byId('ebay'), stills: undefined })).toBe(3);
    expect(stillsFor({ ...byId('shopee') })).toBe(0);
    expect(stillsFor(null)).toBe(0);
    expect(stillsFor({ ...byId('shopee'), id: 'own', imagesOnly: true })).toBe(6);
  });
});
