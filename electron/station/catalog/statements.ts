/**
 * Prepared statements, kept per database connection. The station runs the same few queries all day
 * (the status every second, an insert per segment): preparing each afresh compiles it again and leaves
 * the old one's native memory waiting for a garbage collection, which is churn a long shift can do
 * without (and compiling a search's two summary statements took about a third of a 4-character
 * search). Only fixed SQL, or a few dozen variants of it (search filters), belongs here; statements
 * are not re-entrant, so an iterate() keeps its own.
 */
import type { Statement } from './sqlite.js';
import type { Db } from './database.js';

const byDb = new WeakMap<Db, Map<string, Statement>>();

export function stmt(db: Db, sql: string): Statement {
  let cache = byDb.get(db);
  if (!cache) byDb.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}
