/**
 * Finding clips: by any fragment of an order or tracking number (the last digits a customer reads
 * out), by date, station, mode, status and protection; newest first, a page at a time.
 *
 * A fragment of 3+ characters goes through the suffix index (migration 004): its first and last four
 * characters are terms of that index (a 3-character one is a term's start), which narrows the codes
 * down to a handful; `instr` confirms the whole fragment. Results come in index order (newest code
 * first), so a page stops as soon as it is full instead of collecting every match. A clip is listed
 * once, at its newest matching code (later pages skip it by checking for a newer match).
 *
 * Shorter fragments and searches without one walk the clips by start time (index clips_start).
 */
import { normalizeCode, type ClipMode, type ClipStatus, type ClipSummary } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { LocalizedError, msg } from '../localized-error.js';
import { stmt } from '../catalog/statements.js';
import { SUFFIX_HEAD_CHARS } from '../catalog/migrations/004-search-suffix.js';
import { toIso, toIsoOrNull } from '../catalog/time.js';

export interface ClipFilters {
  q?: string;
  fromMs?: number;
  toMs?: number;
  mode?: ClipMode;
  station?: string;
  status?: ClipStatus;
  protected?: boolean;
  /** The packer (badge) signed in when the clip started. */
  packer?: string;
}

export interface SearchPage {
  items: ClipSummary[];
  nextCursor: string | null;
}

type Cursor = { m: 'code'; r: number } | { m: 'time'; s: number; i: number };

export class BadCursorError extends LocalizedError {
  override name = 'BadCursorError';
}

/** Codes shorter than this have no entry in the suffix index (migration 004). */
const MIN_INDEXED_FRAGMENT = 3;

export function searchClips(db: Db, f: ClipFilters, cursor: string | undefined, limit: number): SearchPage {
  const frag = f.q ? normalizeCode(f.q) : '';
  const c = cursor ? decodeCursor(cursor) : null;
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  const filter = (sql: string, name: string, value: unknown): void => {
    where.push(sql);
    args[name] = value;
  };
  if (f.fromMs !== undefined) filter('c.start_ms >= @fromMs', 'fromMs', f.fromMs);
  if (f.toMs !== undefined) filter('c.start_ms < @toMs', 'toMs', f.toMs);
  if (f.mode) filter('c.mode = @mode', 'mode', f.mode);
  if (f.station) filter('c.station = @station', 'station', f.station);
  if (f.status) filter('c.status = @status', 'status', f.status);
  if (f.protected !== undefined) filter('c.protected = @protected', 'protected', f.protected ? 1 : 0);
  // A badge code, or a packer's name as the settings list it now or as a clip recorded it: a
  // rename keeps the old clips findable under both names. The code probe uses clips_packer.
  if (f.packer) {
    where.push('(c.packer IN (SELECT @packer UNION SELECT code FROM packers WHERE name = @packerName) OR c.packer_name = @packerName)');
    args.packer = f.packer.trim().toUpperCase();
    args.packerName = f.packer.trim();
  }

  // An imported order's number or one of its waybills, typed in full: the order's clips,
  // whichever of its numbers was scanned.
  const orderClips = frag ? clipsOfOrderNamed(db, frag) : null;
  if (orderClips) {
    if (c && c.m !== 'time') throw new BadCursorError(msg('clips.cursorOtherSearch'));
    where.push('c.id IN (SELECT value FROM json_each(@orderClips))');
    args.orderClips = JSON.stringify(orderClips);
    return timePage(db, where, args, c, limit);
  }

  if (Array.from(frag).length >= MIN_INDEXED_FRAGMENT) {
    if (c && c.m !== 'code') throw new BadCursorError(msg('clips.cursorOtherSearch'));
    args.match = suffixIndexQuery(frag);
    args.frag = frag;
    args.before = c ? c.r : Number.MAX_SAFE_INTEGER;
    args.n = limit + 1;
    const rows = stmt(
      db,
      `SELECT cc.rowid AS r, cc.clip_id AS id
         FROM clip_code_suffix s
         JOIN clip_codes cc ON cc.rowid = s.rowid
         JOIN clips c ON c.id = cc.clip_id
         WHERE clip_code_suffix MATCH @match AND s.rowid < @before AND instr(cc.code_norm, @frag) > 0
           AND NOT EXISTS (SELECT 1 FROM clip_codes x WHERE x.clip_id = cc.clip_id AND x.rowid > cc.rowid AND instr(x.code_norm, @frag) > 0)
           ${where.map((w) => `AND ${w}`).join(' ')}
         ORDER BY s.rowid DESC
         LIMIT @n`,
    ).all(args) as Array<{ r: number; id: number }>;
    const page = rows.slice(0, limit);
    return {
      items: summaries(db, page.map((x) => x.id)),
      nextCursor: rows.length > limit ? encodeCursor({ m: 'code', r: page.at(-1)!.r }) : null,
    };
  }

  if (c && c.m !== 'time') throw new BadCursorError(msg('clips.cursorOtherSearch'));
  if (frag) {
    where.push('EXISTS (SELECT 1 FROM clip_codes x WHERE x.clip_id = c.id AND instr(x.code_norm, @frag) > 0)');
    args.frag = frag;
  }
  return timePage(db, where, args, c, limit);
}

