/**
 * Sealing an export folder into an evidence bundle, and zipping it.
 *
 * The exporter writes the video and the evidence sheet into a folder, then calls sealBundle, which
 * adds:
 *   chain.txt        the chain entries covering the clip, one canonical line each (the bytes hashed)
 *   station.pub.pem  the station's public key
 *   SHA256SUMS       `sha256sum -c` input for the video, sheets, chain.txt and station.pub.pem
 *   manifest.json    what the bundle claims (see manifest.ts), including SHA256SUMS's own hash
 *   manifest.sig     raw 64-byte Ed25519 signature over manifest.json's exact bytes
 *
 * Before signing, the station checks its own chain over the clip's range and re-hashes the clip's
 * segment files: it never signs a claim its own records contradict.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Db } from '../catalog/database.js';
import { sha256File } from '../catalog/hash.js';
import { Segments } from '../catalog/segments.js';
import { ClipsRepo } from '../clips/clips-repo.js';
import { ClipCamerasRepo } from '../clips/clip-cameras.js';
import { allCheckpoints, checkCheckpoints } from './chain-checkpoint.js';
import {
  BundlePath,
  canonicalJson,
  CHAIN_FILE,
  CHECKSUMS_FILE,
  Manifest,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  PUBLIC_KEY_FILE,
  RESERVED_FILES,
  SIGNATURE_FILE,
  CAMERA_VIDEO_ROLE,
  COMPOSITE_ROLE,
  type ManifestCamera,
  type ManifestFile,
  type ManifestSegment,
} from './manifest.js';
import { chainLine, chainSeqOf, checkStoredChain, readChain, recoveredByEpoch, CHAIN_FORMAT, type AnyChainEntry } from './segment-chain.js';
import { signBytes, type StationKeys } from './station-keys.js';
import { useNativeZipCrc } from './zip-crc.js';

useNativeZipCrc();

/**
 * A clip that ended this recently may still have its last footage in the segment being written; after
 * it, footage missing at the end is missing for good (the camera stopped) and the clip is sealed as is.
 */
const FOOTAGE_SETTLE_MS = 30_000;

export class EvidenceError extends Error {
  override name = 'EvidenceError';
}

export interface BundleFileInput {
  /** Relative to bundleDir, forward slashes, e.g. `clip.mp4`. */
  path: string;
  /** `video` (exactly one), `sheet-png`, `sheet-pdf`, or another role the exporter names. */
  role: string;
  /** For role `camera-video`: the (other) camera it is from. */
  camera?: string;
  /**
   * The SHA-256 the caller computed of this very file just before (the exporter hashes its video
   * anyway, to check or to report it): sealing then does not read it a second time.
   */
  sha256?: string;
}

export interface SealOptions {
  db: Db;
  /** The station data folder: the clip's segment files are re-hashed from there. */
  dataDir: string;
  clipId: number;
  /** The export folder, already holding `files`. */
  bundleDir: string;
  files: readonly BundleFileInput[];
  /** How the export was made (mode, limits, encoder…); recorded and signed as given. */
  exportSettings: Record<string, unknown>;
  keys: StationKeys;
  /** Defaults to the current time. */
  createdAt?: Date;
  /** What the station calls a camera (manifest `clip.cameras`); default its id. Other cameras keep the name they had when cut. */
  cameraName?: (id: string) => string;
}

export interface SealedBundle {
  manifest: Manifest;
  /** Every file the bundle has, relative to bundleDir, including manifest.json and manifest.sig. */
  paths: string[];
}

