/**
 * "Is this export too big to upload?": one rule for the export panel (before the export,
 * from the clip and the limits chosen; after it, from the file made) and the CLI (after). Pure, so
 * the renderer and the station share it; electron/station/limits.ts lists the numbers too.
 */
import type { ExportPlan } from './api.js';

/**
 * Above either of these, many upload forms refuse the file: WeChat Shop takes after-sale videos up to
 * 20 MB (the strictest video limit among the platforms PRODUCT.md found, with Amazon's 10 MB for
 * attachments of any kind), and three minutes is past every length limit seen (Shopee: about one
 * minute). Taobao/Tmall, Pinduoduo, JD and Douyin publish none, and a merchant learns it only when the
 * upload fails: a 107 s clip exported "as recorded" was 38 MB.
 */
export const LARGE_EXPORT = { bytes: 20_000_000, seconds: 180 } as const;

export interface ExportSize {
  bytes: number;
  seconds: number;
}

export interface LargeExport extends ExportSize {
  overBytes: boolean;
  overSeconds: boolean;
}

/** The warning for a video of this size, or null when it is within both. */
export function largeExport(size: ExportSize): LargeExport | null {
  const overBytes = size.bytes > LARGE_EXPORT.bytes;
  const overSeconds = size.seconds > LARGE_EXPORT.seconds;
  return overBytes || overSeconds ? { ...size, overBytes, overSeconds } : null;
}

/**
 * What an export of this clip will come to at most, before it is made: the clip itself, or the
 * limits where they are smaller (a fitted export never exceeds them; one the clip already meets is
 * the clip as recorded).
 */
export function expectedExportSize(video: { bytes: number; durationMs: number }, limits: { maxMb: number | null; maxSeconds: number | null }): ExportSize {
  return {
    bytes: limits.maxMb === null ? video.bytes : Math.min(video.bytes, limits.maxMb * 1e6),
    seconds: limits.maxSeconds === null ? video.durationMs / 1000 : Math.min(video.durationMs / 1000, limits.maxSeconds),
  };
}

/** The exported video's size and its length as shown (a speed-up shortens it). */
export function exportedSize(plan: Pick<ExportPlan, 'fromSec' | 'toSec' | 'speed'>, videoBytes: number): ExportSize {
  return { bytes: videoBytes, seconds: (plan.toSec - plan.fromSec) / plan.speed };
}

/** `1:47`, `12:05`: a length as people read a video's. */
export function minutesSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
