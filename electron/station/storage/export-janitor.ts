/**
 * Finished exports expire. Every export the HTTP queue makes is a folder
 * `exports/<YYYYMMDD>/clip-<id>-<YYYYMMDDTHHMMSSZ>` holding the bundle and its zip, named for the
 * reviewer (export-jobs.ts; older versions made the bundle that folder and put its zip `…Z.zip`
 * beside it, a layout still recognised), and nothing else ever deleted
 * them: a viewer exporting in a loop could fill the disk that recording needs, and retention only
 * counts footage. Runs beside retention (station.ts, every minute and after a settings change).
 *
 * A bundle, its zip, and a `.partial` folder an interrupted export left, are deleted once their
 * stamp (the job's start, written in the name) is `keepExportsDays` old, unless:
 * - their clip is protected now (a disputed clip keeps its evidence for as long as it is disputed);
 * - the export queue is still working on that bundle.
 * Only names of exactly that shape, in folders named like a date, are ever touched: a file someone
 * put in exports/ by hand stays, and so does the CLI's `--out` (it writes wherever it is told).
 */
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { log } from '../log.js';

export const EXPORTS_DIR = 'exports';
const DAY_FOLDER = /^\d{8}$/;
const BUNDLE = /^clip-(\d+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(\.zip|\.partial)?$/;
const DAY_MS = 86_400_000;

export interface ExportJanitorDeps {
  db: Db;
  dataDir: string;
  keepDays: () => number;
  /** Bundles the export queue is still writing or about to, relative to the data folder (`exports/…/clip-…`, no suffix). */
  busy: () => ReadonlySet<string>;
  /** Told which bundles went (relative, no suffix), so the job list stops offering their files. */
  deleted?: (bundles: readonly string[]) => void;
  now?: () => number;
}

export interface ExportJanitorReport {
  /** Bundles whose folder, zip or leftover went (relative, no suffix). */
  bundles: string[];
  bytes: number;
  /** Entries (folders and zips) old enough but kept because their clip is protected. */
  keptProtected: number;
}

/** The stamp in an export's name as epoch ms, with its clip id; null for any other name. */
export function parseExportName(name: string): { clipId: number; madeMs: number; base: string } | null {
  const m = BUNDLE.exec(name);
  if (!m) return null;
  const madeMs = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  if (Number.isNaN(madeMs)) return null;
  return { clipId: Number(m[1]), madeMs, base: m[8] ? name.slice(0, -m[8].length) : name };
}

export async function expireExports(d: ExportJanitorDeps): Promise<ExportJanitorReport> {
  const report: ExportJanitorReport = { bundles: [], bytes: 0, keptProtected: 0 };
  const root = join(d.dataDir, EXPORTS_DIR);
  const days = await readdir(root, { withFileTypes: true }).catch(() => []);
  const cutoff = (d.now?.() ?? Date.now()) - d.keepDays() * DAY_MS;
  const busy = d.busy();
  const isProtected = stmt(d.db, 'SELECT protected FROM clips WHERE id = ?');
  const gone = new Set<string>();
  for (const day of days) {
    if (!day.isDirectory() || !DAY_FOLDER.test(day.name)) continue;
    const dayDir = join(root, day.name);
    const entries = await readdir(dayDir, { withFileTypes: true }).catch(() => []);
    let deletedHere = false;
    for (const e of entries) {
      const parsed = parseExportName(e.name);
      // A bundle and its leftover are folders, a zip is a file; anything else of that name is not ours.
      if (!parsed || parsed.madeMs > cutoff || e.isDirectory() === e.name.endsWith('.zip')) continue;
      const rel = `${EXPORTS_DIR}/${day.name}/${parsed.base}`;
      if (busy.has(rel)) continue;
      if ((isProtected.get(parsed.clipId) as { protected: number } | undefined)?.protected === 1) {
        report.keptProtected++;
        continue;
      }
      const abs = join(dayDir, e.name);
      const bytes = await sizeOf(abs);
      try {
        await rm(abs, { recursive: true, force: true });
      } catch (err) {
        log.warn('an expired export could not be deleted', { file: `${EXPORTS_DIR}/${day.name}/${e.name}`, error: (err as Error).message });
        continue;
      }
      report.bytes += bytes;
      gone.add(rel);
      deletedHere = true;
    }
    // The day's folder goes with its last export (rmdir refuses while anything is left in it); only
    // after deleting from it, so a folder an export has just made for itself is not taken away.
    if (deletedHere) await rmdir(dayDir).catch(() => undefined);
  }
  report.bundles = [...gone];
  if (report.bundles.length) {
    d.deleted?.(report.bundles);
    log.info('expired exports deleted', { bundles: report.bundles.length, bytes: report.bytes, keptProtected: report.keptProtected, keepDays: d.keepDays() });
  }
  return report;
}

async function sizeOf(path: string): Promise<number> {
  const st = await stat(path).catch(() => null);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await readdir(path).catch(() => [])) total += await sizeOf(join(path, e));
  return total;
}
