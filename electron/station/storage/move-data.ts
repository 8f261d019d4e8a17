/**
 * Moving a station's data folder (database, footage, keys) to another disk or folder, without ever
 * having fewer than one good copy of anything.
 *
 * Every path the index stores is relative to the data folder, so the whole folder moves as one.
 * Order, and why:
 *   1. Refuse what cannot end well (a station running on it, one folder inside the other, a non-empty
 *      or unwritable target, too little space), each with one sentence, before touching anything.
 *   2. Hold the folder's station lock for the whole move, so no station starts on it half-way.
 *   3. Copy each file, then read the copy back and compare its SHA-256 with the source's (segment
 *      files also with the SHA-256 their index row recorded when they were cut). Modes (read-only
 *      segments, the 0600 key) and modification times are kept.
 *   4. Only when every copy verified: write `MOVED-TO.json` in the old folder (atomically), so a
 *      station started on the old path finds the new one (data-dir.ts follows it, one hop).
 *   5. Delete the source files and their empty folders.
 * A crash in 1-3 leaves the source untouched and a marker in the target: a re-run resumes (copies
 * that verify are kept, others redone). A crash in 5 leaves the pointer: a re-run finishes deleting.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants as fsConstants, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { appendFile, chmod, open, readdir, rename, rmdir, stat, statfs, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256File } from '../catalog/hash.js';
import { openSqlite } from '../catalog/sqlite.js';
import { unreadable } from '../catalog/database.js';
import { msg, LocalizedError } from '../localized-error.js';
import { log } from '../log.js';
import { acquireLock, StationLockedError } from '../station-lock.js';

export const POINTER_FILE = 'MOVED-TO.json';
/** In the target while a move is under way: what makes a non-empty target resumable instead of refused. */
export const MOVE_MARKER = '.packwitness-move.json';
/**
 * In the target, after a pre-copy: one JSON line per sealed file copied and verified while the station
 * recorded ({rel, size, mtimeMs, sha256}), so the move proper trusts those copies instead of reading
 * them again while recording is paused.
 */
export const PRECOPY_MANIFEST = '.packwitness-precopied.jsonl';
/** Space kept spare on the target beyond the files' bytes (file system overhead, the database growing). */
export const MOVE_SPACE_MARGIN_BYTES = 64 * 1024 * 1024;
/**
 * Never copied: the lock is this process's, the probe files another process's scratch, and SQLite's
 * -wal/-shm are folded into the database before the copy (openIndex).
 */
const SKIP = new Set(['station.lock', POINTER_FILE, MOVE_MARKER, PRECOPY_MANIFEST, 'packwitness.db-wal', 'packwitness.db-shm', ...disposable()]);
/**
 * Not copied but deleted with the sources: the disk reserve is 64 MB of zeros the station writes again
 * at its next start (storage/disk-reserve.ts); copying it would only lengthen the pause.
 */
function disposable(): string[] {
  return ['disk-reserve.bin', 'disk-reserve.bin.partial'];
}

export class MoveDataError extends LocalizedError {
  override name = 'MoveDataError';
}

export interface MoveProgress {
  phase: 'precopy' | 'copy' | 'delete';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Relative to the data folder, forward slashes. */
  file: string;
}

export interface MoveReport {
  from: string;
  to: string;
  files: number;
  bytes: number;
  /** Copies kept from an interrupted earlier run (verified again, not copied again). */
  resumedFiles: number;
  /** Sealed files copied and verified by precopySealedFiles while the station recorded, unchanged since: not read again. */
  precopiedFiles: number;
  /** Segment files whose copy matched the SHA-256 in their index row. */
  segmentsMatchingIndex: number;
  /**
   * Segment files whose bytes (source and copy alike) no longer match their index row: damaged on
   * disk before the move. Moved as they are (the move neither caused nor can repair it) and logged.
   */
  segmentsNotMatchingIndex: string[];
}

export interface MoveOptions {
  onProgress?: (p: MoveProgress) => void;
  /**
   * Called between a file's copy and its verification. For tests only: the one honest way to make a
   * copy differ from its source on purpose.
   */
  afterCopyForTest?: (copyPath: string, rel: string) => Promise<void> | void;
  /** precopySealedFiles only: stop between files (the station is shutting down); rejects with the signal's reason. */
  signal?: AbortSignal;
}

