/**
 * `packwitness recover`: a new index for a data folder whose database was lost (missing, emptied,
 * unreadable, damaged), built from what the folder proves, with the station stopped (its lock held).
 *
 *   1. The newest backup that passes quick_check (backups.ts), or the one named, or none: copied to
 *      `packwitness.db.recovering` (or a new database there). Clips, codes, notes, protection and the
 *      audit log come back as they were at that backup.
 *   2. The evidence chain continues in a new epoch (segment-chain.ts): one signed entry above every seq
 *      the station can have used (the backup's head, keys/chain-reserve.json, and the segment files the
 *      backup lacks), linked to the backup's last entry, saying why and from which backup.
 *   3. Start-up reconcile indexes every segment file the backup lacks (dated from its packets), each
 *      chained in the new epoch; rows of files that are gone are marked so.
 *   4. Clip videos in clips/ that no clip row names (clips made after the backup) become clips again,
 *      by their id (their file name), with the time the file gives and no codes: the codes were only in
 *      the lost database. This also keeps a new clip from taking their id and file name.
 *   5. Only then: the old database file (and its -wal/-shm) is renamed `packwitness.db.lost-<time>`,
 *      never deleted, and the new one takes its place. A failure before leaves the folder as it was.
 */
import { chmodSync, copyFileSync, existsSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from './hash.js';
import { listBackups, checkBackup, BACKUPS_DIR, type BackupFile } from './backups.js';
import { openDatabase, type Db } from './database.js';
import { Gaps } from './gaps.js';
import { DB_FILE } from './lost-database.js';
import { reconcile, runStampToMs } from './reconcile.js';
import { Runs } from './runs.js';
import { SegmentIndexer } from './segment-indexer.js';
import { Segments } from './segments.js';
import { openSqlite } from './sqlite.js';
import { ClipCamerasRepo } from '../clips/clip-cameras.js';
import { ClipWriter } from '../clips/clip-writer.js';
import { ClipsRepo } from '../clips/clips-repo.js';
import { resolveDataDir } from '../data-dir.js';
import { ChainReserve } from '../evidence/chain-reserve.js';
import { SegmentChain } from '../evidence/segment-chain.js';
import { loadOrCreateStationKeys } from '../evidence/station-keys.js';
import { locateFfmpeg } from '../ffmpeg/locate.js';
import { log } from '../log.js';
import { probePackets } from '../recorder/probe.js';
import { acquireLock } from '../station-lock.js';

export class RecoverError extends Error {
  override name = 'RecoverError';
}

export type DatabaseState = 'missing' | 'empty' | 'unreadable' | 'damaged' | 'intact';

export interface RecoverOptions {
  dataDir: string;
  /** 'latest' (default): the newest backup that passes quick_check; 'none': rebuild from the files only; else a backup file. */
  fromBackup?: string;
  /** Rebuild even though the database is intact (it is kept aside like a lost one). */
  force?: boolean;
  ffmpegPath?: string;
}

export interface RecoverReport {
  dataDir: string;
  databaseWas: DatabaseState;
  /** The old database's files, renamed (never deleted). */
  keptAside: string[];
  backup: { name: string; takenAt: string } | null;
  /** Newer backups passed over, and why. */
  backupsSkipped: Array<{ name: string; problem: string }>;
  clips: { fromBackup: number; fromVideoFiles: number; protected: number; withNotes: number; videoMissing: number };
  segments: { fromBackup: number; indexedFromFiles: number; damaged: number; filesMissing: number };
  chain: { knewSeq: number; epochSeq: number; reservedThrough: number | null; reason: string };
}

/** What the database file is now, without changing it. */
export function databaseState(file: string): DatabaseState {
  if (!existsSync(file)) return 'missing';
  if (statSync(file).size === 0) return 'empty';
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) return 'empty';
    return db.pragma('quick_check', { simple: true }) === 'ok' ? 'intact' : 'damaged';
  } catch {
    return 'unreadable';
  } finally {
    db?.close();
  }
}