export async function sealBundle(opts: SealOptions): Promise<SealedBundle> {
  const clip = new ClipsRepo(opts.db).get(opts.clipId);
  if (!clip) throw new EvidenceError(`Clip ${opts.clipId} does not exist.`);
  if (clip.status === 'recording' || !clip.endedAt) throw new EvidenceError(`Clip ${clip.id} is still recording; it can be sealed once it has ended.`);
  // A clip filmed by several cameras: every camera's covering segments are listed and chained, the
  // main camera's first; its other cameras' videos come in `files` (role camera-video).
  const others = new ClipCamerasRepo(opts.db).rows(clip.id);
  const multi = others.length > 0;
  // The main camera recorded none of the clip, another did: the bundle holds the other cameras' videos only.
  checkInputFiles(opts.files, clip.video === null && multi);
  for (const f of opts.files) {
    if (f.role !== CAMERA_VIDEO_ROLE) continue;
    if (f.camera === clip.camera || !others.some((o) => o.camera === f.camera)) throw new EvidenceError(`${f.path} is given as the video of camera ${f.camera}, which is not one of clip ${clip.id}'s other cameras.`);
  }
  const segmentsRepo = new Segments(opts.db);
  const startMs = Date.parse(clip.startedAt);
  const endMs = Date.parse(clip.endedAt);
  const covering = segmentsRepo.between(startMs, endMs, clip.camera);
  if (!covering.length && !opts.files.some((f) => f.role === CAMERA_VIDEO_ROLE)) throw new EvidenceError(`Clip ${clip.id} has no indexed footage between ${clip.startedAt} and ${clip.endedAt}.`);
  const cameraIds = [clip.camera, ...others.map((o) => o.camera)];
  const segments: ManifestSegment[] = [];
  for (const camera of cameraIds) {
    const mine = camera === clip.camera ? covering : segmentsRepo.between(startMs, endMs, camera);
    const inBundle = opts.files.find((f) => f.role === CAMERA_VIDEO_ROLE && f.camera === camera);
    if (!mine.length && inBundle) throw new EvidenceError(`Camera ${camera} has no indexed footage of clip ${clip.id} (${clip.startedAt} to ${clip.endedAt}), so its video ${inBundle.path} cannot be sealed.`);
    if (!mine.length) continue;
    // The main camera's last footage must be indexed; another camera's MP4 is cut only once its
    // footage is (or the clip writer gave up on a camera that stopped), so what is indexed is listed.
    const lastEnd = segmentsRepo.lastEndMs(camera) ?? 0;
    if (camera === clip.camera && clip.video && lastEnd < endMs && Date.now() - endMs < FOOTAGE_SETTLE_MS) {
      throw new EvidenceError(`The footage at the end of clip ${clip.id} is not indexed yet (its segment is still being written); seal it again in a few seconds.`);
    }
    for (const s of mine) {
      const seq = chainSeqOf(opts.db, s.id);
      if (seq === null) throw new EvidenceError(`Segment ${s.file} of clip ${clip.id} has no chain entry (it was not indexed by this station), so the clip cannot be sealed as evidence.`);
      segments.push({
        file: s.file,
        bytes: s.bytes,
        sha256: s.sha256,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        status: s.status,
        chainSeq: seq,
        fileAtExport: await segmentFileState(opts.dataDir, s.file, s.sha256),
        // Only a several-camera bundle says whose: a one-camera bundle stays as it always was.
        ...(multi ? { camera } : {}),
      });
    }
  }
  const first = segments.reduce((a, b) => (b.chainSeq < a.chainSeq ? b : a));
  const firstSeq = first.chainSeq;
  // Footage a recovery indexed after the database was lost: the entries start at that epoch's entry,
  // so the bundle itself says the chain was rebuilt and when these segments were first hashed.
  const fromSeq = recoveredByEpoch(opts.db, firstSeq, Date.parse(first.startedAt)) ?? firstSeq;
  const toSeq = Math.max(...segments.map((s) => s.chainSeq));
  // The checkpoints too: a compacted chain is vouched for by them, and a station whose own records
  // were rewritten signs nothing.
  const problem = checkStoredChain(opts.db, opts.keys.publicKey, { fromSeq, toSeq }) ?? checkCheckpoints(allCheckpoints(opts.db), opts.keys.publicKey);
  if (problem) throw new EvidenceError(`The station's evidence chain is broken, so clip ${clip.id} was not sealed: ${problem}`);
  const entries: AnyChainEntry[] = readChain(opts.db, fromSeq, toSeq).map(({ storedLine: _line, ...e }) => e);

  await writeFile(join(opts.bundleDir, CHAIN_FILE), entries.map((e) => `${chainLine(e)}\n`).join(''));
  await writeFile(join(opts.bundleDir, PUBLIC_KEY_FILE), opts.keys.publicKeyPem);

  const listed: BundleFileInput[] = [...opts.files, { path: CHAIN_FILE, role: 'chain' }, { path: PUBLIC_KEY_FILE, role: 'public-key' }];
  const files: ManifestFile[] = [];
  for (const f of listed) files.push({ path: f.path, role: f.role, ...(f.camera !== undefined ? { camera: f.camera } : {}), ...(await digest(opts.bundleDir, f.path, f.sha256)) });
  // Two spaces between hash and name: sha256sum's text-mode format, which `sha256sum -c` reads everywhere.
  await writeFile(join(opts.bundleDir, CHECKSUMS_FILE), files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  files.push({ path: CHECKSUMS_FILE, role: 'checksums', ...(await digest(opts.bundleDir, CHECKSUMS_FILE)) });

  const manifest: Manifest = Manifest.parse({
    format: MANIFEST_FORMAT,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    station: { name: clip.station, publicKeyPem: opts.keys.publicKeyPem, fingerprint: opts.keys.fingerprint },
    clip: {
      id: clip.id,
      camera: clip.camera,
      mode: clip.mode,
      status: clip.status,
      codes: clip.codeDetails,
      startedAt: clip.startedAt,
      endedAt: clip.endedAt,
      endReason: clip.endReason,
      recordedVideo: clip.video,
      gaps: clip.gaps.map((g) => ({ startedAt: g.startedAt, endedAt: g.endedAt, reason: g.reason })),
      cameras: multi
        ? [
            { id: clip.camera, name: opts.cameraName?.(clip.camera) ?? clip.camera, main: true, recordedVideo: clip.video && { bytes: clip.video.bytes, sha256: clip.video.sha256, durationMs: clip.video.durationMs } },
            ...others.map((o): ManifestCamera => ({ id: o.camera, name: o.name, main: false, recordedVideo: o.video && { bytes: o.video.bytes, sha256: o.video.sha256, durationMs: o.video.durationMs } })),
          ]
        : undefined,
    },
    segments,
    chain: { format: CHAIN_FORMAT, entries },
    export: opts.exportSettings,
    files,
  } satisfies Manifest);
  const bytes = canonicalJson(manifest);
  await writeFile(join(opts.bundleDir, MANIFEST_FILE), bytes);
  await writeFile(join(opts.bundleDir, SIGNATURE_FILE), signBytes(opts.keys, bytes));
  return { manifest, paths: [...files.map((f) => f.path), MANIFEST_FILE, SIGNATURE_FILE] };
}

function checkInputFiles(files: readonly BundleFileInput[], mainless: boolean): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!BundlePath.safeParse(f.path).success) throw new EvidenceError(`"${f.path}" cannot be a bundle file name: use letters, digits, dot, dash and underscore, in folders relative to the bundle.`);
    if (RESERVED_FILES.includes(f.path)) throw new EvidenceError(`"${f.path}" is a name the bundle uses for itself; give the file another name.`);
    if (seen.has(f.path)) throw new EvidenceError(`"${f.path}" is listed twice.`);
    seen.add(f.path);
  }
  const videos = files.filter((f) => f.role === 'video').length;
  const mainlessOk = mainless && videos === 0 && files.some((f) => f.role === CAMERA_VIDEO_ROLE);
  if (videos !== 1 && !mainlessOk) throw new EvidenceError(`A bundle needs exactly one file with role "video" (got ${videos}).`);
  const cameras = new Set<string>();
  for (const f of files) {
    if ((f.role === CAMERA_VIDEO_ROLE) !== (f.camera !== undefined)) throw new EvidenceError(`${f.path}: a file names its camera exactly when its role is "${CAMERA_VIDEO_ROLE}".`);
    if (f.camera === undefined) continue;
    if (cameras.has(f.camera)) throw new EvidenceError(`Camera ${f.camera} has two videos in the bundle; it has one.`);
    cameras.add(f.camera);
  }
  if (files.filter((f) => f.role === COMPOSITE_ROLE).length > 1) throw new EvidenceError(`A bundle has at most one file with role "${COMPOSITE_ROLE}".`);
}

