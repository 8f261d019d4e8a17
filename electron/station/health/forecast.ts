/**
 * How long the disk lasts: the arithmetic of the health page, pure so it is tested as a table.
 *
 * The rate is bytes per calendar day, not per recorded hour: a station records 8-10 hours and is off
 * at night, and the disk only cares how much arrives per day.
 */

export const DAY_MS = 86_400_000;
/** Below an hour of history a per-day rate is a guess: the page says "not enough data yet". */
export const MIN_RATE_WINDOW_MS = 3_600_000;

/** Retention's free-space limits (setting 'retention'; the retention module owns the rest of it). */
export interface FreeSpaceLimits {
  minFreeGb: number;
  minFreePercent: number;
}
export const DEFAULT_FREE_SPACE_LIMITS: FreeSpaceLimits = { minFreeGb: 10, minFreePercent: 10 };

/** The free space retention keeps: whichever of the two limits is larger. GB = 10^9 bytes, as disks are sold. */
export function freeSpaceFloor(totalBytes: number, limits: FreeSpaceLimits): number {
  return Math.max(limits.minFreeGb * 1e9, (limits.minFreePercent / 100) * totalBytes);
}

export interface RecordingRate {
  bytesPerDay: number | null;
  basis: 'last-24h' | 'since-first-segment';
  windowMs: number;
  bytesInWindow: number;
}

/**
 * The rate over the last 24 h, or over all the footage when the first segment is younger than that.
 * `bytesSince(fromMs)` sums the indexed segments that start at or after fromMs.
 */
export function recordingRate(nowMs: number, firstSegmentStartMs: number | null, bytesSince: (fromMs: number) => number): RecordingRate {
  if (firstSegmentStartMs === null) return { bytesPerDay: null, basis: 'since-first-segment', windowMs: 0, bytesInWindow: 0 };
  const full = firstSegmentStartMs <= nowMs - DAY_MS;
  const fromMs = full ? nowMs - DAY_MS : firstSegmentStartMs;
  const windowMs = Math.max(0, nowMs - fromMs);
  const bytesInWindow = bytesSince(fromMs);
  return {
    bytesPerDay: windowMs >= MIN_RATE_WINDOW_MS ? (bytesInWindow / windowMs) * DAY_MS : null,
    basis: full ? 'last-24h' : 'since-first-segment',
    windowMs,
    bytesInWindow,
  };
}

/**
 * Days until the free space reaches the floor at this rate: 0 when it already has (whatever the rate:
 * a new station on a full disk is at the floor now); null when there is no rate yet. A station that
 * recorded nothing in a whole day has no end in sight: Infinity.
 */
export function daysLeft(freeBytes: number, floorBytes: number, bytesPerDay: number | null): number | null {
  const usable = freeBytes - floorBytes;
  if (usable <= 0) return 0;
  if (bytesPerDay === null) return null;
  if (bytesPerDay === 0) return Number.POSITIVE_INFINITY;
  return usable / bytesPerDay;
}

export type Forecast = { state: 'days'; daysLeft: number } | { state: 'not-enough-data' | 'nothing-recorded' | 'at-floor'; daysLeft: null };

/** daysLeft() as the health report states it (JSON has no Infinity). */
export function forecast(freeBytes: number, floorBytes: number, bytesPerDay: number | null): Forecast {
  const d = daysLeft(freeBytes, floorBytes, bytesPerDay);
  if (d === null) return { state: 'not-enough-data', daysLeft: null };
  if (d === 0) return { state: 'at-floor', daysLeft: null };
  if (!Number.isFinite(d)) return { state: 'nothing-recorded', daysLeft: null };
  return { state: 'days', daysLeft: d };
}

/**
 * The days left as a station reports them to its hub (one number for the stations page): the
 * forecast's days, 0 at the floor, and null when there is no finite answer (no rate yet, or nothing
 * recorded in a day).
 */
export function reportedDaysLeft(f: Forecast): number | null {
  return f.state === 'days' ? f.daysLeft : f.state === 'at-floor' ? 0 : null;
}