/** Clips walked by start time, newest first, under the filters in `where`. */
function timePage(db: Db, where: string[], args: Record<string, unknown>, c: Cursor | null, limit: number): SearchPage {
  if (c && c.m === 'time') {
    where.push('(c.start_ms < @cs OR (c.start_ms = @cs AND c.id < @ci))');
    args.cs = c.s;
    args.ci = c.i;
  }
  args.n = limit + 1;
  const rows = stmt(db, `SELECT c.id, c.start_ms AS s FROM clips c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.start_ms DESC, c.id DESC LIMIT @n`).all(
    args,
  ) as Array<{ id: number; s: number }>;
  const page = rows.slice(0, limit);
  return {
    items: summaries(db, page.map((x) => x.id)),
    nextCursor: rows.length > limit ? encodeCursor({ m: 'time', s: page.at(-1)!.s, i: page.at(-1)!.id }) : null,
  };
}

/** More clips than one order ever has: a cap so a number shared by thousands of orders cannot make a huge list. */
const MAX_ORDER_CLIPS = 2_000;

/**
 * When `norm` is the whole number of an imported order or of one of its waybills: the clips of those
 * orders, i.e. the clips the scan linked to them and the clips that scanned any of their numbers
 * (before the import, or as a later code of a clip). Else null: not an order's number.
 */
export function clipsOfOrderNamed(db: Db, norm: string): number[] | null {
  const orderIds = stmt(db, 'SELECT id FROM orders WHERE order_norm = @n UNION SELECT order_id FROM order_waybills WHERE waybill_norm = @n LIMIT 50')
    .pluck()
    .all({ n: norm }) as number[];
  if (!orderIds.length) return null;
  const ids = new Set<number>();
  const list = JSON.stringify(orderIds);
  for (const id of stmt(db, 'SELECT id FROM clips WHERE order_id IN (SELECT value FROM json_each(?)) LIMIT ?').pluck().all(list, MAX_ORDER_CLIPS) as number[]) ids.add(id);
  const numbers = stmt(db, 'SELECT order_no FROM orders WHERE id IN (SELECT value FROM json_each(@l)) UNION SELECT waybill FROM order_waybills WHERE order_id IN (SELECT value FROM json_each(@l))')
    .pluck()
    .all({ l: list }) as string[];
  const byCode = stmt(db, 'SELECT clip_id FROM clip_codes WHERE code = ? COLLATE NOCASE LIMIT ?').pluck();
  for (const n of numbers) for (const id of byCode.all(n, MAX_ORDER_CLIPS) as number[]) ids.add(id);
  return [...ids];
}

/**
 * The FTS5 query for a fragment of 3+ characters over the suffix index, whose terms are the first
 * four characters of every suffix of a code: a 3-character fragment is the start of a term (answered
 * by the index's 3-character prefix index), a 4-character one is a term, and a longer one has a term
 * at its start and another at its end. Two terms, not more: both lists are short (a 4-digit term is
 * in ~0.1 % of codes), and the few codes holding both are checked with `instr`. Characters, not
 * UTF-16 units, as SQL's substr counted them when it built the terms. Quoted, so no character is
 * FTS syntax.
 */
