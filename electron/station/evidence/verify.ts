/**
 * Verifying an evidence bundle: what `packwitness verify` runs. Needs nothing from the station that
 * made it: the public key travels in the bundle, and what ties it to a real station is its
 * fingerprint, which the reader compares with one they got another way (--expect-fingerprint).
 *
 * Checks, in order; the first that fails is the answer:
 *  0. (a zip) no two entries would unzip to the same file;
 *  1. manifest.json is there, is JSON, and is a manifest of a format this verifier knows;
 *  2. its public key is an Ed25519 key with the fingerprint it states, and station.pub.pem (if
 *     present) is that same key;
 *  3. manifest.sig is a valid signature of manifest.json's exact bytes by that key;
 *  4. the fingerprint is the expected one (--expect-fingerprint), or is looked up in the reader's
 *     trusted keys (trusted-keys.ts);
 *  5. every file the manifest lists is there with its size (compared before a byte is read or
 *     inflated) and SHA-256;
 *  6. the chain entries are consecutive, each recomputes to its hash, links to the one before, and
 *     is signed by the key; chain.txt holds exactly their lines;
 *  7. every segment of the clip has its chain entry, with the same file, size and SHA-256, and the
 *     entries run from the first segment's to the last one's;
 *  8. the video is one of the listed files (so its SHA-256 is signed);
 *  9. the bundle holds no file the manifest does not cover (one would prove nothing, yet sit beside
 *     the proven video looking like part of it).
 *
 * The verdict: `verified` (exit 0) only when every check passed AND the key is one the reader trusts;
 * `key-not-checked` (exit 3) when every check passed but nobody said whose key it must be: the bundle
 * agrees with itself, which anyone re-signing a tampered bundle with a fresh key can achieve;
 * `failed` (exit 1) otherwise. Usage errors are exit 2.
 *
 * PATH is a bundle folder, a .zip of one, or a lone clip file with the manifest beside it (or given
 * with --manifest); then only the clip is required, and other listed files are checked if present.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { BUNDLE_SMALL_FILE_MAX_BYTES, VERIFY_NAMED_FILES_MAX } from '../limits.js';
import { printable } from '../printable.js';
import { CAMERA_VIDEO_ROLE, COMPOSITE_ROLE, CHAIN_FILE, describeSchemaError, Manifest, MANIFEST_FILE, MANIFEST_FORMAT, PUBLIC_KEY_FILE, SIGNATURE_FILE, type ManifestFile } from './manifest.js';
import { chainLine, checkChainEntries, describeEpochs, isEpoch, type AnyChainEntry, type ChainEntry } from './segment-chain.js';
import { groupedFingerprint, normalizeFingerprint, publicKeyFromPem, StationKeyError, verifyBytes } from './station-keys.js';
import type { TrustedKeys } from './trusted-keys.js';

/** The command cannot start: the path or an option is wrong (exit 2, not a verification result). */
export class VerifyUsageError extends Error {
  override name = 'VerifyUsageError';
}

export interface VerifyOptions {
  /** The manifest of a lone clip file (default: manifest.json beside it). */
  manifest?: string;
  /** The fingerprint the reader trusts, in any common spelling (groups, colons, upper case). Decides alone when given. */
  expectFingerprint?: string;
  /** The reader's trusted keys (trusted-keys.ts), used when no fingerprint is expected. */
  trustedKeys?: TrustedKeys | null;
  /** Where the reader's trusted keys file is or would be, for the report's advice. */
  trustedKeysFile?: string;
}

/**
 * - verified:        every check passed and the signing key is one the reader trusts (exit 0)
 * - failed:          a check failed, or the bundle holds files its manifest does not cover (exit 1)
 * - key-not-checked: every check passed, but nothing said whose key signed it (exit 3)
 */
export type Verdict = 'verified' | 'failed' | 'key-not-checked';

/** `packwitness verify`'s exit codes; 2 is a usage error (the command could not run). */
export const VERIFY_EXIT_CODES: Readonly<Record<Verdict, number>> = { verified: 0, failed: 1, 'key-not-checked': 3 };
export const VERIFY_USAGE_EXIT_CODE = 2;

