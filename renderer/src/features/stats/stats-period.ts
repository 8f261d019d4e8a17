/**
 * The statistics page's period: whole days in the PC's own time zone, as a warehouse reads its shifts.
 * The station groups hours and days in its local time too; the page sends the period as instants
 * (local midnight of the first day to local midnight after the last), never as bare dates, which the
 * server would read as UTC days.
 */

export interface DayPeriod {
  /** First day, 'YYYY-MM-DD' (what an <input type="date"> holds). */
  from: string;
  /** Last day, included. */
  to: string;
}

export type PeriodPreset = 'today' | 'week' | 'month';

/** The station's own bound on one request's period. */
export const MAX_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function dayString(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight of a 'YYYY-MM-DD' day, or null for anything else (an emptied date field). */
export function localMidnight(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // new Date(2026, 1, 31) rolls over to March: a day that does not exist is refused, not moved.
  return dayString(d) === day ? d : null;
}

/** The last `days` days up to and including today's date in `now`. */
export function presetPeriod(preset: PeriodPreset, now: Date): DayPeriod {
  const days = preset === 'today' ? 1 : preset === 'week' ? 7 : 30;
  const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { from: dayString(first), to: dayString(now) };
}

/**
 * The query for GET /api/stats and /api/stats.csv: `from` local midnight of the first day, `to` local
 * midnight after the last (so the last day is whole). A reason instead when the days make no period.
 */
export function periodQuery(p: DayPeriod): { query: URLSearchParams } | { error: 'invalid' | 'order' | 'too-long' } {
  const from = localMidnight(p.from);
  const last = localMidnight(p.to);
  if (!from || !last) return { error: 'invalid' };
  if (last < from) return { error: 'order' };
  const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  // The station answers at most 366 days per request (a bound on what one request reads).
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000 + 3_600_000) return { error: 'too-long' };
  return { query: new URLSearchParams({ from: from.toISOString(), to: to.toISOString() }) };
}