export function suffixIndexQuery(frag: string): string {
  const chars = Array.from(frag);
  const quote = (t: string[]): string => `"${t.join('').replace(/"/g, '""')}"`;
  if (chars.length < SUFFIX_HEAD_CHARS) return `${quote(chars)} *`;
  const first = quote(chars.slice(0, SUFFIX_HEAD_CHARS));
  const last = quote(chars.slice(-SUFFIX_HEAD_CHARS));
  return first === last ? first : `${first} AND ${last}`;
}

interface SummaryRow {
  id: number;
  station: string;
  mode: ClipMode;
  status: ClipStatus;
  start_ms: number;
  end_ms: number | null;
  protected: number;
  file: string | null;
  thumb: string | null;
  video_expired_ms: number | null;
  packer: string | null;
  packer_name: string | null;
}

function summaries(db: Db, ids: number[]): ClipSummary[] {
  if (!ids.length) return [];
  // One statement for any number of ids (a JSON array), so it is compiled once.
  const list = JSON.stringify(ids);
  const rows = new Map(
    (
      stmt(db, 'SELECT id, station, mode, status, start_ms, end_ms, protected, file, thumb, video_expired_ms, packer, packer_name FROM clips WHERE id IN (SELECT value FROM json_each(?))').all(list) as SummaryRow[]
    ).map((r) => [r.id, r]),
  );
  const codes = new Map<number, string[]>();
  for (const r of stmt(db, 'SELECT clip_id, code FROM clip_codes WHERE clip_id IN (SELECT value FROM json_each(?)) ORDER BY scanned_ms, rowid').all(list) as Array<{
    clip_id: number;
    code: string;
  }>) {
    codes.set(r.clip_id, [...(codes.get(r.clip_id) ?? []), r.code]);
  }
  return ids.map((id) => {
    const r = rows.get(id)!;
    return {
      id,
      station: r.station,
      mode: r.mode,
      status: r.status,
      codes: codes.get(id) ?? [],
      startedAt: toIso(r.start_ms),
      endedAt: toIsoOrNull(r.end_ms),
      protected: r.protected === 1,
      hasVideo: r.file !== null && r.video_expired_ms === null,
      hasThumbnail: r.thumb !== null && r.video_expired_ms === null,
      videoExpiredAt: toIsoOrNull(r.video_expired_ms),
      packer: r.packer,
      packerName: r.packer_name ?? r.packer,
    };
  });
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (c.m === 'code' && Number.isInteger(c.r)) return c;
    if (c.m === 'time' && Number.isInteger(c.s) && Number.isInteger(c.i)) return c;
  } catch {
    /* fall through */
  }
  throw new BadCursorError(msg('clips.cursorUnknown'));
}

/**
 * The same search without the index, for the benchmark's baseline: every code scanned with
 * LIKE '%x%', newest first, stopping once a page of distinct clips is found.
 */
export function searchClipsByLike(db: Db, q: string, limit: number): number[] {
  const like = `%${normalizeCode(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const ids: number[] = [];
  for (const r of db.prepare("SELECT clip_id FROM clip_codes WHERE code_norm LIKE ? ESCAPE '\\' ORDER BY rowid DESC").iterate(like) as Iterable<{ clip_id: number }>) {
    if (!ids.includes(r.clip_id)) ids.push(r.clip_id);
    if (ids.length >= limit) break;
  }
  return ids;
}

/**
 * One bounded step of merging the suffix index's segments (FTS5 `merge`). Every insert adds a small
 * segment, and FTS5's automerge folds them as it goes; this step finishes what automerge leaves
 * between bursts, so lookups read few segments. Returns whether there was work to do (FTS5's rule:
 * total_changes() moved by two or more). On the benchmark's generated million-clip index it found
 * nothing left to do.
 */
export function mergeSearchIndex(db: Db, pages = 100): boolean {
  const before = db.prepare('SELECT total_changes() AS n').get() as { n: number };
  db.prepare("INSERT INTO clip_code_suffix(clip_code_suffix, rank) VALUES ('merge', ?)").run(pages);
  const after = db.prepare('SELECT total_changes() AS n').get() as { n: number };
  return after.n - before.n > 1;
}
