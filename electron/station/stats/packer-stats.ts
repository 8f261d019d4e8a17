/**
 * Packer throughput for a period (issue 19): parcels per packer per hour and day, the median packing
 * time, and the clips with warnings. A parcel is a packing clip (mode pack) that was not cancelled,
 * counted in the period its clip started in, under the packer signed in then. Hours and days are the
 * station's local time: a warehouse reads its shift in its own clock.
 *
 * Read in one pass over the period's clips (index clips_start) and their first scans and ending
 * scans; a month of a busy bench (200 parcels an hour) is ~100k clips, well under a second.
 */
import type { StatsResponse } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { toIso } from '../catalog/time.js';

interface ClipRow {
  id: number;
  packer: string | null;
  start_ms: number;
  end_ms: number | null;
  status: string;
  end_reason: string | null;
  first_scan_ms: number | null;
  ending_scan_ms: number | null;
  duplicate: number;
}

export function packerStats(db: Db, fromMs: number, toMs: number): StatsResponse {
  const rows = db
    .prepare(
      `SELECT c.id, c.packer, c.start_ms, c.end_ms, c.status, c.end_reason,
              (SELECT min(scanned_ms) FROM clip_codes WHERE clip_id = c.id) AS first_scan_ms,
              (SELECT max(s.at_ms) FROM scans s WHERE (s.action = 'stopped' AND s.clip_id = c.id) OR (s.action = 'switched' AND s.ended_clip_id = c.id)) AS ending_scan_ms,
              EXISTS (SELECT 1 FROM scans s WHERE s.clip_id = c.id AND s.duplicate_of IS NOT NULL) AS duplicate
         FROM clips c
        WHERE c.start_ms >= ? AND c.start_ms < ? AND c.mode = 'pack' AND c.status != 'cancelled'
        ORDER BY c.start_ms`,
    )
    .all(fromMs, toMs) as ClipRow[];

  const perPacker = new Map<string | null, number[]>();
  const parcels = new Map<string | null, number>();
  const hourly = new Map<string, { packer: string | null; period: string; parcels: number }>();
  const daily = new Map<string, { packer: string | null; period: string; parcels: number }>();
  const all: number[] = [];
  const warnings = { duplicate: 0, interrupted: 0, tooLong: 0, clips: 0 };
  const bump = (m: typeof hourly, packer: string | null, period: string): void => {
    const k = `${packer ?? ''}\u0000${period}`;
    const e = m.get(k);
    if (e) e.parcels++;
    else m.set(k, { packer, period, parcels: 1 });
  };

  for (const r of rows) {
    parcels.set(r.packer, (parcels.get(r.packer) ?? 0) + 1);
    const d = new Date(r.start_ms);
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    bump(hourly, r.packer, `${day} ${pad(d.getHours())}:00`);
    bump(daily, r.packer, day);
    const end = r.ending_scan_ms ?? r.end_ms;
    if (end !== null && r.first_scan_ms !== null) {
      const ms = end - r.first_scan_ms;
      all.push(ms);
      perPacker.set(r.packer, [...(perPacker.get(r.packer) ?? []), ms]);
    }
    const dup = r.duplicate === 1;
    const interrupted = r.status === 'interrupted';
    const tooLong = r.end_reason === 'max-length';
    if (dup) warnings.duplicate++;
    if (interrupted) warnings.interrupted++;
    if (tooLong) warnings.tooLong++;
    if (dup || interrupted || tooLong) warnings.clips++;
  }
  const byPeriod = (a: { packer: string | null; period: string }, b: { packer: string | null; period: string }): number =>
    a.period < b.period ? -1 : a.period > b.period ? 1 : (a.packer ?? '') < (b.packer ?? '') ? -1 : (a.packer ?? '') > (b.packer ?? '') ? 1 : 0;
  return {
    from: toIso(fromMs),
    to: toIso(toMs),
    packers: [...parcels].map(([packer, n]) => ({ packer, parcels: n, medianPackingMs: median(perPacker.get(packer) ?? []) })),
    hourly: [...hourly.values()].sort(byPeriod),
    daily: [...daily.values()].sort(byPeriod),
    medianPackingMs: median(all),
    warnings,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * The same numbers as a spreadsheet: UTF-8 with BOM (Excel on a Chinese Windows reads it as UTF-8),
 * CRLF, one row per packer and period. A packer's badge is text a user chose: a cell that a
 * spreadsheet would take for a formula (= + - @ at its start) gets a leading apostrophe.
 */
export function statsCsv(s: StatsResponse): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    let t = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(t)) t = `'${t}`;
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const secs = (ms: number | null): string => (ms === null ? '' : (ms / 1000).toFixed(1));
  const lines = ['period_kind,period,packer,parcels,median_packing_s'];
  for (const p of s.packers) lines.push(['total', '', cell(p.packer), p.parcels, secs(p.medianPackingMs)].join(','));
  for (const h of s.daily) lines.push(['day', cell(h.period), cell(h.packer), h.parcels, ''].join(','));
  for (const h of s.hourly) lines.push(['hour', cell(h.period), cell(h.packer), h.parcels, ''].join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
