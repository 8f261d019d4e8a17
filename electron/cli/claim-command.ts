/**
 * `packwitness claim`: the claim check from the command line, on a stopped or running station (the
 * database is opened read-only, as `find` does). Reads each photo the way the station does
 * (inspect-file.ts: content type, pixel limit, decode in a child process, metadata findings) and
 * prints what it found; stores nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ClaimFinding, Clip } from '../../shared/api.js';
import { inspectFile } from '../station/claims/inspect-file.js';
import { matchPhotosToClip } from '../station/claims/clip-matcher.js';
import { findingsFrom } from '../station/claims/findings.js';
import { locateFfmpeg } from '../station/ffmpeg/locate.js';
import { clipsWithCode } from '../station/claims/clips-with-code.js';
import { closeMetadataReader, type Tags } from '../station/claims/metadata-reader.js';
import { ClipsRepo } from '../station/clips/clips-repo.js';
import { resolveDataDir } from '../station/data-dir.js';
import { CLAIM_MAX_PHOTO_BYTES, CLAIM_MAX_PHOTOS } from '../station/limits.js';
import { msg, LocalizedError } from '../station/localized-error.js';
import { printable } from '../station/printable.js';
import { openForReading } from './find-command.js';

export class ClaimCheckError extends LocalizedError {
  override name = 'ClaimCheckError';
}

export interface ClaimCheckPhoto {
  file: string;
  sha256: string;
  bytes: number;
  format: string;
  width: number | null;
  height: number | null;
  findings: ClaimFinding[];
  /** Barcodes and QR codes read in the photo. */
  barcodes: Array<{ format: string; text: string }>;
  /** Moments of the clip that look like the photo (best first, at most 3): seconds from the clip's start and the number of matched features one perspective explains. */
  matches: Array<{ atSeconds: number; score: number }>;
  /** One sentence when the station would refuse this file; the other photos are still checked. */
  error: string | null;
}

export interface ClaimCheck {
  clip: { id: number; codes: string[]; startedAt: string; endedAt: string | null; sha256: string | null };
  photos: ClaimCheckPhoto[];
}

export async function checkClaim(dataDir: string, target: { clip?: number; code?: string }, photos: string[]): Promise<ClaimCheck> {
  if (photos.length === 0) throw new ClaimCheckError(msg('claimCommand.noPhoto'));
  if (photos.length > CLAIM_MAX_PHOTOS) throw new ClaimCheckError(msg('claimCommand.tooManyPhotos', { claimMaxPhotos: CLAIM_MAX_PHOTOS, photosLength: photos.length }));
  const dir = resolveDataDir(dataDir);
  let clip = target.clip !== undefined || target.code !== undefined ? findClip(dir, target) : null;
  const work = mkdtempSync(join(tmpdir(), 'packwitness-claim-'));
  try {
    const out: ClaimCheckPhoto[] = [];
    const tags: Array<Tags | null> = [];
    for (const [i, file] of photos.entries()) {
      const label = `photo ${i + 1} (${basename(file)})`;
      const entry: ClaimCheckPhoto = { file, sha256: '', bytes: 0, format: '', width: null, height: null, findings: [], barcodes: [], matches: [], error: null };
      out.push(entry);
      tags.push(null);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        entry.error = `${label} cannot be read: no such file.`;
        continue;
      }
      if (size > CLAIM_MAX_PHOTO_BYTES) {
        entry.error = `${label} is larger than ${CLAIM_MAX_PHOTO_BYTES / 1024 / 1024} MB.`;
        continue;
      }
      entry.bytes = size;
      entry.sha256 = await sha256(file);
      try {
        const info = await inspectFile(file, 'photo', label, 0, join(work, `${i + 1}.jpg`));
        Object.assign(entry, { format: info.format, width: info.width, height: info.height, barcodes: info.codes });
        tags[i] = info.tags;
      } catch (err) {
        if (!(err instanceof LocalizedError)) throw err;
        entry.error = err.message;
      }
    }
    // No clip named: the waybill the buyer photographed names it.
    clip ??= clipFromBarcodes(dir, out.flatMap((p) => p.barcodes.map((b) => b.text)));
    for (const [i, t] of tags.entries()) if (t) out[i]!.findings = findingsFrom(t, { clipStartMs: Date.parse(clip.startedAt) });
    // Visual match against the clip's own MP4 (the previews are the station's JPEGs of the photos).
    const clipFile = clipVideoFile(dir, clip.id);
    const decoded = out.map((p, i) => ({ p, preview: join(work, `${i + 1}.jpg`) })).filter(({ p, preview }) => !p.error && existsSync(preview));
    if (clipFile && decoded.length) {
      const result = await matchPhotosToClip({ ffmpegPath: (await locateFfmpeg()).path, clipFile, photoFiles: decoded.map((d) => d.preview) });
      decoded.forEach((d, i) => (d.p.matches = result.photos[i]!.matches));
    }
    return { clip: { id: clip.id, codes: clip.codes, startedAt: clip.startedAt, endedAt: clip.endedAt, sha256: clip.video?.sha256 ?? null }, photos: out };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await closeMetadataReader();
  }
}

