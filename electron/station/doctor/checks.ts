/**
 * `packwitness doctor`: everything a station needs, checked the way the station would use it, on
 * this PC, without starting it. Each check is one line: OK, WARN (works, but look) or FAIL (the
 * station will not record, or not for long). Nothing is changed except the encoder-test cache.
 */
import { accessSync, constants, existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { migrations } from '../catalog/migrations/index.js';
import { openSqlite, type Db } from '../catalog/sqlite.js';
import { DatabaseUnreadableError, unreadable } from '../catalog/database.js';
import { earlierLife, lostDatabaseSentence } from '../catalog/lost-database.js';
import { locateFfmpeg, type FfmpegInfo } from '../ffmpeg/locate.js';
import { DOCTOR_DISK } from '../limits.js';
import { listCameraSpecs } from '../recorder/camera-discovery.js';
import { listH264Encoders, runEncoderTests, saveEncoderTests, testEncode } from '../recorder/encoder-tests.js';
import { ENCODER_PRESETS } from '../recorder/ffmpeg-command.js';
import type { EncoderTestResult } from '../recorder/hardware-encoders.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: 'ffmpeg' | 'encoders' | 'cameras' | 'data-folder' | 'disk' | 'port' | 'database';
  status: CheckStatus;
  /** One sentence. */
  summary: string;
  details?: Record<string, unknown>;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
  /** The FAIL lines' summaries, for the exit message. */
  problems: string[];
}

export interface DoctorOptions {
  dataDir: string;
  port: number;
  ffmpegPath?: string;
  /** The DB file name inside the data folder (the station's). */
  dbName?: string;
}

export const DB_FILE = 'packwitness.db';

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const dataDir = resolve(opts.dataDir);
  const checks: DoctorCheck[] = [];
  let ffmpeg: FfmpegInfo | null = null;
  try {
    ffmpeg = await locateFfmpeg(opts.ffmpegPath);
    checks.push({
      id: 'ffmpeg',
      status: 'ok',
      summary: `ffmpeg ${ffmpeg.versionLine.split(' ')[2] ?? '?'} (release ${ffmpeg.major || '?'}) found, ${ffmpeg.source === 'system' ? 'on the PATH' : ffmpeg.source}: ${ffmpeg.path}`,
      details: { ...ffmpeg },
    });
  } catch (err) {
    checks.push({ id: 'ffmpeg', status: 'fail', summary: (err as Error).message });
  }
  const dataFolder = checkDataFolder(dataDir);
  checks.push(dataFolder);
  if (ffmpeg) {
    checks.push(await checkEncoders(ffmpeg, dataFolder.status === 'ok' && existsSync(dataDir) ? dataDir : null));
    checks.push(await checkCameras(ffmpeg));
  } else {
    checks.push({ id: 'encoders', status: 'fail', summary: 'H.264 encoders not checked: ffmpeg was not found' });
    checks.push({ id: 'cameras', status: 'warn', summary: 'cameras not checked: ffmpeg was not found' });
  }
  const dbFile = join(dataDir, opts.dbName ?? DB_FILE);
  const db = checkDatabase(dataDir, dbFile);
  checks.push(await checkDisk(dataDir, db.bytesLast24h));
  checks.push(await checkPort(opts.port));
  checks.push(db.check);
  const order: DoctorCheck['id'][] = ['ffmpeg', 'encoders', 'cameras', 'data-folder', 'disk', 'port', 'database'];
  checks.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const problems = checks.filter((c) => c.status === 'fail').map((c) => c.summary);
  return { ok: problems.length === 0, checks, problems };
}

