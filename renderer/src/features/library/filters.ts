/**
 * The library's search: what the agent typed and chose, as kept in the address (#/library?q=…), and
 * as sent to GET /api/clips.
 */
import { ClipMode, ClipStatus, type ClipSearchQuery } from '../../../../shared/api';

export interface Filters {
  q: string;
  /** Local calendar dates (YYYY-MM-DD) as the date inputs give them; '' for no limit. Both inclusive. */
  from: string;
  to: string;
  mode: ClipMode | '';
  station: string;
  status: ClipStatus | '';
  protectedOnly: boolean;
  /** A packer's badge; '' for any. */
  packer: string;
}

export const EMPTY_FILTERS: Filters = { q: '', from: '', to: '', mode: '', station: '', status: '', protectedOnly: false, packer: '' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromParams(p: URLSearchParams): Filters {
  const date = (v: string | null): string => (v && DATE.test(v) ? v : '');
  const mode = ClipMode.safeParse(p.get('mode'));
  const status = ClipStatus.safeParse(p.get('status'));
  return {
    q: p.get('q') ?? '',
    from: date(p.get('from')),
    to: date(p.get('to')),
    mode: mode.success ? mode.data : '',
    station: p.get('station') ?? '',
    status: status.success ? status.data : '',
    protectedOnly: p.get('protected') === '1',
    packer: p.get('packer') ?? '',
  };
}

export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.mode) p.set('mode', f.mode);
  if (f.station) p.set('station', f.station);
  if (f.status) p.set('status', f.status);
  if (f.protectedOnly) p.set('protected', '1');
  if (f.packer) p.set('packer', f.packer);
  return p;
}

/** Any filter besides the search text. */
export function hasFilters(f: Filters): boolean {
  return Boolean(f.from || f.to || f.mode || f.station.trim() || f.status || f.protectedOnly || f.packer.trim());
}

/** The start of a local calendar day (plus `addDays`), as an ISO time: the agent's day, not UTC's. */
export function localDayStartIso(date: string, addDays = 0): string | undefined {
  if (!DATE.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(y, m - 1, d + addDays);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/**
 * The API query, or null when there is nothing to search for yet (no text, no filter): the screen
 * then explains what to type instead of listing every clip.
 */
export function toQuery(f: Filters): ClipSearchQuery | null {
  const q = f.q.trim();
  if (!q && !hasFilters(f)) return null;
  const query: ClipSearchQuery = {};
  if (q) query.q = q.slice(0, 128);
  const from = localDayStartIso(f.from);
  if (from) query.from = from;
  // "To" is inclusive for the agent: the server's `to` is exclusive, so send the start of the next day.
  const to = localDayStartIso(f.to, 1);
  if (to) query.to = to;
  if (f.mode) query.mode = f.mode;
  if (f.station.trim()) query.station = f.station.trim().slice(0, 64);
  if (f.status) query.status = f.status;
  if (f.protectedOnly) query.protected = 'true';
  if (f.packer.trim()) query.packer = f.packer.trim().slice(0, 64);
  return query;
}
