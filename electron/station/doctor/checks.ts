/**
 * `packwitness doctor`: everything a station needs, checked the way the station would use it, on
 * this PC, without starting it. Each check is one line: OK, WARN (works, but look) or FAIL (the
 * station will not record, or not for long). Nothing is changed except the encoder-test cache.
 *
 * Beside a running station it works too: a station holding the port and recording into
 * the data folder is reported as running (its pid), not as a port in use; the data folder and the
 * database are then only read, and the encoder-test cache the station keeps is left alone. The disk
 * forecast is the health page's own (health/health-report.ts `diskForecast`), so both give one number.
 */
import { accessSync, constants, existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { routes } from '../../../shared/api.js';
import { migrations } from '../catalog/migrations/index.js';
import { openSqlite, type Db } from '../catalog/sqlite.js';
import { DatabaseUnreadableError, unreadable } from '../catalog/database.js';
import { earlierLife, lostDatabaseSentence } from '../catalog/lost-database.js';
import { diskForecast, type DiskForecast } from '../health/health-report.js';
import { SettingsStore } from '../scans/settings-store.js';
import { lockHolder } from '../station-lock.js';
import { FFMPEG_MIN_CURRENT_RELEASE, locateFfmpeg, versionText, type FfmpegInfo } from '../ffmpeg/locate.js';
import { DOCTOR_DISK, DOCTOR_HEALTH_PROBE_MS } from '../limits.js';
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
  // A station recording into this folder now (its lock held by a live process): its files are in use.
  const stationPid = existsSync(dataDir) ? lockHolder(dataDir) : null;
  const checks: DoctorCheck[] = [];
  let ffmpeg: FfmpegInfo | null = null;
  try {
    ffmpeg = await locateFfmpeg(opts.ffmpegPath);
    checks.push(ffmpegCheck(ffmpeg));
  } catch (err) {
    checks.push({ id: 'ffmpeg', status: 'fail', summary: (err as Error).message });
  }
  const dataFolder = checkDataFolder(dataDir, stationPid);
  checks.push(dataFolder);
  if (ffmpeg) {
    // The running station keeps that cache (it marks an encoder that failed at start): not rewritten under it.
    checks.push(await checkEncoders(ffmpeg, dataFolder.status === 'ok' && existsSync(dataDir) && stationPid === null ? dataDir : null));
    checks.push(await checkCameras(ffmpeg));
  } else {
    checks.push({ id: 'encoders', status: 'fail', summary: 'H.264 encoders not checked: ffmpeg was not found' });
    checks.push({ id: 'cameras', status: 'warn', summary: 'cameras not checked: ffmpeg was not found' });
  }
  const dbFile = join(dataDir, opts.dbName ?? DB_FILE);
  const db = await checkDatabase(dataDir, dbFile, nearestExisting(dataDir), stationPid);
  checks.push(checkDisk(db.disk));
  checks.push(await checkPort(opts.port, dataDir, stationPid));
  checks.push(db.check);
  const order: DoctorCheck['id'][] = ['ffmpeg', 'encoders', 'cameras', 'data-folder', 'disk', 'port', 'database'];
  checks.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const problems = checks.filter((c) => c.status === 'fail').map((c) => c.summary);
  return { ok: problems.length === 0, checks, problems };
}

/**
 * The ffmpeg in use, and a warning when it is older than FFMPEG_MIN_CURRENT_RELEASE: its decoders
 * read what cameras and files send, and old ones have known vulnerabilities; hardware-encoder drivers
 * expect newer APIs. A release it cannot tell (an unknown libavformat) is warned about too.
 */
