/**
 * A data folder whose database is gone (deleted, emptied, replaced by an empty file) while its
 * footage, key and backups remain. Starting there would silently begin a new station: READY with 0
 * clips, codes, protection, notes and audit gone, the evidence chain restarting at seq 1 with the same
 * key (contradicting earlier exports), and retention deleting the protected footage a day later as
 * footage of no clip. So the station refuses, naming `packwitness recover` (recover.ts), which rebuilds
 * what the files prove and continues the chain in a new epoch. A brand-new folder starts as usual.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../../../shared/messages/index.js';
import { msg, LocalizedError, type Message } from '../localized-error.js';
import { BACKUPS_DIR, isBackupName } from './backups.js';

export const DB_FILE = 'packwitness.db';

/** Said in both languages: the desktop app shows it in its start-failure dialog. */
export class DatabaseLostError extends LocalizedError {
  override name = 'DatabaseLostError';
}

const PROOF_ZH: Record<string, string> = { 'signing key': '签名密钥', 'segment files': '录像分段文件', 'clip videos': '片段视频', 'database backups': '数据库备份' };

/**
 * What in the folder proves an earlier station lived there, in words (empty for a new folder). Each
 * kind stops at its first file: a folder of a year of footage is not walked at every start.
 */
export function earlierLife(dataDir: string): string[] {
  const found: string[] = [];
  if (existsSync(join(dataDir, 'keys', 'station-ed25519.key')) || existsSync(join(dataDir, 'keys', 'station-ed25519.pub.pem'))) found.push('signing key');
  if (hasFile(join(dataDir, 'runs'), 2, (n) => n.endsWith('.ts'))) found.push('segment files');
  if (hasFile(join(dataDir, 'clips'), 1, (n) => n.endsWith('.mp4'))) found.push('clip videos');
  if (hasFile(join(dataDir, BACKUPS_DIR), 0, isBackupName)) found.push('database backups');
  return found;
}

function lostDatabaseMessage(dataDir: string, proofs: readonly string[]): Message {
  // The proofs are listed in each language's own way, so they travel as a text in both.
  const what = {
    en: proofs.length > 1 ? `${proofs.slice(0, -1).join(', ')} and ${proofs.at(-1)}` : proofs[0] ?? 'files',
    'zh-CN': proofs.map((p) => PROOF_ZH[p] ?? p).join('、'),
  };
  return msg('lostDatabase.missing', { file: join(dataDir, DB_FILE), what, dataDir });
}

/** The one sentence the station, doctor, find and export all say. */
export function lostDatabaseSentence(dataDir: string, proofs: readonly string[]): string {
  return render(lostDatabaseMessage(dataDir, proofs), 'en');
}

/** The refusal, in both languages. */
export function lostDatabaseError(dataDir: string, proofs: readonly string[]): DatabaseLostError {
  return new DatabaseLostError(lostDatabaseMessage(dataDir, proofs));
}

/** openDatabase's `whenNew`: refuse a new database in a folder with an earlier life (proofs taken before this start made anything). */
export function refuseNewDatabase(dataDir: string, proofs: readonly string[]): () => void {
  return () => {
    if (proofs.length) throw lostDatabaseError(dataDir, proofs);
  };
}

/** Is there a matching file at most `depth` folders below `dir`? */
function hasFile(dir: string, depth: number, match: (name: string) => boolean): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && match(e.name) && sizeOf(join(dir, e.name)) > 0) return true;
  }
  if (depth === 0) return false;
  for (const e of entries) {
    if (e.isDirectory() && hasFile(join(dir, e.name), depth - 1, match)) return true;
  }
  return false;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