const REASON: Record<Exclude<DatabaseState, 'intact'>, string> = {
  missing: 'database-missing',
  empty: 'database-empty',
  unreadable: 'database-unreadable',
  damaged: 'database-damaged',
};

export async function recoverDatabase(opts: RecoverOptions): Promise<RecoverReport> {
  const dataDir = resolveDataDir(opts.dataDir);
  if (!existsSync(dataDir)) throw new RecoverError(`${dataDir} does not exist; pass the station's data folder with --data DIR.`);
  const release = acquireLock(dataDir);
  try {
    return await recoverLocked(dataDir, opts);
  } finally {
    release();
  }
}

async function recoverLocked(dataDir: string, opts: RecoverOptions): Promise<RecoverReport> {
  const dbFile = join(dataDir, DB_FILE);
  const state = databaseState(dbFile);
  if (state === 'intact' && !opts.force) {
    throw new RecoverError(`The database ${dbFile} is intact; recover is for a lost or damaged one (pass --force to rebuild it anyway: it is kept aside, never deleted).`);
  }
  const ffmpeg = await locateFfmpeg(opts.ffmpegPath);
  // The same key must sign the new epoch: a missing private key beside its public key is refused here.
  const keys = loadOrCreateStationKeys(dataDir);
  const { backup, skipped } = chooseBackup(dataDir, opts.fromBackup ?? 'latest');

  const building = join(dataDir, `${DB_FILE}.recovering`);
  for (const f of [building, `${building}-wal`, `${building}-shm`, `${building}-journal`]) removeIfThere(f);
  if (backup) {
    copyFileSync(backup.file, building);
    chmodSync(building, 0o644);
  }
  const db = openDatabase(building);
  let report: RecoverReport;
  try {
    report = await rebuild(db, dataDir, { state, backup, skipped, keys, ffmpegPath: ffmpeg.path });
  } finally {
    db.close();
  }

  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  for (const suffix of ['', '-wal', '-shm']) {
    const from = `${dbFile}${suffix}`;
    if (!existsSync(from)) continue;
    const to = `${dbFile}.lost-${stamp}${suffix}`;
    renameSync(from, to);
    report.keptAside.push(to);
  }
  renameSync(building, dbFile);
  log.info('database recovered', { ...report.chain, backup: report.backup?.name ?? null });
  return report;
}

function chooseBackup(dataDir: string, from: string): { backup: BackupFile | null; skipped: Array<{ name: string; problem: string }> } {
  const skipped: Array<{ name: string; problem: string }> = [];
  if (from === 'none') return { backup: null, skipped };
  if (from === 'latest') {
    for (const b of listBackups(dataDir)) {
      const problem = checkBackup(b.file);
      if (!problem) return { backup: b, skipped };
      skipped.push({ name: b.name, problem });
    }
    return { backup: null, skipped };
  }
  if (!existsSync(from)) throw new RecoverError(`The backup ${from} does not exist; give a file from ${join(dataDir, BACKUPS_DIR)}, or --from-backup latest or none.`);
  const problem = checkBackup(from);
  if (problem) throw new RecoverError(`The backup ${from} cannot be used (${problem}); choose another, or --from-backup latest or none.`);
  const name = from.split(/[\\/]/).at(-1)!;
  return { backup: { name, file: from, atMs: statSync(from).mtimeMs, bytes: statSync(from).size }, skipped };
}

