/**
 * Choosing how to fit a clip into a platform's limits, before any encoding. Pure: source facts and
 * limits in, an ExportPlan (or a clear "impossible") out, so every rule is a table test.
 *
 * Length first: trim pre/post-roll down to the packing itself (first scan to last scan), then, only if
 * the packing alone is too long, speed it up by a round factor that is burned into the picture. The
 * middle is never dropped: a gap in the evidence is what a reviewer would suspect.
 *
 * Size second: the limit becomes a hard rate cap. x264 runs in capped CRF (`-crf Q -maxrate R
 * -bufsize R·VBV_SECONDS`): its VBV keeps the whole stream within R·T + bufsize bits, so R is derived
 * from the byte budget minus container overhead; a short clip that needs less stays smaller than the
 * limit instead of being padded to it. The picture size and frame rate are the largest that still give
 * MIN_BITS_PER_PIXEL: label text needs pixels more than it needs frames, so the frame rate drops to
 * 15 before the resolution drops a step.
 */
import type { ExportPlan } from '../../../shared/api.js';
import { msg, LocalizedError } from '../localized-error.js';

export interface FitSource {
  width: number;
  height: number;
  fps: number;
  durationSec: number;
}

/** The packing itself, in seconds into the clip: from its first scan to the scan that ended it. */
export interface CoreRange {
  fromSec: number;
  toSec: number;
}

export interface FitLimits {
  maxBytes: number | null;
  maxSeconds: number | null;
  banner: boolean;
}

export class ImpossibleLimitError extends LocalizedError {
  override name = 'ImpossibleLimitError';
}

/** Round speed-ups, so "2x" in the corner is a number a reviewer can take in at a glance. */
export const SPEED_STEPS = [1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8] as const;
export const HEIGHTS = [2160, 1440, 1080, 720, 540, 480, 360] as const;
/** Below this (the usual rule of thumb for x264 on mostly still scenes) printed text turns to blocks. */
export const MIN_BITS_PER_PIXEL = 0.05;
/** The last resort before "impossible": still lets a 1080p source's label be read at 360p. */
export const FLOOR_BITS_PER_PIXEL = 0.03;
export const LOW_FPS = 15;
export const VBV_SECONDS = 1;
/** Kept back from the byte budget for what the estimate cannot see (VBV overshoot at the very start). */
export const SAFETY = 0.97;
/** MP4 header plus per-frame index entries (sample size, chunk offset, sync table). */
const MP4_FIXED_BYTES = 8_192;
const MP4_BYTES_PER_FRAME = 24;

/** The evidence strip's height for a picture of height h: three readable lines, never under 72 px. */
export function bannerHeight(h: number): number {
  return even(Math.max(72, Math.round(h * 0.14)));
}

export function planOriginal(src: FitSource): ExportPlan {
  return { kind: 'original', fromSec: 0, toSec: src.durationSec, speed: 1, width: src.width, height: src.height, fps: src.fps, maxrate: null, maxBytes: null, banner: false, withinLimits: null };
}

/**
 * The plan for an export with limits: the clip as recorded when it already meets every one of them,
 * else planFit. A clip that fits is never re-encoded: the original is smaller than or as small as the
 * limit already, and only it is byte-identical to the recording (its SHA-256 is the one taken when it
 * was cut, which is the strongest proof a bundle can carry). The evidence strip is a change to the
 * picture, so asking for it always re-encodes.
 */
export function planExport(src: FitSource & { bytes: number }, core: CoreRange, limits: FitLimits): ExportPlan {
  const fitsBytes = limits.maxBytes === null || src.bytes <= limits.maxBytes;
  const fitsSeconds = limits.maxSeconds === null || src.durationSec <= limits.maxSeconds;
  if (!limits.banner && fitsBytes && fitsSeconds) return { ...planOriginal(src), withinLimits: { maxBytes: limits.maxBytes, maxSeconds: limits.maxSeconds } };
  return planFit(src, core, limits);
}

