/**
 * `packwitness orders import`: a shop's order export into the station's database. Works beside a
 * running station (WAL; the import is one transaction, so the station sees all of it or none).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '../station/data-dir.js';
import { openDatabase } from '../station/catalog/database.js';
import { DB_FILE } from '../station/catalog/lost-database.js';
import { parseMappingArgs } from '../station/orders/order-columns.js';
import { importOrderFile } from '../station/orders/order-import.js';
import { OrderImportError } from '../station/orders/order-import-error.js';
import { msg } from '../station/localized-error.js';
import { printable } from '../station/printable.js';
import { noDatabase } from './find-command.js';

export interface OrdersImportOptions {
  data: string;
  platform?: string;
  map?: string[];
}

/** Skipped rows printed one per line up to this many, then a count: 10,000 duplicates are not 10,000 lines. */
const SKIPPED_SHOWN = 50;

/** Returns the lines to print (stdout) and the exit code; throws OrderImportError and the database's own errors. */
export async function runOrdersImport(file: string, o: OrdersImportOptions): Promise<{ lines: string[]; exit: number }> {
  let mapping;
  try {
    mapping = parseMappingArgs(o.map ?? []);
  } catch (err) {
    // The CLI's own argument: English, as the CLI prints it.
    throw new OrderImportError(msg('common.verbatim', { text: (err as Error).message }));
  }
  const dir = resolveDataDir(o.data);
  const dbFile = join(dir, DB_FILE);
  // Never start a new index here: a folder without one is either new (start the station once) or lost.
  if (!existsSync(dbFile) || statSync(dbFile).size === 0) throw noDatabase(dir);
  const db = openDatabase(dbFile, {
    whenNew: () => {
      throw noDatabase(dir);
    },
  });
  try {
    const r = await importOrderFile(db, file, { platform: o.platform?.trim() || null, mapping });
    const lines = [`imported ${r.orders} orders, ${r.items} items (${r.created} new, ${r.updated} updated; ${r.encoding})`];
    for (const s of r.skipped.slice(0, SKIPPED_SHOWN)) lines.push(printable(`skipped line ${s.line}: ${s.reason}`));
    if (r.skipped.length > SKIPPED_SHOWN) lines.push(`skipped ${r.skipped.length - SKIPPED_SHOWN} more rows (${r.skipped.length} in all)`);
    return { lines, exit: 0 };
  } finally {
    db.close();
  }
}