async function digest(dir: string, rel: string, known?: string): Promise<{ bytes: number; sha256: string }> {
  const abs = join(dir, ...rel.split('/'));
  let st: Stats;
  try {
    st = await lstat(abs);
  } catch {
    throw new EvidenceError(`${rel} is not in the bundle folder ${dir}; write it there before sealing.`);
  }
  if (!st.isFile()) throw new EvidenceError(`${rel} in ${dir} is not a regular file.`);
  return { bytes: st.size, sha256: known ?? (await sha256File(abs)) };
}

async function segmentFileState(dataDir: string, rel: string, sha256: string): Promise<'matches' | 'missing'> {
  const abs = join(dataDir, ...rel.split('/'));
  let actual: string;
  try {
    actual = await sha256File(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  if (actual !== sha256) throw new EvidenceError(`Segment file ${rel} no longer has the SHA-256 it was indexed with; the footage on disk was changed, so nothing was sealed.`);
  return 'matches';
}

/**
 * Zip a sealed bundle folder. Entries sit under one folder named like the bundle folder, so unzipping
 * gives the same folder back; video is stored as is (already compressed), text is deflated.
 * Written to `<zipPath>.partial` first, then renamed: a zip that exists is complete.
 */
export async function zipBundle(bundleDir: string, zipPath: string, opts: { paths?: readonly string[] } = {}): Promise<{ bytes: number; sha256: string }> {
  const paths = opts.paths ?? (await bundlePaths(bundleDir));
  const top = basename(bundleDir);
  // Before the zip is made: nothing may wait between its first file and the pipeline that hears its errors.
  await mkdir(join(zipPath, '..'), { recursive: true });
  const zip = new yazl.ZipFile();
  // A listed file that cannot be read (gone, a folder) is an 'error' on the ZipFile, which nothing
  // else hears and which would end the process: it fails the output stream, so this zip fails instead.
  zip.on('error', (err: Error) => (zip.outputStream as Readable).destroy(err));
  for (const p of [...paths].sort()) {
    const compress = !/\.(mp4|mov|mkv|ts|png|jpg|jpeg|pdf|zip)$/i.test(p);
    zip.addFile(join(bundleDir, ...p.split('/')), `${top}/${p}`, { compress });
  }
  zip.end();
  const partial = `${zipPath}.partial`;
  try {
    // Hashed as it is written: the exporter reports the zip's SHA-256 without reading it back.
    const hash = createHash('sha256');
    let bytes = 0;
    await pipeline(
      zip.outputStream,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(partial),
    );
    await rename(partial, zipPath);
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    await unlink(partial).catch(() => undefined);
    throw err;
  }
}

/** The files a sealed bundle consists of, read back from its manifest. */
async function bundlePaths(bundleDir: string): Promise<string[]> {
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(await readFile(join(bundleDir, MANIFEST_FILE), 'utf8')));
  } catch (err) {
    throw new EvidenceError(`${bundleDir} is not a sealed bundle (its manifest.json cannot be read: ${(err as Error).message}).`);
  }
  return [...manifest.files.map((f) => f.path), MANIFEST_FILE, SIGNATURE_FILE];
}