export interface VerifyReport {
  verdict: Verdict;
  /** The verdict is `verified`: checked AND signed by a trusted key. */
  ok: boolean;
  /** The first check that failed, as one sentence; null when every check passed. */
  failure: string | null;
  /** What was established, one sentence each, in the order checked. */
  proven: string[];
  /** What this run could not establish, and how to. */
  notChecked: string[];
  /** The signing key, once the signature was checked, and how (whether) the reader's trust in it was established. */
  key: {
    fingerprint: string;
    trustedBy: 'expect-fingerprint' | 'trusted-keys' | null;
    /** The label of the matching line in the trusted keys file. */
    label: string | null;
    trustedKeysFile: string | null;
  } | null;
  /** Files in the bundle the manifest does not cover (zip entries by their name in the zip). */
  uncovered: string[];
  /** The bundle's claims, once the manifest could be read (signed only if `ok` or failure came later). */
  clip: {
    id: number;
    mode: string;
    status: string;
    codes: Array<{ code: string; kind: string }>;
    station: string;
    camera: string;
    startedAt: string;
    endedAt: string;
    fingerprint: string;
    segments: number;
    chainEntries: { fromSeq: number; toSeq: number; count: number };
    video: { path: string; bytes: number; sha256: string; identicalToRecording: boolean } | null;
    /** A clip filmed by several cameras: each, the main one first, with its video in the bundle (null: none). */
    cameras?: Array<{ id: string; name: string; main: boolean; video: { path: string; bytes: number; sha256: string; identicalToRecording: boolean } | null }>;
  } | null;
}

export function verifyExitCode(r: VerifyReport): number {
  return VERIFY_EXIT_CODES[r.verdict];
}

interface Digest {
  bytes: number;
  sha256: string;
}

interface ListedFile {
  /** Relative to the bundle's top (where manifest.json is); null for a zip entry outside it. */
  rel: string | null;
  /** How the report names it: the path in the folder, or the entry's name in the zip. */
  shown: string;
}

interface BundleSource {
  /** How the report names the bundle. */
  label: string;
  kind: 'folder' | 'zip' | 'clip';
  readSmall(rel: string): Promise<Buffer | null>;
  /** The size without reading the file: stat, or the size a zip entry declares (nothing inflated). */
  size(rel: string): Promise<number | null>;
  digest(rel: string): Promise<Digest | null>;
  /** Every file in the bundle (for naming files the manifest does not cover). */
  list(): Promise<ListedFile[]>;
  /** Lone clip mode: the clip file given, which stands for the manifest's video. */
  clipFile?: string;
  close(): Promise<void>;
}

class Failed extends Error {}
function fail(sentence: string): never {
  throw new Failed(sentence);
}

export async function verifyBundle(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let expected: string | null = null;
  if (opts.expectFingerprint !== undefined) {
    expected = normalizeFingerprint(opts.expectFingerprint);
    if (!/^[0-9a-f]{64}$/.test(expected)) throw new VerifyUsageError(`--expect-fingerprint must be the 64 hex digits of a SHA-256 fingerprint (spaces and colons allowed); got "${opts.expectFingerprint}".`);
  }
  const report: VerifyReport = { verdict: 'failed', ok: false, failure: null, proven: [], notChecked: [], key: null, uncovered: [], clip: null };
  let source: BundleSource | null = null;
  try {
    source = await openSource(path, opts);
    await runChecks(source, expected, opts, report);
    report.verdict = report.key?.trustedBy ? 'verified' : 'key-not-checked';
  } catch (err) {
    if (!(err instanceof Failed)) throw err;
    report.failure = err.message;
    report.verdict = 'failed';
  } finally {
    await source?.close();
  }
  report.ok = report.verdict === 'verified';
  return report;
}