export function planFit(src: FitSource, core: CoreRange, limits: FitLimits): ExportPlan {
  const D = src.durationSec;
  const coreFrom = clamp(core.fromSec, 0, D);
  const coreTo = clamp(core.toSec, coreFrom, D);
  let fromSec = 0;
  let toSec = D;
  let speed = 1;
  const maxS = limits.maxSeconds;
  if (maxS !== null && D > maxS) {
    const coreLen = coreTo - coreFrom;
    if (coreLen <= maxS) {
      // Keep as much of the pre- and post-roll as fits, shared evenly; a side that has less gives the rest to the other.
      const spare = maxS - coreLen;
      const post = Math.min(D - coreTo, spare - Math.min(coreFrom, spare / 2));
      const pre = Math.min(coreFrom, spare - post);
      fromSec = coreFrom - pre;
      toSec = coreTo + post;
    } else {
      const needed = coreLen / maxS;
      const step = SPEED_STEPS.find((s) => s >= needed - 1e-9);
      if (!step) {
        const [len, top, fast, max] = [fmt(coreLen), SPEED_STEPS.at(-1)!, fmt(coreLen / SPEED_STEPS.at(-1)!), fmt(maxS)];
        throw new ImpossibleLimitError(
          msg('fitPlan.packingTooLong', { len, top, fast, max }),
        );
      }
      fromSec = coreFrom;
      toSec = coreTo;
      speed = step;
    }
  }
  const outSec = (toSec - fromSec) / speed;

  const candidates = pictureCandidates(src, limits.banner);
  if (limits.maxBytes === null) {
    const c = candidates[0]!;
    return { kind: 'fit', fromSec, toSec, speed, width: c.w, height: c.h, fps: c.fps, maxrate: null, maxBytes: null, banner: limits.banner, withinLimits: null };
  }
  const rate = (fps: number): number => {
    const overhead = MP4_FIXED_BYTES + MP4_BYTES_PER_FRAME * Math.ceil(outSec * fps);
    return Math.floor(((limits.maxBytes! * SAFETY - overhead) * 8) / (outSec + VBV_SECONDS));
  };
  const bpp = (c: Candidate): number => rate(c.fps) / (c.w * (c.h + c.banner) * c.fps);
  const pick = candidates.find((c) => bpp(c) >= MIN_BITS_PER_PIXEL) ?? candidates.filter((c) => bpp(c) >= FLOOR_BITS_PER_PIXEL).at(-1);
  if (!pick || rate(pick.fps) <= 0) {
    const smallest = candidates.at(-1)!;
    const needBytes = Math.ceil(((FLOOR_BITS_PER_PIXEL * smallest.w * (smallest.h + smallest.banner) * smallest.fps * (outSec + VBV_SECONDS)) / 8 + MP4_FIXED_BYTES) / SAFETY);
    const [mbLimit, secs, size, mbNeed] = [fmt(limits.maxBytes / 1e6), fmt(outSec), `${smallest.w}x${smallest.h}, ${smallest.fps} fps`, fmt(needBytes / 1e6)];
    throw new ImpossibleLimitError(
      msg('fitPlan.tooFewMegabytes', { mbLimit, secs, size, mbNeed, orLength: maxS === null ? msg('fitPlan.orSetLength') : '' }),
    );
  }
  return { kind: 'fit', fromSec, toSec, speed, width: pick.w, height: pick.h, fps: pick.fps, maxrate: rate(pick.fps), maxBytes: limits.maxBytes, banner: limits.banner, withinLimits: null };
}

interface Candidate {
  w: number;
  h: number;
  fps: number;
  banner: number;
}

/** Largest first: each height at the source frame rate, then at 15 fps, then the next height down. */
function pictureCandidates(src: FitSource, banner: boolean): Candidate[] {
  const heights = [src.height, ...HEIGHTS.filter((h) => h < src.height)];
  const out: Candidate[] = [];
  for (const h of heights) {
    const w = even((h * src.width) / src.height);
    const b = banner ? bannerHeight(h) : 0;
    out.push({ w, h: even(h), fps: src.fps, banner: b });
    if (src.fps > LOW_FPS) out.push({ w, h: even(h), fps: LOW_FPS, banner: b });
  }
  return out;
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function fmt(n: number): string {
  return Number(n.toFixed(2)).toString();
}
