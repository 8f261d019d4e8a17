/**
 * Which frames of a clip go on the evidence sheet (pure: no ffmpeg, no files).
 *
 * A tile always shows a real frame of the clip and is captioned with that frame's own time, never
 * with the time that was asked for: the frame shown "at" a moment is the last one whose presentation
 * time is at or before it (what a player displays then). Scan moments are what a reviewer looks for
 * (the label going on, the waybill scanned), so they are never thinned; interval frames are.
 */
import { LABELS, type SheetLocale } from './sheet-text.js';

export interface SheetScan {
  atMs: number;
  code: string;
  /** The classifier's kind: order, waybill or command. */
  kind: string;
}

/** The shown frames of the clip video: presentation times in seconds, ascending, from 0. */
export interface ClipTimeline {
  framePts: readonly number[];
  /** One frame's duration in seconds (the last frame stays on screen this long). */
  frameSec: number;
}

export interface FramePlanInput {
  timeline: ClipTimeline;
  clipStartMs: number;
  /** Explicit frame times (epoch ms) replacing the interval frames; scans still get their own tiles. */
  frameTimesMs: readonly number[] | undefined;
  intervalSeconds: number;
  scans: readonly SheetScan[];
  maxTiles: number;
  /** A time this far outside the video is moved onto its first/last frame; further out it is dropped. */
  clampToleranceMs: number;
  /** The language of the notes (the sheet's); English by default. */
  locale?: SheetLocale;
}

export interface PlannedTile {
  /** Index into `timeline.framePts`. */
  frameIndex: number;
  /** The frame's presentation time in the video, seconds. */
  pts: number;
  /** The frame's wall-clock time (epoch ms). */
  atMs: number;
  kind: 'interval' | 'scan';
  /** Every scan whose moment shows this frame (two scans within one frame share a tile). */
  scans: SheetScan[];
}

export interface FramePlan {
  tiles: PlannedTile[];
  /** What was moved, dropped or thinned, in plain words (the sheet's language), for the sheet and the caller's log. */
  notes: string[];
  /** The interval actually used (wider than asked when the frames would not fit); null for explicit times. */
  intervalSeconds: number | null;
}

export function planFrames(input: FramePlanInput): FramePlan {
  const { timeline, clipStartMs, clampToleranceMs } = input;
  const pts = timeline.framePts;
  if (pts.length === 0) throw new Error('the clip video has no frames');
  const notes: string[] = [];
  const W = LABELS[input.locale ?? 'en'].notes;
  const endSec = pts[pts.length - 1]! + timeline.frameSec;

  /** The frame index shown at `ms`, or null when `ms` is too far outside the video. */
  const frameAt = (ms: number, what: string): number | null => {
    const sec = (ms - clipStartMs) / 1000;
    if (sec < 0) {
      if (-sec * 1000 > clampToleranceMs) {
        notes.push(W.beforeLeftOut(what, (-sec).toFixed(1)));
        return null;
      }
      notes.push(W.beforeFirst(what, (-sec).toFixed(2)));
      return 0;
    }
    if (sec >= endSec) {
      if ((sec - endSec) * 1000 > clampToleranceMs) {
        notes.push(W.afterLeftOut(what, (sec - endSec).toFixed(1)));
        return null;
      }
      notes.push(W.afterLast(what, (sec - endSec).toFixed(2)));
      return pts.length - 1;
    }
    return lastAtOrBefore(pts, sec);
  };

  const byFrame = new Map<number, PlannedTile>();
  const tile = (frameIndex: number, kind: PlannedTile['kind']): PlannedTile => ({
    frameIndex,
    pts: pts[frameIndex]!,
    atMs: clipStartMs + Math.round(pts[frameIndex]! * 1000),
    kind,
    scans: [],
  });

  for (const scan of [...input.scans].sort((a, b) => a.atMs - b.atMs)) {
    const i = frameAt(scan.atMs, W.scanOf(scan.code));
    if (i === null) continue;
    const t = byFrame.get(i) ?? tile(i, 'scan');
    t.scans.push(scan);
    byFrame.set(i, t);
  }
  const scanTiles = byFrame.size;

  const room = Math.max(0, input.maxTiles - scanTiles);
  /** Frame indexes of `times` not already on the sheet (a scan there, or two times within one frame). */
  const newFrames = (times: readonly number[], quiet: boolean): number[] => {
    const found: number[] = [];
    for (const ms of [...times].sort((a, b) => a - b)) {
      const i = quiet ? frameAtQuiet(ms) : frameAt(ms, W.frameAt(new Date(ms).toISOString()));
      if (i !== null && !byFrame.has(i) && !found.includes(i)) found.push(i);
    }
    return found;
  };
  const frameAtQuiet = (ms: number): number | null => lastAtOrBefore(pts, Math.min(Math.max(0, (ms - clipStartMs) / 1000), endSec));

  let interval: number[];
  let intervalSeconds: number | null = null;
  if (input.frameTimesMs) {
    interval = newFrames(input.frameTimesMs, false);
    const kept = thinEvenly(interval, room);
    if (kept.length < interval.length) notes.push(W.thinned(interval.length, kept.length, input.maxTiles));
    interval = kept;
  } else {
    // Too many? Widen the interval (2 s → 4 s → 6 s …) rather than drop frames unevenly: a reviewer
    // reads "every 4 s" at a glance.
    const asked = input.intervalSeconds;
    if (!(asked > 0)) throw new Error(`the key-frame interval must be a positive number of seconds, not ${asked}`);
    let step = asked;
    interval = newFrames(intervalTimes(clipStartMs, endSec, pts, step), true);
    while (interval.length > room && step < endSec) {
      step += asked;
      interval = newFrames(intervalTimes(clipStartMs, endSec, pts, step), true);
    }
    if (step !== asked) notes.push(W.widened(asked, step, input.maxTiles));
    if (interval.length > room) interval = thinEvenly(interval, room);
    intervalSeconds = step;
  }
  for (const i of interval) byFrame.set(i, tile(i, 'interval'));

  return { tiles: [...byFrame.values()].sort((a, b) => a.frameIndex - b.frameIndex), notes, intervalSeconds };
}

/**
 * Every `step` seconds from the first frame, plus the last frame: how the parcel looked when the clip
 * ended (sealed, labelled) is as much evidence as how it began.
 */
function intervalTimes(clipStartMs: number, endSec: number, pts: readonly number[], step: number): number[] {
  const times: number[] = [];
  for (let k = 0; k * step < endSec; k++) times.push(clipStartMs + k * step * 1000);
  times.push(clipStartMs + pts[pts.length - 1]! * 1000);
  return times;
}

/** Index of the last element <= `value` (+ 1 µs for float noise); `sorted` is ascending and starts <= value. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value + 1e-6) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Keep `room` of `items`, spread evenly, always the first and the last when there is room for two. */
export function thinEvenly<T>(items: readonly T[], room: number): T[] {
  if (items.length <= room) return [...items];
  if (room <= 0) return [];
  if (room === 1) return [items[0]!];
  const out: T[] = [];
  for (let k = 0; k < room; k++) out.push(items[Math.round((k * (items.length - 1)) / (room - 1))]!);
  return out;
}

export { wallClockLabel } from './sheet-text.js';