export function ffmpegCheck(ffmpeg: FfmpegInfo): DoctorCheck {
  const found = `ffmpeg ${versionText(ffmpeg)} (release ${ffmpeg.major || '?'}) found, ${ffmpeg.source === 'system' ? 'on the PATH' : ffmpeg.source}: ${ffmpeg.path}`;
  const details = { ...ffmpeg };
  if (ffmpeg.major >= FFMPEG_MIN_CURRENT_RELEASE) return { id: 'ffmpeg', status: 'ok', summary: found, details };
  const age = ffmpeg.major ? `older than ${FFMPEG_MIN_CURRENT_RELEASE}.0` : `of an unknown release (maybe older than ${FFMPEG_MIN_CURRENT_RELEASE}.0)`;
  return {
    id: 'ffmpeg',
    status: 'warn',
    summary: `${found}; it is ${age}: old decoders have known vulnerabilities. Install a current ffmpeg (one on the PATH is used when it is newer) or pass --ffmpeg PATH`,
    details,
  };
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

/**
 * Writable now, or creatable (its nearest existing parent is writable): the station creates it at
 * start. Proven by writing a file, except under a running station, whose folder is only asked.
 */
function checkDataFolder(dir: string, stationPid: number | null): DoctorCheck {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { id: 'data-folder', status: 'fail', summary: `the data folder ${dir} is a file, not a folder` };
    if (stationPid !== null) {
      try {
        accessSync(dir, constants.W_OK);
        return { id: 'data-folder', status: 'ok', summary: `data folder ${dir} is in use by the running station (pid ${stationPid}) and writable`, details: { stationPid } };
      } catch (err) {
        return { id: 'data-folder', status: 'fail', summary: `the data folder ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`, details: { stationPid } };
      }
    }
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

/**
 * Free space and days left, as the health page says them (the same function, the same inputs): days
 * until retention's free-space floor at the recording rate of the last 24 h (or of all footage when
 * younger). FAIL only when the disk itself is nearly full (recording stops below its hard floor);
 * reaching retention's floor means old footage is deleted, which is worth a WARN.
 */
function checkDisk(d: DiskForecast): DoctorCheck {
  const gb = (b: number): string => (b / 1e9).toFixed(1);
  const freeText = `${gb(d.freeBytes)} GB free`;
  const perDay = d.rate.bytesPerDay;
  const fc = d.forecast;
  // Whole days, as the health page shows them (Math.floor there too).
  const days = fc.state === 'days' ? Math.floor(fc.daysLeft) : null;
  const rateText = perDay === null ? '' : ` at ${(perDay / 1e9).toFixed(2)} GB/day (${d.rate.basis === 'last-24h' ? 'last 24 h' : 'all footage so far'})`;
  const daysText =
    fc.state === 'not-enough-data'
      ? 'days left unknown (less than an hour of recording)'
      : fc.state === 'nothing-recorded'
        ? 'nothing recorded in the last 24 h'
        : fc.state === 'at-floor'
          ? `at retention's free-space limit (${gb(d.floorBytes)} GB): the oldest footage is being deleted`
          : `about ${days} days left${rateText} before retention's free-space limit (${gb(d.floorBytes)} GB)`;
  const details = { freeBytes: d.freeBytes, totalBytes: d.totalBytes, floorBytes: d.floorBytes, bytesPerDay: perDay, basis: d.rate.basis, windowMs: d.rate.windowMs, state: fc.state, daysLeft: fc.daysLeft };
  if (d.freeBytes < DOCTOR_DISK.failBelowBytes) return { id: 'disk', status: 'fail', summary: `disk almost full: ${freeText}, ${daysText}`, details };
  if (d.freeBytes < DOCTOR_DISK.warnBelowBytes || fc.state === 'at-floor' || (fc.daysLeft !== null && fc.daysLeft < DOCTOR_DISK.warnBelowDays)) {
    return { id: 'disk', status: 'warn', summary: `disk filling up: ${freeText}, ${daysText}`, details };
  }
  return { id: 'disk', status: 'ok', summary: `${freeText}, ${daysText}`, details };
}

/**
 * Bind it the way the station does (127.0.0.1), then let it go. In use: a PackWitness station answers
 * `GET /api/health` with `{"ok":true}`; when it is the one recording into this data folder (its lock
 * held), that is the station doctor is checking, running: OK with its pid.
 */
async function checkPort(port: number, dataDir: string, stationPid: number | null): Promise<DoctorCheck> {
  const bound = await new Promise<NodeJS.ErrnoException | null>((resolvePort) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolvePort(err));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(null)));
  });
  if (!bound) return { id: 'port', status: 'ok', summary: `port ${port} is free` };
  if (bound.code !== 'EADDRINUSE') return { id: 'port', status: 'fail', summary: `port ${port} cannot be used (${bound.code ?? bound.message})` };
  if (await isPackWitnessStation(port)) {
    if (stationPid !== null) {
      return { id: 'port', status: 'ok', summary: `a station is running on port ${port} (pid ${stationPid}), recording into ${dataDir}`, details: { stationPid, station: 'running' } };
    }
    return { id: 'port', status: 'fail', summary: `port ${port} is used by another PackWitness station (not one recording into ${dataDir}): stop it, or choose another with --port N`, details: { station: 'other' } };
  }
  return { id: 'port', status: 'fail', summary: `port ${port} is in use (a station already running, or another program): choose another with --port N` };
}