async function rebuild(
  db: Db,
  dataDir: string,
  c: { state: DatabaseState; backup: BackupFile | null; skipped: Array<{ name: string; problem: string }>; keys: ReturnType<typeof loadOrCreateStationKeys>; ffmpegPath: string },
): Promise<RecoverReport> {
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const reserve = new ChainReserve(dataDir);
  const reservedThrough = reserve.read();
  const chain = new SegmentChain(db, c.keys, reserve);
  const head = chain.head();
  const knewSeq = head?.seq ?? 0;
  const segments = new Segments(db, chain);
  const fromBackup = segments.count();

  // Above every seq the station can have used: the backup's head, the reservation file, and one entry
  // for each segment file the backup does not know (each was chained when it was first indexed).
  const unknownFiles = segmentFilesOnDisk(dataDir).filter((rel) => !segments.has(rel)).length;
  const epochSeq = Math.max(knewSeq, reservedThrough ?? 0, knewSeq + unknownFiles) + 1;
  const reason = c.state === 'intact' ? 'forced' : REASON[c.state];
  const atMs = Date.now();
  db.transaction(() => chain.startEpoch({ seq: epochSeq, atMs, reason, backup: c.backup?.name ?? null }))();

  const runs = new Runs(db);
  const gaps = new Gaps(db);
  const indexer = new SegmentIndexer(dataDir, c.ffmpegPath, segments);
  const r = await reconcile(dataDir, { runs, segments, gaps, indexer });
  // Rows whose file went after the backup (retention, most likely): not footage any more.
  const markGone = db.prepare("UPDATE segments SET file_deleted_ms = ?, file_deleted_reason = 'missing when the database was recovered' WHERE file = ? AND file_deleted_ms IS NULL");
  db.transaction(() => {
    for (const f of r.missingFiles) markGone.run(atMs, f);
  })();

  const fromVideoFiles = await restoreClipsFromVideos(db, dataDir, c.ffmpegPath, atMs);
  await restoreClipCameras(db, dataDir, c.ffmpegPath, segments);
  const clipsFromBackup = count(`SELECT count(*) AS n FROM clips WHERE created_ms <> ${atMs}`);
  let videoMissing = 0;
  for (const row of db.prepare('SELECT file FROM clips WHERE file IS NOT NULL AND video_expired_ms IS NULL').all() as Array<{ file: string }>) {
    if (!existsSync(join(dataDir, ...row.file.split('/')))) videoMissing++;
  }
  return {
    dataDir,
    databaseWas: c.state,
    keptAside: [],
    backup: c.backup ? { name: c.backup.name, takenAt: new Date(c.backup.atMs).toISOString() } : null,
    backupsSkipped: c.skipped,
    clips: {
      fromBackup: clipsFromBackup,
      fromVideoFiles,
      protected: count('SELECT count(*) AS n FROM clips WHERE protected = 1'),
      withNotes: count("SELECT count(*) AS n FROM clips WHERE note IS NOT NULL AND note <> ''"),
      videoMissing,
    },
    segments: { fromBackup, indexedFromFiles: r.indexed, damaged: r.damaged, filesMissing: r.missingFiles.length },
    chain: { knewSeq, epochSeq, reservedThrough, reason },
  };
}

/** Every non-empty segment file under runs/<camera>/<run>/, relative to the data folder. */
function segmentFilesOnDisk(dataDir: string): string[] {
  const out: string[] = [];
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const camera of list(join(dataDir, 'runs'))) {
    for (const run of list(join(dataDir, 'runs', camera))) {
      if (runStampToMs(run) === null) continue;
      for (const f of list(join(dataDir, 'runs', camera, run))) {
        if (!f.endsWith('.ts')) continue;
        try {
          if (statSync(join(dataDir, 'runs', camera, run, f)).size > 0) out.push(`runs/${camera}/${run}/${f}`);
        } catch {
          /* gone meanwhile */
        }
      }
    }
  }
  return out;
}

/**
 * Clip MP4s (clips/<date>/<id>.mp4) that no clip row names: clips made after the backup. Each becomes
 * a clip again under its own id, `interrupted`, ending when its file was written and as long as its
 * video, with the reason saying so; codes, mode and notes were only in the lost database.
 */
