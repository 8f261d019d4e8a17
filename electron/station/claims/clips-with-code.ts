/**
 * The clips carrying exactly this code (compared in normalised form), newest first: how a waybill
 * read in a buyer's photo finds its packing clip. Goes through the search's suffix index (clip_codes
 * has no index on code_norm, and a photo's code is whole), then keeps whole-code matches only.
 */
import { normalizeCode } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { searchClips } from '../clips/clip-search.js';

export function clipsWithCode(db: Db, code: string): number[] {
  const norm = normalizeCode(code);
  if (norm.length < 4 || norm.length > 64) return [];
  return searchClips(db, { q: norm }, undefined, 20)
    .items.filter((c) => c.codes.some((x) => normalizeCode(x) === norm))
    .map((c) => c.id);
}