async function runChecks(source: BundleSource, expected: string | null, opts: VerifyOptions, report: VerifyReport): Promise<void> {
  // 1. The manifest.
  const manifestBytes = (await source.readSmall(MANIFEST_FILE)) ?? fail(`${source.label} has no ${MANIFEST_FILE}, so it is not an evidence bundle (or its manifest was removed).`);
  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    fail(`${MANIFEST_FILE} is not valid JSON (${(err as Error).message}).`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== MANIFEST_FORMAT && format.startsWith('packwitness-evidence/')) {
    fail(`${MANIFEST_FILE} is in format ${format}, which this version of PackWitness does not know (it knows ${MANIFEST_FORMAT}); use a newer PackWitness.`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) fail(`${MANIFEST_FILE} is not a PackWitness evidence manifest (${describeSchemaError(parsed.error)}).`);
  const m = parsed.data;
  const entries = m.chain.entries;
  const video = m.files.filter((f) => f.role === 'video');
  report.clip = {
    id: m.clip.id,
    mode: m.clip.mode,
    status: m.clip.status,
    codes: m.clip.codes.map((c) => ({ code: c.code, kind: c.kind })),
    station: m.station.name,
    camera: m.clip.camera,
    startedAt: m.clip.startedAt,
    endedAt: m.clip.endedAt,
    fingerprint: m.station.fingerprint,
    segments: m.segments.length,
    chainEntries: { fromSeq: entries[0]?.seq ?? 0, toSeq: entries.at(-1)?.seq ?? 0, count: entries.length },
    video: video[0] ? { path: video[0].path, bytes: video[0].bytes, sha256: video[0].sha256, identicalToRecording: m.clip.recordedVideo?.sha256 === video[0].sha256 } : null,
  };
  if (m.clip.cameras) {
    report.clip.cameras = m.clip.cameras.map((c) => {
      const f = c.main ? video[0] : m.files.find((x) => x.role === CAMERA_VIDEO_ROLE && x.camera === c.id);
      return { id: c.id, name: c.name, main: c.main, video: f ? { path: f.path, bytes: f.bytes, sha256: f.sha256, identicalToRecording: c.recordedVideo?.sha256 === f.sha256 } : null };
    });
  }

  // 2. The key.
  let key: ReturnType<typeof publicKeyFromPem>;
  try {
    key = publicKeyFromPem(m.station.publicKeyPem);
  } catch (err) {
    return fail(`The public key in ${MANIFEST_FILE} is unusable: ${(err as StationKeyError).message}.`);
  }
  if (key.fingerprint !== m.station.fingerprint) {
    fail(`${MANIFEST_FILE} states fingerprint ${m.station.fingerprint}, but the key it holds has fingerprint ${key.fingerprint}.`);
  }
  const pemFile = await source.readSmall(PUBLIC_KEY_FILE);
  if (pemFile) {
    let fileKey: ReturnType<typeof publicKeyFromPem>;
    try {
      fileKey = publicKeyFromPem(pemFile.toString('utf8'));
    } catch (err) {
      return fail(`${PUBLIC_KEY_FILE} is unusable: ${(err as StationKeyError).message}.`);
    }
    if (fileKey.fingerprint !== key.fingerprint) fail(`${PUBLIC_KEY_FILE} (fingerprint ${fileKey.fingerprint}) is not the key named in ${MANIFEST_FILE} (${key.fingerprint}).`);
  }

  // 3. The signature. Until step 4 says whose key this is, it is only "the key the bundle carries".
  const sig = (await source.readSmall(SIGNATURE_FILE)) ?? fail(`${source.label} has no ${SIGNATURE_FILE}: the manifest is unsigned.`);
  if (sig.length !== 64) fail(`${SIGNATURE_FILE} is ${sig.length} bytes, not a 64-byte Ed25519 signature.`);
  if (!verifyBytes(key.publicKey, manifestBytes, sig)) {
    fail(`${SIGNATURE_FILE} is not a valid signature of ${MANIFEST_FILE} by the key it names (fingerprint ${key.fingerprint}): ${MANIFEST_FILE} was changed after signing, or signed with another key.`);
  }
  report.proven.push(`${MANIFEST_FILE} is exactly as signed by the key the bundle carries (fingerprint ${key.fingerprint}).`);

  // 4. Whose key.
  report.key = { fingerprint: key.fingerprint, trustedBy: null, label: null, trustedKeysFile: opts.trustedKeys?.file ?? null };
  const trustedKeysFile = opts.trustedKeys?.file ?? opts.trustedKeysFile;
  if (expected !== null) {
    if (expected !== key.fingerprint) fail(`The bundle is signed by the key with fingerprint ${key.fingerprint}, not by the expected station key ${expected}.`);
    report.key.trustedBy = 'expect-fingerprint';
    report.proven.push('That key is the station key you expected (--expect-fingerprint).');
  } else {
    const known = opts.trustedKeys?.keys.find((k) => k.fingerprint === key.fingerprint);
    if (known) {
      Object.assign(report.key, { trustedBy: 'trusted-keys', label: known.label });
      report.proven.push(`That key is "${known.label}" in your trusted keys (${opts.trustedKeys!.file}, line ${known.line}).`);
    } else {
      const where = opts.trustedKeys
        ? `it is not in your trusted keys (${opts.trustedKeys.file})`
        : `no fingerprint was given${trustedKeysFile ? ` and there is no trusted keys file (${trustedKeysFile})` : ''}`;
      report.notChecked.push(
        `Whose key it is: ${where}. Compare the fingerprint ${groupedFingerprint(key.fingerprint)} with one you got another way: ` +
          `the seller's station shows its full fingerprint (status panel, settings, health page), a merchant can publish it, ` +
          `or an earlier bundle you kept has it; never with the evidence sheet or anything else in this bundle. ` +
          `Then run again with --expect-fingerprint, or add it to your trusted keys${trustedKeysFile ? ` (${trustedKeysFile})` : ''}.`,
      );
    }
  }

  // 5. Files: the size first (a stat, or the size a zip entry declares), so nothing is read, let
  // alone inflated, for a file that is already the wrong size.
  const seen = new Set<string>();
  let checked = 0;
  const absent: string[] = [];
  for (const f of m.files) {
    if (seen.has(f.path)) fail(`${MANIFEST_FILE} lists ${f.path} twice.`);
    seen.add(f.path);
    const isClip = source.kind === 'clip' && f.role === 'video';
    const shown = isClip ? basename(source.clipFile!) : f.path;
    const size = isClip ? await fileSize(source.clipFile!) : await source.size(f.path);
    if (size === null) {
      if (source.kind === 'clip') {
        absent.push(f.path);
        continue;
      }
      fail(`${f.path} (${fileRole(f)}) is listed in ${MANIFEST_FILE} but missing from the bundle.`);
    }
    const sizeSays = source.kind === 'zip' ? ' (as the zip declares it; nothing was unpacked)' : '';
    if (size !== f.bytes) fail(`${shown} (${fileRole(f)}) is ${size} bytes${sizeSays}, but ${MANIFEST_FILE} says ${f.bytes}: the file was changed.`);
    const d = (isClip ? await digestFile(source.clipFile!) : await source.digest(f.path)) ?? fail(`${shown} (${fileRole(f)}) disappeared while it was being checked.`);
    if (d.bytes !== f.bytes) fail(`${shown} (${fileRole(f)}) is ${d.bytes} bytes, but ${MANIFEST_FILE} says ${f.bytes}: the file was changed.`);
    if (d.sha256 !== f.sha256) fail(`${shown} (${fileRole(f)}) does not match ${MANIFEST_FILE}: its SHA-256 is ${d.sha256}, the signed one is ${f.sha256}, so the file was changed.`);
    checked++;
  }
  report.proven.push(`${checked} file${checked === 1 ? '' : 's'} match${checked === 1 ? 'es' : ''} the size and SHA-256 in the manifest: ${m.files.filter((f) => !absent.includes(f.path)).map((f) => `${f.path} (${f.role})`).join(', ')}.`);
  if (absent.length) report.notChecked.push(`Files not given with the clip: ${absent.join(', ')}.`);
  const covered = new Set([...seen, MANIFEST_FILE, SIGNATURE_FILE]);
  report.uncovered = (await source.list()).filter((l) => l.rel === null || !covered.has(l.rel)).map((l) => l.shown);

  // 6. The chain.
  if (!entries.length) fail(`${MANIFEST_FILE} has no chain entries.`);
  const chainProblem = checkChainEntries(entries as AnyChainEntry[], key.publicKey);
  if (chainProblem) fail(chainProblem);
  const chainText = await source.readSmall(CHAIN_FILE);
  if (chainText) {
    const lines = chainText.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const expectedLines = entries.map((e) => chainLine(e as AnyChainEntry));
    const differs = expectedLines.findIndex((l, i) => lines[i] !== l);
    if (differs >= 0 || lines.length !== expectedLines.length) {
      fail(`${CHAIN_FILE} does not hold the chain entries of ${MANIFEST_FILE} (${differs >= 0 ? `line ${differs + 1} differs` : `${lines.length} lines for ${expectedLines.length} entries`}).`);
    }
  } else if (source.kind !== 'clip') {
    fail(`${source.label} has no ${CHAIN_FILE}.`);
  }
  const first = entries[0]!;
  const last = entries.at(-1)!;
  report.proven.push(
    `Chain entries seq ${first.seq}–${last.seq} (${entries.length}) are each signed by that same key, recompute to their hashes, and link without a gap${chainText ? `; ${CHAIN_FILE} holds exactly these lines` : ''}.`,
  );

  // 7. Segments: every camera's (a one-camera bundle's name none: they are the clip's camera's).
  if (!m.segments.length) fail(`${MANIFEST_FILE} lists no segments for the clip.`);
  const cameraIds = new Set([m.clip.camera, ...(m.clip.cameras ?? []).map((c) => c.id)]);
  // An epoch entry (a chain rebuilt after a lost database) names no segment.
  const bySeq = new Map((entries as AnyChainEntry[]).filter((e): e is ChainEntry => !isEpoch(e)).map((e) => [e.seq, e]));
  for (const s of m.segments) {
    const e = bySeq.get(s.chainSeq);
    if (!e) fail(`Segment ${s.file} names chain entry seq ${s.chainSeq}, which is not among the chain entries.`);
    if (e.file !== s.file || e.sha256 !== s.sha256 || e.bytes !== s.bytes) {
      fail(`Segment ${s.file} does not match its chain entry seq ${s.chainSeq} (the entry records ${e.file}, ${e.bytes} bytes, SHA-256 ${e.sha256}).`);
    }
    const camera = s.camera ?? m.clip.camera;
    if (!cameraIds.has(camera)) fail(`Segment ${s.file} names camera ${camera}, which is not one of the clip's cameras (${[...cameraIds].join(', ')}).`);
    if (e.camera !== camera) fail(`Segment ${s.file} comes from camera ${e.camera}, not ${s.camera === undefined ? "the clip's camera" : 'the camera it names,'} ${camera}.`);
    if (Date.parse(s.startedAt) >= Date.parse(m.clip.endedAt) || Date.parse(s.endedAt) <= Date.parse(m.clip.startedAt)) {
      fail(`Segment ${s.file} (${s.startedAt}–${s.endedAt}) lies outside the clip (${m.clip.startedAt}–${m.clip.endedAt}).`);
    }
  }
  const seqs = m.segments.map((s) => s.chainSeq);
  if ((first.seq !== Math.min(...seqs) && !isEpoch(first as AnyChainEntry)) || last.seq !== Math.max(...seqs)) {
    fail(`The chain entries (seq ${first.seq}–${last.seq}) do not run from the clip's first segment's entry to its last (seq ${Math.min(...seqs)}–${Math.max(...seqs)}).`);
  }
  report.notChecked.push(...describeEpochs(entries as AnyChainEntry[], seqs));
  const damaged = m.segments.filter((s) => s.status === 'damaged').length;
  report.proven.push(
    `The clip's ${m.segments.length} segment${m.segments.length === 1 ? '' : 's'} (${m.clip.startedAt} to ${m.clip.endedAt}) are each in the chain with the same size and SHA-256${damaged ? `; ${damaged} of them the station recorded as damaged` : ''}.`,
  );

  // 8. The video.
  // A clip whose main camera recorded none of it (the signed camera list says so) is exported from its
  // other cameras' videos alone: no file with role "video", at least one of theirs.
  const mainCamera = m.clip.cameras?.find((c) => c.main);
  const mainless = video.length === 0 && m.clip.recordedVideo === null && mainCamera !== undefined && mainCamera.recordedVideo === null && m.files.some((f) => f.role === CAMERA_VIDEO_ROLE);
  if (video.length !== 1 && !mainless) fail(`${MANIFEST_FILE} lists ${video.length} files with role "video"; a bundle has exactly one.`);
  if (mainless) {
    report.notChecked.push(`The main camera ${mainCamera.id} ("${mainCamera.name}") recorded none of the clip; the bundle holds the other cameras' videos only.`);
  } else {
    const v = video[0] as ManifestFile;
    report.proven.push(
      m.clip.recordedVideo?.sha256 === v.sha256
        ? `The video ${source.kind === 'clip' ? basename(source.clipFile!) : v.path} is byte-identical to the clip MP4 the station cut when it was recorded.`
        : `The video ${source.kind === 'clip' ? basename(source.clipFile!) : v.path} is the one the station signed for this export (a re-encode, not byte-identical to the clip as recorded).`,
    );
  }
  checkCameraVideos(m, source.kind === 'clip' ? absent : [], report);
  if (m.clip.gaps.length) report.notChecked.push(`The camera recorded nothing during ${m.clip.gaps.length} stretch${m.clip.gaps.length === 1 ? '' : 'es'} of the clip (${m.clip.gaps.map((g) => g.reason).join('; ')}).`);

  // 9. Nothing beside the proven files: an extra video in the bundle is exactly what a forger would
  // add, and a reader who sees the bundle pass would take it as part of it.
  if (report.uncovered.length) {
    const n = report.uncovered.length;
    fail(
      `${source.label} also holds ${n} file${n === 1 ? '' : 's'} that ${MANIFEST_FILE} does not cover: ${namedList(report.uncovered)}. ` +
        `Nothing proves ${n === 1 ? 'it' : 'them'}; only the files listed above are evidence. Remove ${n === 1 ? 'it' : 'them'}, or ask the sender for the bundle as exported.`,
    );
  }
}

/** A file's role as sentences name it: an other camera's video says which camera. */
function fileRole(f: ManifestFile): string {
  return f.camera === undefined ? f.role : `${f.role} of camera ${f.camera}`;
}

/**
 * 8b. The other cameras' videos and the side-by-side composite: their bytes were checked with every
 * file (step 5); here each camera video must be a camera the clip lists, once, with its own segments
 * in the chain, and the report says which are the recordings byte for byte.
 */
function checkCameraVideos(m: Manifest, absent: readonly string[], report: VerifyReport): void {
  const cameraFiles = m.files.filter((f) => f.role === CAMERA_VIDEO_ROLE);
  const listed = new Map((m.clip.cameras ?? []).map((c) => [c.id, c]));
  const seen = new Set<string>();
  for (const f of cameraFiles) {
    if (f.camera === undefined) fail(`${f.path} (${f.role}) does not say which camera it is from.`);
    const cam = listed.get(f.camera);
    if (!cam || cam.main) fail(`${f.path} (${fileRole(f)}) is not the video of one of the clip's other cameras${listed.size ? ` (${[...listed.values()].filter((c) => !c.main).map((c) => c.id).join(', ') || 'none'})` : ': the manifest lists no other cameras'}.`);
    if (seen.has(f.camera)) fail(`${MANIFEST_FILE} lists two videos of camera ${f.camera}; a camera has one.`);
    seen.add(f.camera);
    if (!m.segments.some((s) => s.camera === f.camera)) fail(`${f.path} (${fileRole(f)}): ${MANIFEST_FILE} lists none of camera ${f.camera}'s segments, so nothing ties it to the chain.`);
    if (absent.includes(f.path)) continue;
    report.proven.push(
      cam.recordedVideo?.sha256 === f.sha256
        ? `The video ${f.path} of camera ${f.camera} ("${cam.name}") is byte-identical to the clip MP4 the station cut from that camera when it was recorded; its ${m.segments.filter((s) => s.camera === f.camera).length} segments are in the chain.`
        : `The video ${f.path} of camera ${f.camera} ("${cam.name}") is the one the station signed for this export (a re-encode, not byte-identical to that camera's clip as recorded); its segments are in the chain.`,
    );
  }
  const missing = (m.clip.cameras ?? []).filter((c) => !c.main && !seen.has(c.id));
  if (missing.length) report.notChecked.push(`No video in the bundle from camera${missing.length === 1 ? '' : 's'} ${missing.map((c) => `${c.id} ("${c.name}")${c.recordedVideo ? '' : ', which recorded none of the clip'}`).join(', ')}.`);
  const composite = m.files.filter((f) => f.role === COMPOSITE_ROLE);
  if (composite.length > 1) fail(`${MANIFEST_FILE} lists ${composite.length} files with role "${COMPOSITE_ROLE}"; a bundle has one at most.`);
  if (composite[0] && !absent.includes(composite[0].path)) {
    report.proven.push(`The side-by-side video ${composite[0].path} of the clip's cameras is the one the station signed for this export (made from the recordings, not itself a recording).`);
  }
}

/** Names, at most VERIFY_NAMED_FILES_MAX of them: a zip of a million entries must not flood the terminal. */
function namedList(names: readonly string[]): string {
  const shown = names.slice(0, VERIFY_NAMED_FILES_MAX).join(', ');
  return names.length > VERIFY_NAMED_FILES_MAX ? `${shown} and ${names.length - VERIFY_NAMED_FILES_MAX} more` : shown;
}

async function openSource(path: string, opts: VerifyOptions): Promise<BundleSource> {
  const abs = resolve(path);
  let st: Stats;
  try {
    st = await stat(abs);
  } catch {
    throw new VerifyUsageError(`${path} does not exist.`);
  }
  if (st.isDirectory()) {
    if (opts.manifest) throw new VerifyUsageError('--manifest is for a lone clip file; a bundle folder has its own manifest.json.');
    return folderSource(abs);
  }
  if (!st.isFile()) throw new VerifyUsageError(`${path} is neither a folder nor a file.`);
  if (/\.zip$/i.test(abs) && !opts.manifest) return zipSource(abs);
  const manifest = resolve(opts.manifest ?? join(dirname(abs), MANIFEST_FILE));
  try {
    if (!(await stat(manifest)).isFile()) throw new Error('not a file');
  } catch {
    throw new VerifyUsageError(
      opts.manifest ? `The manifest ${opts.manifest} does not exist.` : `${path} is a single file and there is no ${MANIFEST_FILE} beside it; give the bundle folder or zip, or the manifest with --manifest FILE.`,
    );
  }
  const signature = manifest.replace(/\.json$/i, '') + '.sig';
  const folder = folderSource(dirname(manifest));
  return {
    ...folder,
    label: `${basename(abs)} with ${basename(manifest)}`,
    kind: 'clip',
    clipFile: abs,
    readSmall: (rel) => (rel === MANIFEST_FILE ? readSmallFile(manifest) : rel === SIGNATURE_FILE ? readSmallFile(signature) : folder.readSmall(rel)),
    // A lone clip sits among the recipient's other files: none of them is the bundle's.
    list: async () => [],
  };
}

function folderSource(root: string): BundleSource {
  const at = (rel: string): string => join(root, ...rel.split('/'));
  return {
    label: `The folder ${root}`,
    kind: 'folder',
    readSmall: (rel) => readSmallFile(at(rel)),
    size: (rel) => fileSize(at(rel)),
    digest: (rel) => digestFile(at(rel)),
    // Everything but folders: a symbolic link or a device file beside the evidence is named too.
    list: async () =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((d) => !d.isDirectory())
        .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
        .sort()
        .map((rel) => ({ rel, shown: rel })),
    close: async () => undefined,
  };
}

async function fileSize(abs: string): Promise<number | null> {
  try {
    const st = await stat(abs);
    return st.isFile() ? st.size : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readSmallFile(abs: string): Promise<Buffer | null> {
  try {
    const st = await stat(abs);
    if (!st.isFile()) return null;
    if (st.size > BUNDLE_SMALL_FILE_MAX_BYTES) fail(`${basename(abs)} is ${st.size} bytes, far larger than any file PackWitness writes there.`);
    return await readFile(abs);
  } catch (err) {
    if (err instanceof Failed) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function digestFile(abs: string): Promise<Digest | null> {
  try {
    if (!(await stat(abs)).isFile()) return null;
    return await digestStream(createReadStream(abs));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function digestStream(stream: Readable): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** An entry's name as unzip would place it: empty and `.` parts dropped (`a//./b` is `a/b`). */
export function zipEntryPath(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/**
 * Two entry names that would land on one file when unzipped somewhere: compared without case
 * (Windows and macOS file systems ignore it), in one Unicode normal form (macOS stores names
 * decomposed), and without the trailing dots and spaces Windows drops from every name part.
 */
export function zipCollisionKey(name: string): string {
  return zipEntryPath(name)
    .split('/')
    .map((part) => part.replace(/[. ]+$/, ''))
    .join('/')
    .normalize('NFC')
    .toLowerCase();
}

/**
 * A zip is read in place (never extracted): entries are looked up by name and hashed as streams, so a
 * large video needs no temporary copy. The bundle may sit at the root or in one top folder.
 *
 * Before anything is read, every entry name is compared with every other: a zip may hold two entries
 * of one name, and then which one a reader sees depends on the tool (this one would read the last,
 * `unzip -n` extracts the first), so such a zip is refused outright. Sizes come from the central
 * directory and are compared with the manifest before an entry is inflated; yauzl's
 * validateEntrySizes (on, and set explicitly) stops an entry that inflates to more than it declares.
 */
async function zipSource(abs: string): Promise<BundleSource> {
  const name = basename(abs);
  const label = `The zip ${name}`;
  let zip: yauzl.ZipFile | null = null;
  const entries = new Map<string, yauzl.Entry>();
  const byKey = new Map<string, string>();
  try {
    zip = await yauzl.openPromise(abs, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
    for await (const e of zip.eachEntry()) {
      const key = zipCollisionKey(e.fileName);
      const other = byKey.get(key);
      if (other !== undefined) {
        const same = other === e.fileName;
        fail(
          `${name} holds two entries that unzip to the same file: ${same ? `"${e.fileName}" twice` : `"${other}" and "${e.fileName}"`}. ` +
            `Which one a reader sees depends on the unzip tool, so this zip proves nothing; ask the sender for the bundle as exported.`,
        );
      }
      byKey.set(key, e.fileName);
      if (!e.fileName.endsWith('/')) entries.set(zipEntryPath(e.fileName), e);
    }
  } catch (err) {
    zip?.close();
    if (err instanceof Failed) throw err;
    return fail(`${name} is not a readable zip (${(err as Error).message}).`);
  }
  const manifests = [...entries.keys()].filter((n) => n === MANIFEST_FILE || /^[^/]+\/manifest\.json$/.test(n));
  const opened = zip;
  const close = async (): Promise<void> => opened.close();
  if (manifests.length > 1) {
    await close();
    fail(`${name} holds ${manifests.length} bundles (${namedList(manifests)}); unzip it and verify them one at a time.`);
  }
  const prefix = manifests[0] ? manifests[0].slice(0, -MANIFEST_FILE.length) : '';
  const open = async (rel: string): Promise<{ entry: yauzl.Entry; stream: Readable } | null> => {
    const entry = entries.get(prefix + rel);
    if (!entry) return null;
    try {
      return { entry, stream: await opened.openReadStreamPromise(entry) };
    } catch (err) {
      return fail(`${rel} in ${name} cannot be read (${(err as Error).message}).`);
    }
  };
  return {
    label,
    kind: 'zip',
    readSmall: async (rel) => {
      const e = entries.get(prefix + rel);
      if (e && e.uncompressedSize > BUNDLE_SMALL_FILE_MAX_BYTES) fail(`${rel} is ${e.uncompressedSize} bytes, far larger than any file PackWitness writes there.`);
      const o = await open(rel);
      if (!o) return null;
      const chunks: Buffer[] = [];
      try {
        for await (const c of o.stream) chunks.push(c as Buffer);
      } catch (err) {
        fail(`${rel} in ${name} is damaged (${(err as Error).message}).`);
      }
      return Buffer.concat(chunks);
    },
    size: async (rel) => entries.get(prefix + rel)?.uncompressedSize ?? null,
    digest: async (rel) => {
      const o = await open(rel);
      if (!o) return null;
      try {
        return await digestStream(o.stream);
      } catch (err) {
        return fail(`${rel} in ${name} is damaged (${(err as Error).message}).`);
      }
    },
    list: async () => [...entries.keys()].map((n) => ({ rel: n.startsWith(prefix) ? n.slice(prefix.length) : null, shown: n })),
    close,
  };
}

/**
 * The report as a person reads it: what the bundle claims, then what was proven and the verdict.
 * Every line goes through printable(): codes, names, file names and the sentences quoting them come
 * from the bundle, which whoever signed it wrote, so none may carry a control character to the terminal.
 */
export function formatReport(r: VerifyReport): string {
  const out: string[] = [];
  if (r.clip) {
    const c = r.clip;
    const secs = ((Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000).toFixed(1);
    // Until the verdict, this is only what the manifest says.
    if (r.verdict === 'failed') out.push('The bundle claims (not proven):');
    if (r.verdict === 'key-not-checked') out.push('The bundle claims (consistent, but signed by a key you have not checked):');
    out.push(`Clip ${c.id} (${c.mode}, ${c.status}): ${c.codes.map((k) => `${k.code} (${k.kind})`).join(', ') || 'no codes'}`);
    out.push(`Station "${c.station}", camera ${c.camera}, recorded ${c.startedAt} to ${c.endedAt} (${secs} s)`);
    if (c.cameras) out.push(`Cameras: ${c.cameras.map((k) => `${k.id} ("${k.name}"${k.main ? ', main' : ''}): ${k.video ? k.video.path : 'no video in the bundle'}`).join('; ')}`);
    out.push(`Signing key fingerprint: ${groupedFingerprint(c.fingerprint)}`);
    out.push('');
  }
  const proven = r.proven.map((p) => `  ✓ ${p}`);
  if (r.verdict === 'verified') {
    const whose = r.key?.trustedBy === 'trusted-keys' ? `"${r.key.label}" from your trusted keys` : 'the key you expected (--expect-fingerprint)';
    out.push(`VERIFIED: every check passed, and the bundle is signed by ${whose}.`, ...proven);
  } else if (r.verdict === 'key-not-checked') {
    out.push(...proven);
    out.push('CONSISTENT, BUT THE SIGNING KEY WAS NOT CHECKED: the bundle agrees with itself, yet anyone can sign a bundle like it with a key of their own.');
  } else {
    out.push(...proven, `NOT VERIFIED: ${r.failure}`);
  }
  if (r.notChecked.length) {
    out.push(r.verdict === 'failed' ? 'Not reached or not established:' : 'Not established by this check:');
    for (const n of r.notChecked) out.push(`  - ${n}`);
  }
  return `${out.map(printable).join('\n')}\n`;
}