async function checkEncoders(ffmpeg: FfmpegInfo, cacheDir: string | null): Promise<DoctorCheck> {
  let compiled: string[];
  try {
    compiled = await listH264Encoders(ffmpeg.path);
  } catch (err) {
    return { id: 'encoders', status: 'fail', summary: (err as Error).message };
  }
  const x264 = compiled.includes('libx264') ? await testEncode(ffmpeg.path, ENCODER_PRESETS.standard) : { ok: false, error: 'not in this ffmpeg build' };
  const hardware: EncoderTestResult[] = await runEncoderTests(ffmpeg.path);
  // Fresh results replace the cache the station's `auto` choice reads.
  if (cacheDir) await saveEncoderTests(cacheDir, ffmpeg, hardware).catch(() => undefined);
  const present = hardware.filter((h) => h.compiled);
  const working = present.filter((h) => h.ok).map((h) => h.encoder);
  const hwText = present.length
    ? present.map((h) => `${h.encoder} ${h.ok ? 'works' : `fails (${h.error})`}`).join('; ')
    : 'no hardware H.264 encoder in this ffmpeg';
  const details = { compiled, libx264: x264, hardware };
  if (!x264.ok && !working.length) return { id: 'encoders', status: 'fail', summary: `no working H.264 encoder: libx264 ${x264.error}; ${hwText}`, details };
  const sw = x264.ok ? 'libx264 works' : `libx264 fails (${x264.error})`;
  return { id: 'encoders', status: x264.ok ? 'ok' : 'warn', summary: `H.264: ${sw}; ${hwText}${working.length ? ` — recording can use ${working[0]}` : ''}`, details };
}

async function checkCameras(ffmpeg: FfmpegInfo): Promise<DoctorCheck> {
  const cameras = await listCameraSpecs(ffmpeg.path).catch(() => [] as string[]);
  if (!cameras.length) {
    return { id: 'cameras', status: 'warn', summary: 'no camera found: the station records the demo picture until one is plugged in (or pass --camera rtsp://…)', details: { cameras } };
  }
  return { id: 'cameras', status: 'ok', summary: `${cameras.length} camera${cameras.length > 1 ? 's' : ''} found: ${cameras.join(', ')}`, details: { cameras } };
}