interface Pointer {
  movedTo: string;
  movedAt: string;
  from: string;
}

interface SourceFile {
  rel: string;
  abs: string;
  size: number;
  mode: number;
  atime: Date;
  mtime: Date;
}

export async function moveDataFolder(fromArg: string, toArg: string, opts: MoveOptions = {}): Promise<MoveReport> {
  const from = resolve(fromArg);
  const to = resolve(toArg);
  if (!existsSync(from)) throw new MoveDataError(msg('moveData.noDataFolder', { from }));

  const existingPointer = readPointer(from);
  if (existingPointer && resolve(existingPointer.movedTo) !== to) {
    throw new MoveDataError(msg('moveData.alreadyMoved', { from, movedTo: existingPointer.movedTo }));
  }
  checkNotNested(from, to);

  let release: () => void;
  try {
    release = acquireLock(from);
  } catch (err) {
    if (err instanceof StationLockedError) {
      throw new MoveDataError(msg('moveData.stationRunning', { from }));
    }
    throw err;
  }
  try {
    if (existingPointer) return await finishDeleting(from, to, opts);
    requireDataFolder(from);

    const indexed = openIndex(from);
    let files: SourceFile[];
    let report: MoveReport;
    try {
      files = await listFiles(from);
      const bytesTotal = files.reduce((s, f) => s + f.size, 0);
      const resuming = await claimTarget(from, to, files);
      const precopied = resuming ? readPrecopyManifest(to) : new Map<string, PrecopiedFile>();
      log.info(resuming ? 'resuming a data folder move' : 'moving the data folder', { from, to, files: files.length, bytes: bytesTotal, precopied: precopied.size });
      report = await copyAll(files, to, indexed.lookup, precopied, opts);
      await dropOrphanCopies(files, to, precopied);
      report.from = from;
      report.to = to;
    } finally {
      indexed.close();
    }

    // Every copy verified: from here on the new folder is the data folder.
    const pointer: Pointer = { movedTo: to, movedAt: new Date().toISOString(), from };
    await writeFileAtomic(join(from, POINTER_FILE), JSON.stringify(pointer, null, 2) + '\n');
    await unlink(join(to, PRECOPY_MANIFEST)).catch(() => undefined);
    await unlink(join(to, MOVE_MARKER));
    await deleteSources(from, files, opts);
    log.info('data folder moved', { from, to, files: report.files, bytes: report.bytes });
    return report;
  } finally {
    release();
  }
}

