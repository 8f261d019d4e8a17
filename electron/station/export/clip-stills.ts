/**
 * Still frames for platforms that take pictures only (TikTok Shop asks for up to 6 packing stills,
 * eBay disputes take images only): full-size JPEGs cut from the station's own clip MP4, so the time,
 * codes and station the recorder burned into the footage are in every picture. Chosen from the
 * moments matched to the buyer's photos (best first, one per moment), then spread evenly over the
 * clip when those are fewer than asked, so a still set always shows the packing from start to end.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Claim } from '../../../shared/api.js';
import { UnreadableSegmentError, probePackets } from '../recorder/probe.js';
import { EvidenceSheetError, extractFrames } from './evidence-sheet.js';
import { planFrames } from './sheet-frames.js';
import { msg } from '../localized-error.js';

/** Two stills closer than this show the same moment: the next candidate is taken instead. */
export const STILL_MIN_SPACING_SEC = 1.5;
/** JPEG quantiser (2 best … 31 worst): 4 keeps the burned-in text sharp at ~150-300 KB for 720p. */
const STILL_JPEG_Q = 4;

/**
 * Seconds into the clip for `count` stills (pure): the claims' matched moments by score, then evenly
 * spread times (first and last frame included), each at least STILL_MIN_SPACING_SEC from the others
 * where the clip is long enough; ascending.
 */
export function chooseStillTimes(matched: ReadonlyArray<{ atSeconds: number; score: number }>, durationSec: number, count: number): number[] {
  if (count <= 0 || !(durationSec > 0)) return [];
  const spacing = Math.min(STILL_MIN_SPACING_SEC, durationSec / (count * 2));
  const chosen: number[] = [];
  const free = (t: number): boolean => chosen.every((c) => Math.abs(c - t) >= spacing);
  for (const m of [...matched].sort((a, b) => b.score - a.score)) {
    if (chosen.length >= count) break;
    const t = Math.min(Math.max(0, m.atSeconds), durationSec);
    if (free(t)) chosen.push(t);
  }
  // Even candidates on a finer grid than needed, so ones too close to a matched moment can be skipped.
  const grid = Math.max(count * 4, 8);
  const candidates = Array.from({ length: grid + 1 }, (_, k) => (k * durationSec) / grid);
  while (chosen.length < count) {
    // Take the candidate farthest from everything chosen: fills the largest gap first.
    let best: number | null = null;
    let bestGap = -1;
    for (const t of candidates) {
      const gap = chosen.length ? Math.min(...chosen.map((c) => Math.abs(c - t))) : t === 0 ? Infinity : 0;
      if (gap >= spacing && gap > bestGap) {
        best = t;
        bestGap = gap;
      }
    }
    if (best === null) break;
    chosen.push(best);
  }
  return chosen.sort((a, b) => a - b);
}

export interface StillFrame {
  file: string;
  atMs: number;
  relSec: number;
}

/** Writes the stills as `<baseName>_still-<k>.jpg` in `outDir`, in clip order. */
export async function writeClipStills(
  opts: { ffmpegPath: string; videoPath: string; clipStartMs: number; claims: readonly Claim[]; count: number },
  outDir: string,
  baseName: string,
): Promise<StillFrame[]> {
  let timeline;
  try {
    timeline = await probePackets(opts.ffmpegPath, opts.videoPath);
  } catch (err) {
    const why = err instanceof UnreadableSegmentError ? err.message.replace(/^[^:]*: /, '') : (err as Error).message;
    throw new EvidenceSheetError(msg('sheet.videoUnreadable', { file: opts.videoPath, why }));
  }
  const framePts = timeline.pts.filter((p) => p >= -1e-6).sort((a, b) => a - b);
  if (!framePts.length) throw new EvidenceSheetError(`The clip video ${opts.videoPath} has no frames to show.`);
  const lastPts = framePts.at(-1)!;
  const matched = opts.claims.flatMap((c) => c.files.flatMap((f) => f.matches));
  const times = chooseStillTimes(matched, lastPts, opts.count);
  // The frame a player shows at each time (two times on one frame give one still).
  const plan = planFrames({
    timeline: { framePts, frameSec: timeline.frameSec },
    clipStartMs: opts.clipStartMs,
    frameTimesMs: times.map((t) => opts.clipStartMs + t * 1000),
    intervalSeconds: 1,
    scans: [],
    maxTiles: Math.max(1, times.length),
    clampToleranceMs: 0,
  });
  await mkdir(outDir, { recursive: true });
  const seekBase = framePts[0]!;
  const files = await extractFrames(
    opts.ffmpegPath,
    opts.videoPath,
    plan.tiles.map((t) => Math.max(0, t.pts - seekBase - timeline.frameSec / 4)),
    (i) => join(outDir, `${baseName}_still-${i + 1}.jpg`),
    'format=yuvj420p',
    ['-c:v', 'mjpeg', '-q:v', String(STILL_JPEG_Q)],
  );
  return plan.tiles.map((t, i) => ({ file: files[i]!, atMs: t.atMs, relSec: t.pts }));
}
