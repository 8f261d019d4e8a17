/**
 * The same parcel's clips in another mode: a packing clip and the hand-over clip of the
 * parcel leaving (or a returns clip of it coming back) link each other on the clip page. A clip is
 * the same parcel's when it carries one of this clip's codes (normalised: `SF 1234-5` is `SF12345`)
 * or belongs to the same imported order: the bench may have scanned the order number at packing
 * and the waybill at the dispatch point (the imported orders know both). A product code in common is
 * not the same parcel: the same EAN is in many.
 */
import { normalizeCode, type ClipMode, type CodeKind, type RelatedClip } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { toIso, toIsoOrNull } from '../catalog/time.js';
import { clipsOfOrderNamed, suffixIndexQuery } from './clip-search.js';

/** A clip page lists a handful; a code on thousands of clips (a test code, a reused label) must not make it slow. */
const MAX_RELATED = 20;
/** Candidates read per code before the mode filter. */
const MAX_CANDIDATES_PER_CODE = 200;
/** A clip with more codes than this is unusual (a merged batch); its first ones name the parcel. */
const MAX_CODES = 20;

export function relatedClips(db: Db, clip: { id: number; mode: ClipMode; codeDetails: ReadonlyArray<{ code: string; kind: CodeKind }> }): RelatedClip[] {
  const ids = new Set<number>();
  const add = (list: readonly number[]): void => list.forEach((id) => ids.add(id));
  // Product codes are skipped, not only filtered: a best-seller's EAN is on thousands of clips.
  const numbers = clip.codeDetails.filter((c) => c.kind !== 'item').map((c) => c.code);
  for (const code of numbers.slice(0, MAX_CODES)) {
    const norm = normalizeCode(code);
    if (!norm) continue;
    add(stmt(db, "SELECT clip_id FROM clip_codes WHERE code = ? COLLATE NOCASE AND kind <> 'item' LIMIT ?").pluck().all(code, MAX_CANDIDATES_PER_CODE) as number[]);
    // The same code scanned with other spaces or dashes: through the search's suffix index (code_norm has none of its own).
    if (Array.from(norm).length >= 3) {
      add(
        stmt(db, "SELECT cc.clip_id FROM clip_code_suffix s JOIN clip_codes cc ON cc.rowid = s.rowid WHERE clip_code_suffix MATCH ? AND cc.code_norm = ? AND cc.kind <> 'item' LIMIT ?")
          .pluck()
          .all(suffixIndexQuery(norm), norm, MAX_CANDIDATES_PER_CODE) as number[],
      );
    }
    add(clipsOfOrderNamed(db, norm) ?? []);
  }
  add(stmt(db, 'SELECT o.id FROM clips c JOIN clips o ON o.order_id = c.order_id WHERE c.id = ? AND c.order_id IS NOT NULL LIMIT ?').pluck().all(clip.id, MAX_CANDIDATES_PER_CODE) as number[]);
  ids.delete(clip.id);
  if (!ids.size) return [];

  const rows = stmt(
    db,
    'SELECT id, station, mode, status, start_ms, end_ms FROM clips WHERE id IN (SELECT value FROM json_each(?)) AND mode != ? ORDER BY start_ms, id LIMIT ?',
  ).all(JSON.stringify([...ids]), clip.mode, MAX_RELATED) as Array<{ id: number; station: string; mode: ClipMode; status: RelatedClip['status']; start_ms: number; end_ms: number | null }>;
  const codes = new Map<number, string[]>();
  for (const r of stmt(db, 'SELECT clip_id, code FROM clip_codes WHERE clip_id IN (SELECT value FROM json_each(?)) ORDER BY scanned_ms, rowid').all(JSON.stringify(rows.map((r) => r.id))) as Array<{
    clip_id: number;
    code: string;
  }>) {
    codes.set(r.clip_id, [...(codes.get(r.clip_id) ?? []), r.code]);
  }
  return rows.map((r) => ({ id: r.id, station: r.station, mode: r.mode, status: r.status, codes: codes.get(r.id) ?? [], startedAt: toIso(r.start_ms), endedAt: toIsoOrNull(r.end_ms) }));
}