/** The clip's MP4 on disk, or null (not cut yet, expired). */
function clipVideoFile(dir: string, clipId: number): string | null {
  const { db, close } = openForReading(dir);
  try {
    const row = db.prepare('SELECT file, video_expired_ms FROM clips WHERE id = ?').get(clipId) as { file: string | null; video_expired_ms: number | null } | undefined;
    if (!row?.file || row.video_expired_ms !== null) return null;
    const path = join(dir, ...row.file.split('/'));
    return existsSync(path) ? path : null;
  } finally {
    close();
  }
}

function clipFromBarcodes(dir: string, codes: string[]): Clip {
  const { db, close } = openForReading(dir);
  try {
    for (const code of codes) {
      const id = clipsWithCode(db, code)[0];
      if (id !== undefined) return new ClipsRepo(db).get(id)!;
    }
  } finally {
    close();
  }
  throw new ClaimCheckError(
    codes.length
      ? msg('claimCommand.noClipForCodes', { codes: { en: codes.map(printable).join(', '), 'zh-CN': codes.map(printable).join('、') } })
      : msg('claimCommand.noBarcode'),
  );
}

/** The clip by id, or the newest clip carrying exactly this code (as typed or normalised). */
function findClip(dir: string, target: { clip?: number; code?: string }): Clip {
  const { db, close } = openForReading(dir);
  try {
    const repo = new ClipsRepo(db);
    if (target.clip !== undefined) {
      const clip = repo.get(target.clip);
      if (!clip) throw new ClaimCheckError(msg('claimCommand.noClip', { clip: target.clip }));
      return clip;
    }
    const hit = clipsWithCode(db, target.code ?? '')[0];
    if (hit === undefined) throw new ClaimCheckError(msg('claimCommand.noClipForCode', { code: printable(target.code ?? '') }));
    return repo.get(hit)!;
  } finally {
    close();
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The report for a person: one block per photo, every value from the file escaped for the terminal. */
export function formatClaimCheck(c: ClaimCheck, lang: 'en' | 'zh-CN'): string {
  const lines = [`clip ${c.clip.id}  ${c.clip.startedAt}  ${c.clip.codes.map(printable).join(',')}${c.clip.sha256 ? `  sha256 ${c.clip.sha256}` : ''}`];
  for (const [i, p] of c.photos.entries()) {
    lines.push('', `photo ${i + 1}  ${printable(p.file)}`);
    if (p.error) {
      lines.push(`  refused: ${printable(p.error)}`);
      continue;
    }
    lines.push(`  sha256 ${p.sha256}  ${p.format} ${p.width ?? '?'}x${p.height ?? '?'}  ${p.bytes} bytes`);
    for (const b of p.barcodes) lines.push(`  barcode ${b.format} ${printable(b.text)}`);
    for (const f of p.findings) lines.push(`  [${f.kind}] ${printable(f.statement[lang])}`);
    for (const m of p.matches) lines.push(`  match at ${m.atSeconds.toFixed(1)} s  score ${m.score.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}