// ---- Pre-copy while the station records ----
interface PrecopiedFile {
  rel: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface PrecopyReport {
  /** Sealed files in the folder, and their bytes. */
  files: number;
  bytes: number;
  /** Of those, copied by this pass (the others were listed already). */
  copiedFiles: number;
  copiedBytes: number;
}

/** A pass that copied less than this leaves so little for the paused step that another pass is not worth it. */
export const PRECOPY_SETTLED_BYTES = 64 * 1024 * 1024;
export const PRECOPY_MAX_PASSES = 4;

/**
 * Pre-copy passes until one copies little: a first pass over months of footage takes hours, and what
 * the station recorded meanwhile would otherwise all be copied with recording paused; the next pass
 * copies just that, in minutes, and so on (at most PRECOPY_MAX_PASSES).
 */
export async function precopyUntilSettled(
  from: string,
  to: string,
  opts: MoveOptions & { onPass?: (pass: PrecopyReport & { pass: number; seconds: number }) => Promise<void> | void; settledBytes?: number } = {},
): Promise<PrecopyReport & { passes: number }> {
  for (let pass = 1; ; pass++) {
    const t = performance.now();
    const r = await precopySealedFiles(from, to, opts);
    await opts.onPass?.({ ...r, pass, seconds: (performance.now() - t) / 1000 });
    if (r.copiedBytes < (opts.settledBytes ?? PRECOPY_SETTLED_BYTES) || pass === PRECOPY_MAX_PASSES) return { ...r, passes: pass };
  }
}

/**
 * The bulk of a move, done while the station still records: every sealed file (read-only: segments
 * and clip videos once hashed, which nothing writes again) is copied, read back and compared, and
 * listed in the target's PRECOPY_MANIFEST. moveDataFolder, run after the station stops, then copies
 * only what is not sealed or came since (the database, the newest segments) and trusts a listed copy
 * whose source still has the size and modification time it had, so recording pauses for seconds, not
 * for the hours a big folder takes to copy. The trust is bounded: the copy was verified when made,
 * it sits in the target under the move's marker, and the station's background scrub re-hashes every
 * segment against its index row afterwards.
 *
 * Retention may delete a source meanwhile: it is skipped, and moveDataFolder removes its copy.
 * Resumable like the move (a listed copy is not made again); refused like it (same sentences).
 */
export async function precopySealedFiles(fromArg: string, toArg: string, opts: MoveOptions = {}): Promise<PrecopyReport> {
  const from = resolve(fromArg);
  const to = resolve(toArg);
  requireDataFolder(from);
  checkNotNested(from, to);
  const all = await listFiles(from);
  await claimTarget(from, to, all);
  const done = readPrecopyManifest(to);
  const sealed = all.filter((f) => (f.mode & 0o222) === 0);
  const bytesTotal = sealed.reduce((n, f) => n + f.size, 0);
  let bytesDone = 0;
  let copied = 0;
  let copiedBytes = 0;
  // The totals at once: a big folder's first file can take a while.
  opts.onProgress?.({ phase: 'precopy', filesDone: 0, filesTotal: sealed.length, bytesDone, bytesTotal, file: '' });
  for (const [i, f] of sealed.entries()) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const dest = join(to, ...f.rel.split('/'));
    if (!(await trustedCopy(f, dest, done.get(f.rel)))) {
      let sha256: string;
      try {
        sha256 = (await copyVerified(f, dest, opts)).sha256;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || existsSync(f.abs)) throw err;
        await unlink(dest).catch(() => undefined); // retention deleted the source meanwhile
        continue;
      }
      const entry: PrecopiedFile = { rel: f.rel, size: f.size, mtimeMs: f.mtime.getTime(), sha256 };
      await appendFile(join(to, PRECOPY_MANIFEST), JSON.stringify(entry) + '\n');
      copied++;
      copiedBytes += f.size;
    }
    bytesDone += f.size;
    opts.onProgress?.({ phase: 'precopy', filesDone: i + 1, filesTotal: sealed.length, bytesDone, bytesTotal, file: f.rel });
  }
  log.info('sealed files copied ahead of the data folder move', { from, to, files: sealed.length, copied, bytes: bytesTotal });
  return { files: sealed.length, bytes: bytesTotal, copiedFiles: copied, copiedBytes };
}

function readPrecopyManifest(to: string): Map<string, PrecopiedFile> {
  const out = new Map<string, PrecopiedFile>();
  let text: string;
  try {
    text = readFileSync(join(to, PRECOPY_MANIFEST), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as PrecopiedFile;
      if (typeof e.rel === 'string' && typeof e.sha256 === 'string' && Number.isFinite(e.size) && Number.isFinite(e.mtimeMs)) out.set(e.rel, e);
    } catch {
      /* a line cut short by a crash (or the empty last one): that file is simply copied again */
    }
  }
  return out;
}

/** The listed SHA-256 when a pre-copied file can be trusted as it is: source unchanged in size and time, copy in size. */
async function trustedCopy(f: SourceFile, dest: string, listed: PrecopiedFile | undefined): Promise<string | null> {
  if (!listed || listed.size !== f.size || listed.mtimeMs !== f.mtime.getTime()) return null;
  const copy = await stat(dest).catch(() => null);
  return copy && copy.size === f.size ? listed.sha256 : null;
}

/** Copies made ahead of a move whose source retention has deleted since: nothing refers to them. */
async function dropOrphanCopies(files: SourceFile[], to: string, precopied: Map<string, PrecopiedFile>): Promise<void> {
  const present = new Set(files.map((f) => f.rel));
  for (const rel of precopied.keys()) {
    if (present.has(rel)) continue;
    const dest = join(to, ...rel.split('/'));
    await chmod(dest, 0o600).catch(() => undefined);
    await unlink(dest).catch(() => undefined);
  }
}
// ---- end pre-copy ----

