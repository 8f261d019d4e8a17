import { describe, expect, it } from 'vitest';
import { localizedText } from '../../electron/station/localized-error.js';
import { DEFAULT_EXPORT_PRESETS } from '../../electron/station/export/presets.js';
import { bannerHeight, FLOOR_BITS_PER_PIXEL, ImpossibleLimitError, MIN_BITS_PER_PIXEL, planExport, planFit, planOriginal, SAFETY, VBV_SECONDS } from '../../electron/station/export/fit-plan.js';

const src1080 = { width: 1920, height: 1080, fps: 30, durationSec: 90 };
const core = { fromSec: 3, toSec: 88 };
const MB = 1e6;

/** Bits per pixel the plan leaves for its own picture (banner included). */
function bpp(p: ReturnType<typeof planFit>): number {
  const h = p.height + (p.banner ? bannerHeight(p.height) : 0);
  return p.maxrate! / (p.width * h * p.fps);
}

describe('planFit: size', () => {
  it('fits 90 s of 1080p into 20 MB at 1280x720 or more, with a rate cap whose worst case is inside the budget', () => {
    const p = planFit(src1080, core, { maxBytes: 20 * MB, maxSeconds: null, banner: false });
    expect(p.width).toBeGreaterThanOrEqual(1280);
    expect(p.speed).toBe(1);
    expect([p.fromSec, p.toSec]).toEqual([0, 90]);
    // VBV bound: every bit the encoder may write over the clip, plus the buffer.
    expect((p.maxrate! * (90 + VBV_SECONDS)) / 8).toBeLessThanOrEqual(20 * MB * SAFETY);
    expect(bpp(p)).toBeGreaterThanOrEqual(MIN_BITS_PER_PIXEL);
  });

  it('takes the largest picture that keeps the minimum bits per pixel, halving the frame rate before the resolution', () => {
    const p = planFit(src1080, core, { maxBytes: 5 * MB, maxSeconds: null, banner: false });
    expect(bpp(p)).toBeGreaterThanOrEqual(MIN_BITS_PER_PIXEL);
    expect(p.fps).toBe(15);
    // The next step up (the same height at 30 fps, or the next height at 15) would be under the minimum.
    expect(p.maxrate! / (p.width * p.height * 30)).toBeLessThan(MIN_BITS_PER_PIXEL);
    expect([960, 854]).toContain(p.width);
  });

  it('counts the evidence strip as picture', () => {
    const without = planFit(src1080, core, { maxBytes: 20 * MB, maxSeconds: null, banner: false });
    const withBanner = planFit(src1080, core, { maxBytes: 20 * MB, maxSeconds: null, banner: true });
    expect(withBanner.banner).toBe(true);
    expect(bpp(withBanner)).toBeGreaterThanOrEqual(MIN_BITS_PER_PIXEL);
    const pixelRate = (p: typeof without): number => p.width * p.height * p.fps;
    expect(pixelRate(withBanner)).toBeLessThan(pixelRate(without));
  });

  it('never scales up a small source', () => {
    const p = planFit({ width: 640, height: 360, fps: 15, durationSec: 20 }, { fromSec: 1, toSec: 19 }, { maxBytes: 30 * MB, maxSeconds: null, banner: false });
    expect([p.width, p.height, p.fps]).toEqual([640, 360, 15]);
  });

  it('refuses a size that cannot keep the label readable, saying what it would take', () => {
    const run = (): unknown => planFit({ ...src1080, durationSec: 300 }, { fromSec: 2, toSec: 298 }, { maxBytes: 1 * MB, maxSeconds: null, banner: false });
    expect(run).toThrow(ImpossibleLimitError);
    expect(run).toThrow(/too little to keep the label readable.*needs at least [\d.]+ MB, or set a maximum length/);
    // The same sentence for the zh-CN export panel.
    let thrown: unknown;
    try {
      run();
    } catch (err) {
      thrown = err;
    }
    expect(localizedText(thrown)?.['zh-CN']).toMatch(/无法让标签清晰可读；至少需要 [\d.]+ MB，或设置最大时长/);
  });

  it('uses the floor only when nothing meets the minimum', () => {
    // 300 s into 5 MB: nothing reaches 0.05, 640x360 at 15 fps still reaches the floor.
    const p = planFit({ ...src1080, durationSec: 300 }, { fromSec: 2, toSec: 298 }, { maxBytes: 5 * MB, maxSeconds: null, banner: false });
    expect(bpp(p)).toBeLessThan(MIN_BITS_PER_PIXEL);
    expect(bpp(p)).toBeGreaterThanOrEqual(FLOOR_BITS_PER_PIXEL);
    expect([p.width, p.height, p.fps]).toEqual([640, 360, 15]);
  });
});

