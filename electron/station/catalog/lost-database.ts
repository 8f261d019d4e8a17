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
import { both, LocalizedError } from '../localized-error.js';
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

/** The one sentence the station, doctor, find and export all say. */
export function lostDatabaseSentence(dataDir: string, proofs: readonly string[]): string {
  const what = proofs.length > 1 ? `${proofs.slice(0, -1).join(', ')} and ${proofs.at(-1)}` : proofs[0] ?? 'files';
  return `The database ${join(dataDir, DB_FILE)} is missing or empty, but the folder holds an earlier station's ${what}, so starting would begin a new, empty index beside them: run \`packwitness recover --data ${dataDir}\` to rebuild it from the backups and the footage.`;
}

/** The refusal, in both languages. */
export function lostDatabaseError(dataDir: string, proofs: readonly string[]): DatabaseLostError {
  const zh = proofs.map((p) => PROOF_ZH[p] ?? p).join('、');
  return new DatabaseLostError(
    both(
      lostDatabaseSentence(dataDir, proofs),
      `数据库 ${join(dataDir, DB_FILE)} 丢失或为空，但该文件夹中有之前工作站的${zh}，直接启动会在旁边新建一个空索引：请运行 \`packwitness recover --data ${dataDir}\`，从备份和录像重建索引。`,
    ),
  );
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