async function copyAll(files: SourceFile[], to: string, indexedSha: (rel: string) => string | null, precopied: Map<string, PrecopiedFile>, opts: MoveOptions): Promise<MoveReport> {
  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  const report: MoveReport = { from: '', to, files: files.length, bytes: bytesTotal, resumedFiles: 0, precopiedFiles: 0, segmentsMatchingIndex: 0, segmentsNotMatchingIndex: [] };
  let bytesDone = 0;
  for (const [i, f] of files.entries()) {
    const dest = join(to, ...f.rel.split('/'));
    const trusted = await trustedCopy(f, dest, precopied.get(f.rel));
    const { sha256, resumed } = trusted ? { sha256: trusted, resumed: false } : await copyVerified(f, dest, opts);
    if (trusted) report.precopiedFiles++;
    if (resumed) report.resumedFiles++;
    const recorded = indexedSha(f.rel);
    if (recorded !== null) {
      if (recorded === sha256) report.segmentsMatchingIndex++;
      else {
        report.segmentsNotMatchingIndex.push(f.rel);
        log.warn('a segment no longer matches the hash it was indexed with; moved as it is', { file: f.rel });
      }
    }
    bytesDone += f.size;
    opts.onProgress?.({ phase: 'copy', filesDone: i + 1, filesTotal: files.length, bytesDone, bytesTotal, file: f.rel });
  }
  return report;
}

/** The SHA-256 of a copy and of its source must agree; a differing pair is the one failure that stops a move. */
export async function verifyCopy(source: string, copy: string): Promise<string> {
  const [a, b] = await Promise.all([sha256File(source), sha256File(copy)]);
  if (a !== b) {
    throw new MoveDataError(
      msg('moveData.copyDoesNotMatch', { copy, source, b: b.slice(0, 12), a: a.slice(0, 12) }),
    );
  }
  return a;
}

function readPointer(dir: string): Pointer | null {
  const file = join(dir, POINTER_FILE);
  if (!existsSync(file)) return null;
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Pointer;
    if (typeof p.movedTo !== 'string' || !isAbsolute(p.movedTo)) throw new Error('no absolute movedTo');
    return p;
  } catch (err) {
    throw new MoveDataError(msg('moveData.fileUnreadable', { file, message: (err as Error).message }));
  }
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended (the target may not exist yet). */
function realish(p: string): string {
  let head = p;
  const tail: string[] = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    tail.unshift(head.slice(up.length).replace(/^[\\/]/, ''));
    head = up;
  }
  return join(realpathSync(head), ...tail);
}

function inside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r) && r.split(sep)[0] !== '..');
}

function checkNotNested(from: string, to: string): void {
  const f = realish(from);
  const t = realish(to);
  if (f === t) throw new MoveDataError(msg('moveData.sameFolder', { from }));
  if (inside(t, f)) throw new MoveDataError(msg('moveData.newFolderInsideCurrent', { to, from }));
  if (inside(f, t)) throw new MoveDataError(msg('moveData.currentInsideNewFolder', { from, to }));
}

// ---- Storage folder move from the settings ----
/**
 * What can be checked while a station still runs on `from`, with the same sentences moveDataFolder
 * refuses with: a full path, not nested, new or empty (or an interrupted move of this folder), writable,
 * enough free space. Leaves no trace: a folder it had to create to prove it writable is removed again.
 * The footage grows between this check and the move; MOVE_SPACE_MARGIN_BYTES covers minutes of it.
 */
export async function checkMoveTarget(fromArg: string, to: string): Promise<void> {
  if (!isAbsolute(to)) throw new MoveDataError(msg('moveData.newFolderNotAbsolute', { to }));
  const from = resolve(fromArg);
  to = resolve(to);
  checkNotNested(from, to);
  const existing = await checkTargetPlace(to);
  if (existing === to) {
    targetHoldsResumableMove(from, to);
    proveWritable(to);
  } else {
    const created = makeTarget(to, existing);
    try {
      proveWritable(to);
    } finally {
      rmSync(created, { recursive: true, force: true });
    }
  }
  const files = await listFiles(from);
  await checkSpace(existing, files.reduce((n, f) => n + f.size, 0), to);
}