describe('planFit: length', () => {
  it('trims pre- and post-roll evenly before anything else', () => {
    const p = planFit(src1080, { fromSec: 10, toSec: 60 }, { maxBytes: null, maxSeconds: 60, banner: false });
    expect(p.speed).toBe(1);
    expect(p.fromSec).toBeCloseTo(5);
    expect(p.toSec).toBeCloseTo(65);
  });

  it('gives one side the spare time the other side lacks', () => {
    const p = planFit(src1080, { fromSec: 1, toSec: 55 }, { maxBytes: null, maxSeconds: 60, banner: false });
    expect(p.fromSec).toBeCloseTo(0);
    expect(p.toSec).toBeCloseTo(60);
  });

  it('speeds up the packing by a round factor when it alone is too long, keeping all of it', () => {
    const p = planFit(src1080, { fromSec: 2, toSec: 88 }, { maxBytes: 30 * MB, maxSeconds: 60, banner: false });
    expect(p.speed).toBe(1.5);
    expect([p.fromSec, p.toSec]).toEqual([2, 88]);
    expect((p.toSec - p.fromSec) / p.speed).toBeLessThanOrEqual(60);
  });

  it('refuses when even 8x is too long', () => {
    expect(() => planFit({ ...src1080, durationSec: 900 }, { fromSec: 0, toSec: 900 }, { maxBytes: null, maxSeconds: 60, banner: false })).toThrow(
      /packing itself lasts 900 s; even at 8x that is 112.5 s, over the 60 s limit/,
    );
  });

  it('leaves a clip inside the limit alone', () => {
    const p = planFit({ ...src1080, durationSec: 40 }, { fromSec: 3, toSec: 37 }, { maxBytes: null, maxSeconds: 60, banner: true });
    expect([p.fromSec, p.toSec, p.speed, p.width, p.maxrate]).toEqual([0, 40, 1, 1920, null]);
  });
});

describe('planOriginal', () => {
  it('is the whole clip, untouched', () => {
    expect(planOriginal(src1080)).toMatchObject({ kind: 'original', fromSec: 0, toSec: 90, speed: 1, width: 1920, height: 1080, maxrate: null });
  });
});

describe('planExport: a clip already within the limits is exported as recorded', () => {
  // The clip of the report: 3.4 MB, 9 s of 1080p, under a 20 MB preset.
  const short = { width: 1920, height: 1080, fps: 30, durationSec: 9, bytes: 3_400_000 };
  const shortCore = { fromSec: 3, toSec: 7 };

  it.each([
    ['3.4 MB, 9 s under 20 MB', short, { maxBytes: 20 * MB, maxSeconds: null }],
    ['exactly at the byte limit', { ...short, bytes: 20 * MB }, { maxBytes: 20 * MB, maxSeconds: null }],
    ['under a length limit alone', short, { maxBytes: null, maxSeconds: 60 }],
    ['exactly at the length limit, under the size limit', short, { maxBytes: 30 * MB, maxSeconds: 9 }],
  ])('%s: original, byte for byte, with the limits it met', (_what, src, limits) => {
    const p = planExport(src, shortCore, { ...limits, banner: false });
    expect(p).toEqual({ ...planOriginal(src), withinLimits: limits });
    expect([p.kind, p.fromSec, p.toSec, p.speed, p.maxrate]).toEqual(['original', 0, src.durationSec, 1, null]);
  });

  it.each([
    ['one byte over the size limit', { ...short, bytes: 20 * MB + 1 }, { maxBytes: 20 * MB, maxSeconds: null }, { kind: 'fit', speed: 1, fromSec: 0, toSec: 9 }],
    ['longer than the length limit', short, { maxBytes: 20 * MB, maxSeconds: 6 }, { kind: 'fit', speed: 1, fromSec: 2, toSec: 8 }],
    ['90 s of 1080p over 20 MB', { ...src1080, bytes: 68 * MB }, { maxBytes: 20 * MB, maxSeconds: null }, { kind: 'fit', fromSec: 0, toSec: 90 }],
  ])('%s: fitted as before', (_what, src, limits, expected) => {
    const p = planExport(src, shortCore, { ...limits, banner: false });
    expect(p).toMatchObject({ ...expected, withinLimits: null });
    expect(p).toEqual(planFit(src, shortCore, { ...limits, banner: false }));
  });

  it('re-encodes for the evidence strip even when the clip fits: the strip changes the picture', () => {
    const p = planExport(short, shortCore, { maxBytes: 20 * MB, maxSeconds: null, banner: true });
    expect(p).toMatchObject({ kind: 'fit', banner: true, withinLimits: null });
  });
});

describe('the Chinese platforms\' cautious default', () => {
  it('fits the 107 s, 38 MB clip the issue exported as the original into 20 MB, in real time, whole', () => {
    for (const id of ['taobao', 'pinduoduo', 'jd', 'douyin']) {
      const preset = DEFAULT_EXPORT_PRESETS.find((x) => x.id === id)!;
      expect(preset, id).toMatchObject({ maxMb: 20, maxSeconds: 180, published: false });
      const p = planExport(
        { width: 1280, height: 720, fps: 15, durationSec: 107, bytes: 38 * MB },
        { fromSec: 3, toSec: 105 },
        { maxBytes: preset.maxMb! * MB, maxSeconds: preset.maxSeconds, banner: false },
      );
      expect(p.kind).toBe('fit');
      expect([p.fromSec, p.toSec, p.speed]).toEqual([0, 107, 1]);
      expect((p.maxrate! * (107 + VBV_SECONDS)) / 8).toBeLessThanOrEqual(20 * MB * SAFETY);
      expect(p.height).toBeGreaterThanOrEqual(540);
    }
  });
});