async function restoreClipsFromVideos(db: Db, dataDir: string, ffmpegPath: string, atMs: number): Promise<number> {
  const known = new Set((db.prepare('SELECT file FROM clips WHERE file IS NOT NULL').all() as Array<{ file: string }>).map((r) => r.file));
  const ids = new Set((db.prepare('SELECT id FROM clips').all() as Array<{ id: number }>).map((r) => r.id));
  const last = db.prepare('SELECT station, camera FROM clips ORDER BY id DESC LIMIT 1').get() as { station: string; camera: string } | undefined;
  const cameras = (() => {
    try {
      return readdirSync(join(dataDir, 'runs'));
    } catch {
      return [];
    }
  })();
  // Several cameras: the main one is the one no clip's other video (<id>.<camera>.mp4) names.
  const others = otherCameraVideoIds(dataDir);
  const unnamed = cameras.filter((c) => !others.has(c));
  const camera = cameras.length === 1 ? cameras[0]! : (last?.camera ?? (unnamed.length === 1 ? unnamed[0]! : 'unknown'));
  const insert = db.prepare(
    `INSERT INTO clips (id, station, camera, mode, status, start_ms, end_ms, end_reason, file, bytes, sha256, video_duration_ms, created_ms)
     VALUES (?, ?, ?, 'pack', 'interrupted', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let restored = 0;
  let days: string[];
  try {
    days = readdirSync(join(dataDir, 'clips')).sort();
  } catch {
    return 0;
  }
  for (const day of days) {
    let names: string[];
    try {
      names = readdirSync(join(dataDir, 'clips', day));
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^(\d+)\.mp4$/.exec(name);
      const rel = `clips/${day}/${name}`;
      if (!m || known.has(rel)) continue;
      const id = Number(m[1]);
      const existing = ids.has(id) ? (db.prepare('SELECT file, status FROM clips WHERE id = ?').get(id) as { file: string | null; status: string }) : null;
      // A clip still recording at the backup: this is its video, cut after the backup. Anything else is not ours to guess.
      if (existing && (existing.file !== null || existing.status !== 'recording')) {
        log.warn('a clip video names a clip id the restored database gives to another clip; left as it is', { file: rel });
        continue;
      }
      const abs = join(dataDir, 'clips', day, name);
      let durationMs: number;
      try {
        const packets = await probePackets(ffmpegPath, abs);
        const shown = packets.pts.filter((p) => p >= -1e-6);
        durationMs = Math.round(((shown.at(-1) ?? 0) + packets.frameSec) * 1000);
      } catch (err) {
        log.warn('a clip video without a record cannot be read; left as it is', { file: rel, error: (err as Error).message });
        continue;
      }
      const st = statSync(abs);
      const endMs = Math.round(st.mtimeMs);
      const sha256 = await sha256File(abs);
      if (existing) {
        db.prepare(
          "UPDATE clips SET status = 'interrupted', end_ms = max(start_ms, ?), end_reason = ?, file = ?, bytes = ?, sha256 = ?, video_duration_ms = ? WHERE id = ?",
        ).run(endMs, `ended after the last backup; restored from ${rel} after the database was lost (its end is when the file was written)`, rel, st.size, sha256, durationMs, id);
        restored++;
        continue;
      }
      const reason = `restored from ${rel} after the database was lost: its codes were not recovered, and its times come from the file (ends when it was written)`;
      insert.run(id, last?.station ?? 'unknown', camera, endMs - durationMs, endMs, reason, rel, st.size, sha256, durationMs, atMs);
      ids.add(id);
      restored++;
    }
  }
  return restored;
}

/** Camera ids named by other cameras' clip videos (clips/<date>/<id>.<camera>.mp4). */
function otherCameraVideoIds(dataDir: string): Set<string> {
  const out = new Set<string>();
  let days: string[];
  try {
    days = readdirSync(join(dataDir, 'clips'));
  } catch {
    return out;
  }
  for (const day of days) {
    try {
      for (const name of readdirSync(join(dataDir, 'clips', day))) {
        const m = /^\d+\.(.+)\.mp4$/.exec(name);
        if (m && !m[1]!.endsWith('.partial')) out.add(m[1]!);
      }
    } catch {
      /* not a folder */
    }
  }
  return out;
}

/**
 * Each clip's other cameras (clip_cameras, migration 017) that the restored index lacks: clips cut
 * after the backup, or restored from their video files. A camera with segments in runs/ besides the
 * clip's own gets its row when it has the clip's video already (taken as it is) or footage of the
 * clip's time range (cut as the station does when a clip closes). Names and order come from the
 * backup's rows for that camera when it has any, else the camera id and the folders' order.
 */
async function restoreClipCameras(db: Db, dataDir: string, ffmpegPath: string, segments: Segments): Promise<void> {
  let cameras: string[];
  try {
    cameras = readdirSync(join(dataDir, 'runs')).sort();
  } catch {
    return;
  }
  if (cameras.length < 2) return;
  const named = new Map((db.prepare('SELECT camera, name, max(position) AS position FROM clip_cameras GROUP BY camera').all() as Array<{ camera: string; name: string; position: number }>).map((r) => [r.camera, r]));
  const clipsRepo = new ClipsRepo(db);
  const writer = new ClipWriter({
    dataDir,
    ffmpegPath,
    segments,
    clips: clipsRepo,
    unindexedSegments: async () => null,
    clipCameras: new ClipCamerasRepo(db),
    footageWaitMaxMs: 0,
  });
  const clips = db
    .prepare("SELECT id, camera, start_ms, end_ms, file FROM clips WHERE file IS NOT NULL AND video_expired_ms IS NULL AND end_ms IS NOT NULL AND status <> 'recording'")
    .all() as Array<{ id: number; camera: string; start_ms: number; end_ms: number; file: string }>;
  const hasRow = db.prepare('SELECT 1 FROM clip_cameras WHERE clip_id = ? AND camera = ?');
  for (const clip of clips) {
    const wanted = cameras
      .filter((cam) => cam !== clip.camera && !hasRow.get(clip.id, cam))
      .filter(
        (cam) =>
          existsSync(join(dataDir, ...clip.file.replace(/\.mp4$/, `.${cam}.mp4`).split('/'))) ||
          segments.between(clip.start_ms, clip.end_ms, cam, { onDisk: true }).some((s) => s.status !== 'damaged'),
      )
      .map((cam, i) => ({ id: cam, name: named.get(cam)?.name ?? cam, order: named.get(cam)?.position ?? cameras.length + i }))
      .sort((a, b) => a.order - b.order);
    if (!wanted.length) continue;
    await writer.recoverOtherCameras(clip.id, wanted.map(({ id, name }) => ({ id, name })));
  }
}

function removeIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* not there */
  }
}

/** The report as one short block for the terminal. */
export function formatRecoverReport(r: RecoverReport): string {
  const lines = [
    `Recovered the index of ${r.dataDir} (the database was ${r.databaseWas}).`,
    r.backup ? `  backup:   ${r.backup.name} (taken ${r.backup.takenAt})` : '  backup:   none: rebuilt from the files alone',
    ...r.backupsSkipped.map((s) => `            skipped ${s.name}: ${s.problem}`),
    (r.backup
      ? `  clips:    ${r.clips.fromBackup} from the backup (${r.clips.protected} protected, ${r.clips.withNotes} with notes)`
      : '  clips:    none from a backup: codes, notes and protection cannot be rebuilt from the files') +
      (r.clips.fromVideoFiles ? `; ${r.clips.fromVideoFiles} restored from their video files, without codes or protection` : '') +
      (r.clips.videoMissing ? `; ${r.clips.videoMissing} whose video file is gone` : ''),
    `  segments: ${r.segments.fromBackup} from the backup, ${r.segments.indexedFromFiles} indexed from their files${r.segments.damaged ? ` (${r.segments.damaged} damaged)` : ''}` +
      (r.segments.filesMissing ? `; ${r.segments.filesMissing} whose file is gone (marked)` : ''),
    `  chain:    new epoch at seq ${r.chain.epochSeq} after seq ${r.chain.knewSeq} (${r.chain.reason})` +
      (r.chain.reservedThrough === null ? '; keys/chain-reserve.json was missing, so the epoch starts above what the files prove' : `; seq reserved through ${r.chain.reservedThrough}`),
    ...r.keptAside.map((f) => `  kept:     ${f}`),
  ];
  return `${lines.join('\n')}\n`;
}