function nearestExisting(p: string): string {
  let head = p;
  while (!existsSync(head) && dirname(head) !== head) head = dirname(head);
  return head;
}

/**
 * Where a data folder must never go: the kernel's and the system's own folders. They are not disks,
 * and some are worse than useless: Node's recursive mkdir of `/proc/self/x` never returns (mkdir
 * says ENOENT, the parent exists, it tries again, forever), and it is synchronous, so the station
 * stopped answering and recording with it. Checked on the target's real location (a
 * link into /proc is /proc), by path and, on Linux, by the file system's type.
 */
const SYSTEM_FOLDERS = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev'];

/** Linux statfs f_type of pseudo file systems (linux/magic.h): what the kernel shows as files, not storage. */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x1cd1, 'devpts'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'], [0x62656570, 'configfs'], [0xde5e81e4, 'efivarfs'], [0xf97cff8c, 'selinuxfs'],
  [0x19800202, 'mqueue'], [0x42494e4d, 'binfmt_misc'], [0x6e736673, 'nsfs'], [0x65735543, 'fusectl'],
  [0x958458f6, 'hugetlbfs'], [0x187, 'autofs'],
]);

/** Windows device names, which are devices in every folder (`D:\\x\\NUL` is the null device), and the device namespace. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * Checks where `to` would be, creating nothing: it must be on a disk, and its nearest existing folder
 * must be a writable folder. Returns that folder (`to` itself when it exists). Each refusal is one
 * sentence (MoveDataError).
 */
async function checkTargetPlace(to: string): Promise<string> {
  if (process.platform === 'win32') {
    const device = /^[\\/]{2}[.?][\\/]/.test(to) ? to.slice(0, 4) : to.split(/[\\/]/).find((part) => WINDOWS_DEVICE.test(part.trim()));
    if (device) throw new MoveDataError(msg('moveData.newFolderIsDevice', { to, device }));
  }
  const existing = nearestExisting(to);
  let real: string;
  try {
    if (!statSync(existing).isDirectory()) {
      if (existing === to) throw notAFolder(to);
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    }
    real = realpathSync(existing);
  } catch (err) {
    if (err instanceof MoveDataError) throw err;
    throw notWritable(to, err);
  }
  const system = SYSTEM_FOLDERS.find((root) => real === root || real.startsWith(`${root}/`)) ?? (await pseudoFileSystem(real));
  if (system) {
    throw new MoveDataError(
      msg('moveData.newFolderOnSystemFs', { to, system }),
    );
  }
  try {
    accessSync(existing, fsConstants.W_OK);
  } catch (err) {
    throw notWritable(to, err);
  }
  return existing;
}

async function pseudoFileSystem(real: string): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const type = await statfs(real).then((s) => s.type, () => null);
  return type === null ? null : (PSEUDO_FILE_SYSTEMS.get(type) ?? null);
}

/**
 * Makes `to` below `existing` (checked by checkTargetPlace) one folder at a time: never a recursive
 * mkdir, which can loop forever (see SYSTEM_FOLDERS). Returns the first folder it made, which holds
 * all the others; on a failure nothing it made is left.
 */
function makeTarget(to: string, existing: string): string {
  let dir = existing;
  let first: string | undefined;
  for (const part of relative(existing, to).split(sep).filter(Boolean)) {
    dir = join(dir, part);
    try {
      mkdirSync(dir);
    } catch (err) {
      if (first) rmSync(first, { recursive: true, force: true });
      throw notWritable(to, err);
    }
    first ??= dir;
  }
  if (!first) throw notWritable(to, Object.assign(new Error('exists'), { code: 'EEXIST' }));
  return first;
}

function notAFolder(to: string): MoveDataError {
  return new MoveDataError(msg('moveData.newFolderNotReadable', { to }));
}

function notWritable(to: string, err: unknown): MoveDataError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new MoveDataError(msg('moveData.newFolderNotWritable', { to, code }));
}