/** Whatever holds the port answers the station's public health check as a station does. */
async function isPackWitnessStation(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${routes.health}`, { signal: AbortSignal.timeout(DOCTOR_HEALTH_PROBE_MS), redirect: 'error' });
    if (res.status !== 200) return false;
    const body = (await res.json()) as unknown;
    return typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true && Object.keys(body).length === 1;
  } catch {
    return false;
  }
}

/**
 * Read-only: doctor never upgrades, repairs or locks the station's database, so it works beside a
 * running station (SQLite's WAL lets a reader in). The disk forecast is read on the same connection.
 */
async function checkDatabase(dataDir: string, file: string, diskDir: string, stationPid: number | null): Promise<{ check: DoctorCheck; disk: DiskForecast }> {
  const noDatabase = async (check: DoctorCheck): Promise<{ check: DoctorCheck; disk: DiskForecast }> => ({ check, disk: await diskForecast(null, diskDir, null) });
  // A lost database beside an earlier station's files: the station refuses to start, and says so here too.
  const lost = (): DoctorCheck | null => {
    const proofs = earlierLife(dataDir);
    return proofs.length ? { id: 'database', status: 'fail', summary: lostDatabaseSentence(dataDir, proofs), details: { file, proofs } } : null;
  };
  if (!existsSync(file) || statSync(file).size === 0) return noDatabase(lost() ?? { id: 'database', status: 'ok', summary: `no database yet at ${file} (created at the first start)` });
  const latest = migrations.at(-1)?.version ?? 0;
  const running = stationPid === null ? '' : ` (read while the station, pid ${stationPid}, runs)`;
  let db: Db | null = null;
  let disk: DiskForecast | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      const refused = lost();
      if (refused) return noDatabase(refused);
    }
    const quick = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const details = { file, schemaVersion: version, latestSchemaVersion: latest, quickCheck: quick, integrityCheck: integrity };
    const intact = quick.length === 1 && quick[0] === 'ok' && integrity.length === 1 && integrity[0] === 'ok';
    // The health page's numbers need its tables (segments, runs, settings): a database from before them has no rate yet.
    disk = intact && version >= 1 ? await diskForecast(db, diskDir, new SettingsStore(db)).catch(() => null) : null;
    disk ??= await diskForecast(null, diskDir, null);
    if (!intact) {
      return {
        check: { id: 'database', status: 'fail', summary: `the database ${file} is damaged (${[...new Set([...quick, ...integrity])].slice(0, 3).join('; ')}); stop the station and run \`packwitness recover --data ${dataDir}\` to set it aside and rebuild the index from the backups and the footage`, details },
        disk,
      };
    }
    if (version > latest) {
      return { check: { id: 'database', status: 'fail', summary: `the database is at schema version ${version}, newer than this PackWitness (${latest}): update PackWitness`, details }, disk };
    }
    if (version < latest) {
      return { check: { id: 'database', status: 'warn', summary: `database intact, schema version ${version} (upgraded to ${latest} at the next start)${running}`, details }, disk };
    }
    return { check: { id: 'database', status: 'ok', summary: `database intact (integrity_check and quick_check ok), schema version ${version}${running}`, details }, disk };
  } catch (err) {
    const sentence = unreadable(file, err);
    const check: DoctorCheck = { id: 'database', status: 'fail', summary: sentence instanceof DatabaseUnreadableError ? sentence.message : `the database ${file} cannot be read: ${(err as Error).message}` };
    return disk ? { check, disk } : noDatabase(check);
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
