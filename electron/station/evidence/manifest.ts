/**
 * manifest.json: what an evidence bundle claims, signed by the station (manifest.sig is Ed25519 over
 * its exact bytes). It names the clip (codes, station, times), the segments the clip was cut from with
 * their SHA-256, the run of chain entries that covers those segments, the export settings, and the
 * size and SHA-256 of every other file in the bundle.
 *
 * Written as canonical JSON (keys sorted at every level, two-space indent, UTF-8, one trailing
 * newline) so the same facts always give the same bytes, and a person can read it in any editor.
 */
import { z } from 'zod';
import { ClipMode, ClipStatus, CodeKind, IsoTime } from '../../../shared/api.js';
import { CHAIN_FORMAT } from './segment-chain.js';

export const MANIFEST_FORMAT = 'packwitness-evidence/1';

/** Names the bundle itself uses; files given to sealBundle may not take them. */
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'station.pub.pem';
export const CHECKSUMS_FILE = 'SHA256SUMS';
export const CHAIN_FILE = 'chain.txt';
export const RESERVED_FILES: readonly string[] = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, CHECKSUMS_FILE, CHAIN_FILE];

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const Count = z.number().int().nonnegative();

/**
 * A path inside the bundle: relative, forward slashes, no `.`/`..` parts, no leading dash (it goes on
 * sha256sum's command line in SHA256SUMS checks), printable.
 */
export const BundlePath = z
  .string()
  .min(1)
  .max(255)
  .refine((p) => /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(p) && !p.split('/').some((part) => part === '.' || part === '..'), {
    message: 'must be a relative path of letters, digits, dot, dash and underscore',
  });

export const ManifestFile = z.object({
  path: BundlePath,
  /** video, camera-video, composite, sheet-png, sheet-pdf, chain, public-key, checksums, or another role an exporter adds. */
  role: z.string().min(1).max(64),
  bytes: Count,
  sha256: Hex64,
  /** The camera a `camera-video` file is from (another camera than the clip's main one). */
  camera: z.string().min(1).max(64).optional(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const ManifestChainEntry = z.object({
  seq: z.number().int().positive(),
  prevHash: Hex64,
  entryHash: Hex64,
  segmentId: z.number().int().positive(),
  camera: z.string(),
  runId: z.number().int(),
  file: z.string(),
  bytes: Count,
  sha256: Hex64,
  startMs: z.number().int(),
  endMs: z.number().int(),
  indexedMs: z.number().int(),
  status: z.enum(['ok', 'recovered', 'damaged']),
  signature: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
});

/** An epoch entry (evidence/segment-chain.ts): where the chain continues after a lost database. */
export const ManifestEpochEntry = z.object({
  kind: z.literal('epoch'),
  seq: z.number().int().positive(),
  prevHash: Hex64,
  entryHash: Hex64,
  afterSeq: z.number().int().nonnegative(),
  atMs: z.number().int(),
  reason: z.string(),
  backup: z.string().nullable(),
  signature: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
});

export const ManifestCamera = z.object({
  id: z.string().min(1).max(64),
  name: z.string(),
  main: z.boolean(),
  recordedVideo: z.object({ bytes: Count, sha256: Hex64, durationMs: Count }).nullable(),
});
export type ManifestCamera = z.infer<typeof ManifestCamera>;

export const ManifestSegment = z.object({
  file: z.string(),
  bytes: Count,
  sha256: Hex64,
  startedAt: IsoTime,
  endedAt: IsoTime,
  status: z.enum(['ok', 'recovered', 'damaged']),
  chainSeq: z.number().int().positive(),
  /** Whether the station re-read the segment file when it sealed the bundle (old footage may be cleaned up). */
  fileAtExport: z.enum(['matches', 'missing']),
  /** The camera that recorded it; absent: the clip's main camera (`clip.camera`), as in one-camera bundles. */
  camera: z.string().optional(),
});
export type ManifestSegment = z.infer<typeof ManifestSegment>;

export const Manifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: IsoTime,
  station: z.object({
    name: z.string(),
    /** SPKI PEM; the same key as station.pub.pem. */
    publicKeyPem: z.string(),
    /** SHA-256 of the DER SPKI, hex. */
    fingerprint: Hex64,
  }),
  clip: z.object({
    id: z.number().int(),
    camera: z.string(),
    mode: ClipMode,
    status: ClipStatus,
    codes: z.array(z.object({ code: z.string(), kind: CodeKind, scannedAt: IsoTime })),
    startedAt: IsoTime,
    endedAt: IsoTime,
    endReason: z.string().nullable(),
    /** The clip MP4 as cut when it was recorded; an export that copies it has the same SHA-256. */
    recordedVideo: z.object({ bytes: Count, sha256: Hex64, durationMs: Count }).nullable(),
    /** Stretches inside the clip where the camera recorded nothing. */
    gaps: z.array(z.object({ startedAt: IsoTime, endedAt: IsoTime.nullable(), reason: z.string() })),
    /**
     * Every camera of a clip filmed by several, the main one (`camera` above) first, each with its MP4
     * as cut when recorded (null: that camera recorded none of the clip). Absent for one camera.
     */
    cameras: z.array(ManifestCamera).optional(),
  }),
  /** The segments the clip's time range covers, oldest first. */
  segments: z.array(ManifestSegment),
  /**
   * Consecutive chain entries from the first covering segment's entry (or the epoch entry before it,
   * when a recovery indexed those segments) to the last one's; an epoch entry may stand among them.
   */
  chain: z.object({ format: z.literal(CHAIN_FORMAT), entries: z.array(z.union([ManifestEpochEntry, ManifestChainEntry])) }),
  /** How the export was made (opaque to the verifier; it is signed like everything else). */
  export: z.record(z.string(), z.unknown()),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;

/** Canonical JSON: sorted keys at every level, two-space indent, trailing newline, as UTF-8 bytes. */
export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(sortKeys(value), null, 2)}\n`, 'utf8');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The first schema problem, as a phrase: `files.0.sha256: must be 64 lower-case hex digits`. */
export function describeSchemaError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'unknown problem';
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  return `${where}: ${issue.message}`;
}

/** Roles of the bundle's videos beside the main camera's `video`. */
export const CAMERA_VIDEO_ROLE = 'camera-video';
export const COMPOSITE_ROLE = 'composite';

/**
 * An other camera's video in the bundle: `<main video base name>.<camera id>.mp4`; a camera id holds
 * bundle-path characters already (recorder/camera-ids.ts), anything else becomes `_`.
 */
export function cameraVideoName(mainVideoName: string, camera: string): string {
  return `${mainVideoName.replace(/\.mp4$/i, '')}.${camera.replace(/[^A-Za-z0-9._-]/g, '_')}.mp4`;
}