function proveWritable(to: string): void {
  try {
    const probe = join(to, `.write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
  } catch (err) {
    throw notWritable(to, err);
  }
}

/** For an existing target: false when empty, true when it holds an interrupted move from `from`; anything else is refused. */
function targetHoldsResumableMove(from: string, to: string): boolean {
  const marker = join(to, MOVE_MARKER);
  let entries: string[];
  try {
    entries = readdirSync(to);
  } catch {
    throw notAFolder(to);
  }
  if (entries.length === 0) return false;
  let markerFrom: unknown;
  try {
    markerFrom = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { from?: unknown }).from : undefined;
  } catch {
    markerFrom = undefined; // an unreadable marker proves nothing: treat the folder as someone else's
  }
  if (markerFrom !== from) throw new MoveDataError(msg('moveData.newFolderNotEmpty', { to }));
  return true;
}
// ---- end storage folder move from the settings ----

function requireDataFolder(from: string): void {
  if (!existsSync(join(from, 'packwitness.db'))) throw new MoveDataError(msg('moveData.notPackWitnessDataFolder', { from }));
}

/**
 * Takes the target for moving `files` of `from`: creates it (or accepts an interrupted move of this
 * folder), proves it writable, checks the space still needed and marks it as this move's. A refused
 * target this created is removed again. True when it held an interrupted move (or a pre-copy).
 */
async function claimTarget(from: string, to: string, files: SourceFile[]): Promise<boolean> {
  const existed = existsSync(to);
  const resuming = await prepareTarget(from, to);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  try {
    await checkSpace(to, resuming ? bytes - (await bytesAlreadyThere(to, files)) : bytes);
  } catch (err) {
    if (!existed) await rmdir(to).catch(() => undefined); // leave no trace of a refused move
    throw err;
  }
  if (!resuming) await writeFile(join(to, MOVE_MARKER), JSON.stringify({ from, startedAt: new Date().toISOString() }) + '\n');
  return resuming;
}

/** Creates the target if needed and proves it writable; returns true when it holds an interrupted move from `from`. */
async function prepareTarget(from: string, to: string): Promise<boolean> {
  const existing = await checkTargetPlace(to);
  const resuming = existing === to ? targetHoldsResumableMove(from, to) : false;
  if (existing !== to) makeTarget(to, existing);
  proveWritable(to);
  return resuming;
}

async function checkSpace(to: string, needed: number, shownAs = to): Promise<void> {
  const s = await statfs(to);
  const free = Number(s.bavail) * Number(s.bsize);
  if (free < needed + MOVE_SPACE_MARGIN_BYTES) {
    const [need, spare, have] = [mb(needed + MOVE_SPACE_MARGIN_BYTES), mb(MOVE_SPACE_MARGIN_BYTES), mb(free)];
    throw new MoveDataError(
      msg('moveData.notEnoughFreeSpace', { shownAs, need, spare, have }),
    );
  }
}

const mb = (n: number) => Math.ceil(n / 1e6);

async function bytesAlreadyThere(to: string, files: SourceFile[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    const s = await stat(join(to, ...f.rel.split('/'))).catch(() => null);
    if (s && s.size === f.size) n += f.size;
  }
  return n;
}

async function listFiles(root: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (dir: string, relDir: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = join(dir, e.name);
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(abs, rel);
      else if (e.isFile()) {
        if (!relDir && (SKIP.has(e.name) || e.name.startsWith('.write-test-'))) continue;
        const s = await stat(abs);
        out.push({ rel, abs, size: s.size, mode: s.mode & 0o777, atime: s.atime, mtime: s.mtime });
      } else {
        throw new MoveDataError(msg('moveData.neitherFileNorFolder', { abs }));
      }
    }
  };
  await walk(root, '');
  return out;
}

/**
 * The index, open for the whole copy, for each segment's hash as indexed (one lookup per file: the
 * path has a unique key; a map of a year's segments would take hundreds of MB).
 *
 * Opened read-write (no station can hold it: the lock is ours) and checkpointed first, so the whole
 * database is in packwitness.db and the -wal/-shm files are SQLite's scratch, not copied; a WAL a
 * crashed station left is folded in here rather than carried along. The connection closing at the
 * end removes them. Not `openDatabase`: a move must not migrate the database.
 */
function openIndex(dataDir: string): { lookup: (rel: string) => string | null; close: () => void } {
  const db = openSqlite(join(dataDir, 'packwitness.db'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (cp && cp.busy) throw new MoveDataError(msg('moveData.databaseInUse', { dataDir }));
  } catch (err) {
    db.close();
    // A damaged index is one sentence naming recover, not SQLite's stack.
    throw unreadable(join(dataDir, 'packwitness.db'), err);
  }
  const q = db.prepare('SELECT sha256 FROM segments WHERE file = ?');
  return {
    lookup: (rel) => (rel.startsWith('runs/') ? ((q.get(rel) as { sha256: string } | undefined)?.sha256 ?? null) : null),
    close: () => db.close(),
  };
}

/** Copies one file (unless a verified copy is already there) and returns its SHA-256 once the copy read back equal. */
async function copyVerified(f: SourceFile, dest: string, opts: MoveOptions): Promise<{ sha256: string; resumed: boolean }> {
  const existing = await stat(dest).catch(() => null);
  if (existing) {
    if (existing.size === f.size) {
      const [a, b] = await Promise.all([sha256File(f.abs), sha256File(dest)]);
      if (a === b) return { sha256: a, resumed: true };
    }
    await chmod(dest, 0o600);
    await unlink(dest);
  }
  mkdirSync(dirname(dest), { recursive: true });
  // The source is hashed as it is copied (one read); the copy is read back from disk after fsync.
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(f.abs), tee, createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
  const fh = await open(dest, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  const sourceSha = hash.digest('hex');
  await opts.afterCopyForTest?.(dest, f.rel);
  const copySha = await sha256File(dest);
  if (copySha !== sourceSha) {
    throw new MoveDataError(
      msg('moveData.copiedFileMismatch', { rel: f.rel, copySha: copySha.slice(0, 12), sourceSha: sourceSha.slice(0, 12) }),
    );
  }
  await utimes(dest, f.atime, f.mtime);
  await chmod(dest, f.mode);
  return { sha256: sourceSha, resumed: false };
}

async function deleteSources(from: string, files: SourceFile[], opts: MoveOptions): Promise<void> {
  let bytesDone = 0;
  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  for (const [i, f] of files.entries()) {
    // Windows refuses to delete a read-only file; POSIX does not care.
    await chmod(f.abs, 0o600).catch(() => undefined);
    await unlink(f.abs).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    bytesDone += f.size;
    opts.onProgress?.({ phase: 'delete', filesDone: i + 1, filesTotal: files.length, bytesDone, bytesTotal, file: f.rel });
  }
  for (const name of disposable()) await unlink(join(from, name)).catch(() => undefined);
  await pruneEmptyFolders(from);
}

/** Every empty folder under root, deepest first (also those an interrupted run emptied); one someone put a file into stays. */
async function pruneEmptyFolders(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) {
        await walk(join(dir, e.name));
        await rmdir(join(dir, e.name)).catch(() => undefined);
      }
    }
  };
  await walk(root);
}

/** A crash after the pointer was written: the new folder is complete; delete what is left of the old one, copy by verified copy. */
async function finishDeleting(from: string, to: string, opts: MoveOptions): Promise<MoveReport> {
  await unlink(join(to, PRECOPY_MANIFEST)).catch(() => undefined);
  if (existsSync(join(to, MOVE_MARKER))) await unlink(join(to, MOVE_MARKER));
  const files = await listFiles(from);
  for (const f of files) {
    const copy = join(to, ...f.rel.split('/'));
    if (!existsSync(copy)) throw new MoveDataError(msg('moveData.fileNotCopied', { rel: f.rel, from, to }));
    await verifyCopy(f.abs, copy);
  }
  await deleteSources(from, files, opts);
  log.info('finished deleting the old data folder after an interrupted move', { from, to, files: files.length });
  return { from, to, files: files.length, bytes: files.reduce((s, f) => s + f.size, 0), resumedFiles: files.length, precopiedFiles: 0, segmentsMatchingIndex: 0, segmentsNotMatchingIndex: [] };
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { flag: 'w' });
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