/** Writable now, or creatable (its nearest existing parent is writable): the station creates it at start. */
function checkDataFolder(dir: string): DoctorCheck {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { id: 'data-folder', status: 'fail', summary: `the data folder ${dir} is a file, not a folder` };
    const probe = join(dir, `.doctor-write-test-${process.pid}`);
    try {
      writeFileSync(probe, 'ok');
      unlinkSync(probe);
      return { id: 'data-folder', status: 'ok', summary: `data folder ${dir} is writable` };
    } catch (err) {
      return { id: 'data-folder', status: 'fail', summary: `the data folder ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  const parent = nearestExisting(dir);
  try {
    accessSync(parent, constants.W_OK);
    return { id: 'data-folder', status: 'ok', summary: `data folder ${dir} does not exist yet; it will be created in ${parent} (writable)` };
  } catch {
    return { id: 'data-folder', status: 'fail', summary: `the data folder ${dir} cannot be created: ${parent} is not writable` };
  }
}

async function checkDisk(dir: string, bytesLast24h: number | null): Promise<DoctorCheck> {
  const s = await statfs(nearestExisting(dir));
  const free = Number(s.bavail) * Number(s.bsize);
  const perDay = bytesLast24h && bytesLast24h > 0 ? bytesLast24h : null;
  const daysLeft = perDay ? free / perDay : null;
  const freeText = `${(free / 1e9).toFixed(1)} GB free`;
  const daysText = daysLeft === null ? 'days left unknown (no recording in the last 24 h)' : `about ${daysLeft.toFixed(daysLeft < 10 ? 1 : 0)} days left at ${(perDay! / 1e9).toFixed(2)} GB/day`;
  const details = { freeBytes: free, bytesPerDay: perDay, daysLeft };
  if (free < DOCTOR_DISK.failBelowBytes || (daysLeft !== null && daysLeft < DOCTOR_DISK.failBelowDays)) {
    return { id: 'disk', status: 'fail', summary: `disk almost full: ${freeText}, ${daysText}`, details };
  }
  if (free < DOCTOR_DISK.warnBelowBytes || (daysLeft !== null && daysLeft < DOCTOR_DISK.warnBelowDays)) {
    return { id: 'disk', status: 'warn', summary: `disk filling up: ${freeText}, ${daysText}`, details };
  }
  return { id: 'disk', status: 'ok', summary: `${freeText}, ${daysText}`, details };
}

/** Bind it the way the station does (127.0.0.1), then let it go. */
function checkPort(port: number): Promise<DoctorCheck> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      resolvePort({
        id: 'port',
        status: 'fail',
        summary: err.code === 'EADDRINUSE' ? `port ${port} is in use (a station already running, or another program): choose another with --port N` : `port ${port} cannot be used (${err.code ?? err.message})`,
      }),
    );
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort({ id: 'port', status: 'ok', summary: `port ${port} is free` })));
  });
}

/** Read-only: doctor never upgrades, repairs or locks the station's database. */
function checkDatabase(dataDir: string, file: string): { check: DoctorCheck; bytesLast24h: number | null } {
  // A lost database beside an earlier station's files: the station refuses to start, and says so here too.
  const lost = (): { check: DoctorCheck; bytesLast24h: null } | null => {
    const proofs = earlierLife(dataDir);
    return proofs.length ? { check: { id: 'database', status: 'fail', summary: lostDatabaseSentence(dataDir, proofs), details: { file, proofs } }, bytesLast24h: null } : null;
  };
  if (!existsSync(file) || statSync(file).size === 0) return lost() ?? { check: { id: 'database', status: 'ok', summary: `no database yet at ${file} (created at the first start)` }, bytesLast24h: null };
  const latest = migrations.at(-1)?.version ?? 0;
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      const refused = lost();
      if (refused) return refused;
    }
    const quick = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    let bytesLast24h: number | null = null;
    if (version >= 1) {
      const row = db.prepare('SELECT SUM(bytes) AS b FROM segments WHERE end_ms > ?').get(Date.now() - 24 * 3600_000) as { b: number | null };
      bytesLast24h = row.b;
    }
    const details = { file, schemaVersion: version, latestSchemaVersion: latest, quickCheck: quick, integrityCheck: integrity };
    const intact = quick.length === 1 && quick[0] === 'ok' && integrity.length === 1 && integrity[0] === 'ok';
    if (!intact) {
      return { check: { id: 'database', status: 'fail', summary: `the database ${file} is damaged (${[...new Set([...quick, ...integrity])].slice(0, 3).join('; ')}); stop the station and run \`packwitness recover --data ${dataDir}\` to set it aside and rebuild the index from the backups and the footage`, details }, bytesLast24h };
    }
    if (version > latest) {
      return { check: { id: 'database', status: 'fail', summary: `the database is at schema version ${version}, newer than this PackWitness (${latest}): update PackWitness`, details }, bytesLast24h };
    }
    if (version < latest) {
      return { check: { id: 'database', status: 'warn', summary: `database intact, schema version ${version} (upgraded to ${latest} at the next start)`, details }, bytesLast24h };
    }
    return { check: { id: 'database', status: 'ok', summary: `database intact (integrity_check and quick_check ok), schema version ${version}`, details }, bytesLast24h };
  } catch (err) {
    const sentence = unreadable(file, err);
    return { check: { id: 'database', status: 'fail', summary: sentence instanceof DatabaseUnreadableError ? sentence.message : `the database ${file} cannot be read: ${(err as Error).message}` }, bytesLast24h: null };
  } finally {
    db?.close();
  }
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d)) {
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return d;
}

const LABEL: Record<CheckStatus, string> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' };

export function formatDoctorReport(r: DoctorReport): string {
  const lines = r.checks.map((c) => `${LABEL[c.status]} ${c.id.padEnd(11)} ${c.summary}`);
  return `${lines.join('\n')}\n`;
}
