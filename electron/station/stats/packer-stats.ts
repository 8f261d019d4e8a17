/**
 * Packer throughput for a period: parcels per packer per hour and day, the median packing
 * time, and the clips with warnings. A parcel is a packing clip (mode pack) that was not cancelled,
 * counted in the period its clip started in, under the packer signed in then. Hours and days are the
 * station's local time: a warehouse reads its shift in its own clock.
 *
 * Read in one pass over the period's clips (index clips_start) and their first scans and ending
 * scans; a month of a busy bench (200 parcels an hour) is ~100k clips, well under a second.
 */
import type { PackerCount, StatsResponse } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { toIso } from '../catalog/time.js';
import { PackersRepo } from '../packers/packers-repo.js';

/** What the statistics need of one parcel; the hub receives the same facts with each clip it is sent. */
export interface ParcelFacts {
  packer: string | null;
  startMs: number;
  /** First scan to the scan that ended the clip (its end when no scan did, or the idle stop); null: no scan or no end yet. */
  packingMs: number | null;
  /** A scan in the clip was a code already packed before. */
  duplicate: boolean;
  /** The station crashed while it recorded (closed at its last footage at the next start). */
  interrupted: boolean;
  /** Stopped at the maximum clip length rather than by a scan. */
  tooLong: boolean;
}

/**
 * The one definition of a parcel's facts, for a period's clips and for the single clip the hub
 * uploader sends (`WHERE` is appended by the caller). The idle stop's entry in the scan log comes when
 * the idle was noticed, minutes after the packing: such a clip's packing ends at its end (the last
 * activity), not at that entry.
 */
const FACTS_SQL = `SELECT c.packer, c.start_ms, c.end_ms, c.status, c.end_reason,
         (SELECT min(scanned_ms) FROM clip_codes WHERE clip_id = c.id) AS first_scan_ms,
         (SELECT max(s.at_ms) FROM scans s WHERE (s.action = 'stopped' AND s.clip_id = c.id AND s.reason != 'idle') OR (s.action = 'switched' AND s.ended_clip_id = c.id)) AS ending_scan_ms,
         EXISTS (SELECT 1 FROM scans s WHERE s.clip_id = c.id AND s.duplicate_of IS NOT NULL) AS duplicate
    FROM clips c`;

interface FactsRow {
  packer: string | null;
  start_ms: number;
  end_ms: number | null;
  status: string;
  end_reason: string | null;
  first_scan_ms: number | null;
  ending_scan_ms: number | null;
  duplicate: number;
}

function facts(r: FactsRow): ParcelFacts {
  const end = r.ending_scan_ms ?? r.end_ms;
  return {
    packer: r.packer,
    startMs: r.start_ms,
    packingMs: end !== null && r.first_scan_ms !== null ? end - r.first_scan_ms : null,
    duplicate: r.duplicate === 1,
    interrupted: r.status === 'interrupted',
    tooLong: r.end_reason === 'max-length',
  };
}

/** One clip's facts (whatever its mode or status: the hub applies the same parcel filter), or null for no such clip. */
export function clipParcelFacts(db: Db, clipId: number): ParcelFacts | null {
  const row = db.prepare(`${FACTS_SQL} WHERE c.id = ?`).get(clipId) as FactsRow | undefined;
  return row ? facts(row) : null;
}

export function packerStats(db: Db, fromMs: number, toMs: number, timeZone = localTimeZone()): StatsResponse {
  const rows = db
    .prepare(`${FACTS_SQL} WHERE c.start_ms >= ? AND c.start_ms < ? AND c.mode = 'pack' AND c.status != 'cancelled' ORDER BY c.start_ms`)
    .all(fromMs, toMs) as FactsRow[];
  // The packers list as it is now: a badge reads under its current name, as it signs in (PackersRepo.nameOf).
  const repo = new PackersRepo(db);
  return statsFromParcels(rows.map(facts), { fromMs, toMs }, timeZone, (code) => repo.nameOf(code));
}

/** The IANA time zone this process reads local time in (TZ, else the system's). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The period's numbers from its parcels (pure). Hours and days are read in `timeZone`; packers,
 * days and hours come in a fixed order (period, then packer; nobody first), so two sources of the
 * same parcels (the station, the hub) answer equal results. `nameOf` gives a badge's name (default:
 * its code); counting stays by the code, so a renamed packer is one row.
 */
