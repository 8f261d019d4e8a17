/**
 * `packwitness find`: search a station's clips from the command line, one line per clip. Opens the
 * database read-only, so it works while the station records into the same folder (WAL readers).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '../station/data-dir.js';
import { openDatabase } from '../station/catalog/database.js';
import { searchClips } from '../station/clips/clip-search.js';

export class NoDatabaseError extends Error {
  override name = 'NoDatabaseError';
}

export function findClips(dataDir: string, fragment: string, o: { limit: number; json: boolean }): string[] {
  const dir = resolveDataDir(dataDir);
  const file = join(dir, 'packwitness.db');
  if (!existsSync(file)) throw new NoDatabaseError(`There is no PackWitness database in ${dir}; pass the station's --data folder.`);
  const db = openDatabase(file, { readonly: true });
  try {
    const { items } = searchClips(db, { q: fragment }, undefined, o.limit);
    if (o.json) return items.map((c) => JSON.stringify(c));
    return items.map(
      (c) =>
        `${c.id}\t${c.startedAt}\t${c.endedAt ?? 'recording'}\t${c.mode}\t${c.status}${c.protected ? ' protected' : ''}\t${c.station}\t${c.codes.join(',')}${c.hasVideo ? '' : '\t(no video yet)'}`,
    );
  } finally {
    db.close();
  }
}
