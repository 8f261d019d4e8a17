/**
 * Packer names (migration 015): the name printed on each badge, looked up when a badge signs in and
 * when a clip starts. Codes are kept upper case, the form a scan stores a badge in.
 */
import type { Packer } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { toIso } from '../catalog/time.js';

interface PackerRow {
  code: string;
  name: string;
  created_ms: number;
  updated_ms: number;
}

/** A badge code as a scan stores it. */
export const packerKey = (code: string): string => code.trim().toUpperCase();

export class PackersRepo {
  constructor(private readonly db: Db) {}

  list(): Packer[] {
    return (stmt(this.db, 'SELECT code, name, created_ms, updated_ms FROM packers ORDER BY code').all() as PackerRow[]).map(toPacker);
  }

  get(code: string): Packer | null {
    const row = stmt(this.db, 'SELECT code, name, created_ms, updated_ms FROM packers WHERE code = ?').get(packerKey(code)) as PackerRow | undefined;
    return row ? toPacker(row) : null;
  }

  /** The name a badge signs in under: its packer's, else the code itself (an unknown badge still signs in). */
  nameOf(code: string): string {
    return (stmt(this.db, 'SELECT name FROM packers WHERE code = ?').pluck().get(packerKey(code)) as string | undefined) ?? code;
  }

  /** Adds a packer; false when the code is taken. */
  add(code: string, name: string, nowMs = Date.now()): boolean {
    const r = stmt(this.db, 'INSERT INTO packers (code, name, created_ms, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO NOTHING').run(packerKey(code), name, nowMs, nowMs);
    return r.changes === 1;
  }

  /** Renames a packer; false when there is none with that code. Clips keep the name they were packed under. */
  rename(code: string, name: string, nowMs = Date.now()): boolean {
    return stmt(this.db, 'UPDATE packers SET name = ?, updated_ms = ? WHERE code = ?').run(name, nowMs, packerKey(code)).changes === 1;
  }

  /** Removes a packer; false when there was none. The badge still signs in, under its code. */
  remove(code: string): boolean {
    return stmt(this.db, 'DELETE FROM packers WHERE code = ?').run(packerKey(code)).changes === 1;
  }
}

function toPacker(r: PackerRow): Packer {
  return { code: r.code, name: r.name, createdAt: toIso(r.created_ms), updatedAt: toIso(r.updated_ms) };
}