export function statsFromParcels(
  parcels: readonly ParcelFacts[],
  period: { fromMs: number; toMs: number },
  timeZone: string,
  nameOf: (code: string) => string = (code) => code,
): StatsResponse {
  const perPacker = new Map<string | null, number[]>();
  const parcelCount = new Map<string | null, number>();
  const hourly = new Map<string, PackerCount>();
  const daily = new Map<string, PackerCount>();
  const all: number[] = [];
  const warnings = { duplicate: 0, interrupted: 0, tooLong: 0, clips: 0 };
  const bump = (m: Map<string, PackerCount>, packer: string | null, key: string): void => {
    const k = `${packer ?? ''}\u0000${key}`;
    const e = m.get(k);
    if (e) e.parcels++;
    else m.set(k, { packer, period: key, parcels: 1 });
  };
  const localHour = hourReader(timeZone);

  for (const p of parcels) {
    parcelCount.set(p.packer, (parcelCount.get(p.packer) ?? 0) + 1);
    const { day, hour } = localHour(p.startMs);
    bump(hourly, p.packer, `${day} ${hour}:00`);
    bump(daily, p.packer, day);
    if (p.packingMs !== null) {
      all.push(p.packingMs);
      const list = perPacker.get(p.packer);
      if (list) list.push(p.packingMs);
      else perPacker.set(p.packer, [p.packingMs]);
    }
    if (p.duplicate) warnings.duplicate++;
    if (p.interrupted) warnings.interrupted++;
    if (p.tooLong) warnings.tooLong++;
    if (p.duplicate || p.interrupted || p.tooLong) warnings.clips++;
  }
  return {
    from: toIso(period.fromMs),
    to: toIso(period.toMs),
    packers: [...parcelCount]
      .map(([packer, n]) => ({ packer, name: packer === null ? null : nameOf(packer), parcels: n, medianPackingMs: median(perPacker.get(packer) ?? []) }))
      .sort((a, b) => byPacker(a.packer, b.packer)),
    hourly: [...hourly.values()].sort(byPeriod),
    daily: [...daily.values()].sort(byPeriod),
    medianPackingMs: median(all),
    warnings,
  };
}

/** Packers in a fixed order by their badge's UTF-16 units (not a locale's collation), nobody first. */
export function byPacker(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Period rows in time order ('YYYY-MM-DD HH:00' sorts as text), then by packer. */
export function byPeriod(a: { packer: string | null; period: string }, b: { packer: string | null; period: string }): number {
  return a.period < b.period ? -1 : a.period > b.period ? 1 : byPacker(a.packer, b.packer);
}

/**
 * An instant's local day and hour in `timeZone`. Every zone's offset and transitions fall on whole
 * quarter hours, so one answer holds for a UTC quarter hour: the parcels come in start order, and a
 * busy month is read with a formatter call per quarter hour instead of one per parcel.
 */
function hourReader(timeZone: string): (ms: number) => { day: string; hour: string } {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  let quarter = Number.NaN;
  let last = { day: '', hour: '' };
  return (ms) => {
    const q = Math.floor(ms / 900_000);
    if (q === quarter) return last;
    const parts: Record<string, string> = {};
    for (const part of fmt.formatToParts(ms)) parts[part.type] = part.value;
    quarter = q;
    last = { day: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour! };
    return last;
  };
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * The same numbers as a spreadsheet: UTF-8 with BOM (Excel on a Chinese Windows reads it as UTF-8),
 * CRLF, one row per packer and period, the badge code then its name. Badges and names are text a user
 * chose: a cell that a spreadsheet would take for a formula (= + - @ at its start) gets a leading apostrophe.
 */
export function statsCsv(s: StatsResponse): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    let t = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(t)) t = `'${t}`;
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const secs = (ms: number | null): string => (ms === null ? '' : (ms / 1000).toFixed(1));
  const names = new Map(s.packers.map((p) => [p.packer, p.name]));
  const name = (packer: string | null): string => cell(names.get(packer) ?? packer);
  const lines = ['period_kind,period,packer,name,parcels,median_packing_s'];
  for (const p of s.packers) lines.push(['total', '', cell(p.packer), cell(p.name), p.parcels, secs(p.medianPackingMs)].join(','));
  for (const h of s.daily) lines.push(['day', cell(h.period), cell(h.packer), name(h.packer), h.parcels, ''].join(','));
  for (const h of s.hourly) lines.push(['hour', cell(h.period), cell(h.packer), name(h.packer), h.parcels, ''].join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
