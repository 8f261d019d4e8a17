/**
 * Adding a claim to a clip: the buyer's files are received into `claims/.incoming/`, each checked
 * (inspect-file.ts), and only when every one passes are they moved to
 * `claims/clip-<clip>/claim-<claim>/<n>-<kind>.<ext>`, made read-only, and recorded with their
 * SHA-256 and findings in one transaction, with the audit entry. One refused file refuses the claim
 * with one sentence and leaves nothing behind; the files are never modified (the preview beside a
 * photo is the station's own JPEG).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import type { Claim, ClaimFields, ClaimFile, ClaimIdentifyResponse } from '../../../shared/api.js';
import { runClipMatch } from './clip-match-run.js';
import type { Db } from '../catalog/database.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import { CLAIM_MAX_PHOTO_BYTES, CLAIM_MAX_PHOTOS, CLAIM_MAX_VIDEO_BYTES } from '../limits.js';
import { msg, LocalizedError } from '../localized-error.js';
import { ClaimsRepo } from './claims-repo.js';
import { clipsWithCode } from './clips-with-code.js';
import { inspectFile, type ClaimFileKind, type InspectedFile } from './inspect-file.js';

export const CLAIMS_DIR = 'claims';

export interface ReceivedFile {
  kind: ClaimFileKind;
  originalName: string;
  tempPath: string;
  bytes: number;
  sha256: string;
}

export class FileTooLargeError extends LocalizedError {}

/** Cleans a buyer's file name for storing as text: no control or format characters, at most 120 characters. */
export function cleanName(name: string): string {
  return [...name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, 120).join('') || 'unnamed';
}

export function incomingDir(dataDir: string): string {
  const dir = join(dataDir, CLAIMS_DIR, '.incoming');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Streams one upload to a temporary file, hashing as it goes, and stops at the kind's size limit
 * (FileTooLargeError; the partial file is deleted).
 */
export async function receiveFile(dataDir: string, source: Readable, kind: ClaimFileKind, originalName: string, position: number): Promise<ReceivedFile> {
  const limit = kind === 'photo' ? CLAIM_MAX_PHOTO_BYTES : CLAIM_MAX_VIDEO_BYTES;
  const tempPath = join(incomingDir(dataDir), randomUUID());
  const hash = createHash('sha256');
  let bytes = 0;
  const name = cleanName(originalName);
  let tooLarge = false;
  // Past the limit the rest is read and dropped, not refused mid-stream: a client still sending
  // waits for its upload to finish before it reads any answer, so an unread body never gets one.
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limit) tooLarge = true;
      if (tooLarge) return done();
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx' }));
  } catch (err) {
    rmSync(tempPath, { force: true });
    throw err;
  }
  if (tooLarge) {
    rmSync(tempPath, { force: true });
    throw new FileTooLargeError(
      msg(kind === 'photo' ? 'claimIntake.photoTooLarge' : 'claimIntake.videoTooLarge', { position, name, mb: limit / 1024 / 1024 }),
    );
  }
  return { kind, originalName: name, tempPath, bytes, sha256: hash.digest('hex') };
}

export interface ClaimIntakeDeps {
  db: Db;
  dataDir: string;
  clips: ClipsRepo;
  /** For the visual match (the clip's frames; never a buyer file). Null: no match. */
  ffmpegPath: string | null;
}

export class ClaimIntake {
  readonly repo: ClaimsRepo;
  constructor(private readonly d: ClaimIntakeDeps) {
    this.repo = new ClaimsRepo(d.db);
  }

  /** Each photo's best moments in the clip (empty when there is no clip video, no preview, or the match failed). */
  private async visualMatch(clipId: number, durationMs: number, previewFiles: Array<string | null>): Promise<Array<ClaimFile['matches']>> {
    const row = this.d.db.prepare('SELECT file, video_expired_ms FROM clips WHERE id = ?').get(clipId) as { file: string | null; video_expired_ms: number | null } | undefined;
    const photos = previewFiles.flatMap((p, i) => (p ? [{ p, i }] : []));
    if (!this.d.ffmpegPath || !row?.file || row.video_expired_ms !== null || photos.length === 0) return previewFiles.map(() => []);
    const clipFile = join(this.d.dataDir, ...row.file.split('/'));
    if (!existsSync(clipFile)) return previewFiles.map(() => []);
    const result = await runClipMatch({ ffmpegPath: this.d.ffmpegPath, clipFile, photoFiles: photos.map((x) => x.p), clipSeconds: durationMs / 1000 });
    const out: Array<ClaimFile['matches']> = previewFiles.map(() => []);
    photos.forEach((x, k) => (out[x.i] = result?.[k]?.matches ?? []));
    return out;
  }

  /**
   * Photos dropped on the library: the barcodes in each and the clips carrying them. Nothing is
   * stored; the temporary files are deleted. A photo that cannot be read gets its sentence, the others still count.
   */
  async identify(files: ReceivedFile[]): Promise<ClaimIdentifyResponse> {
    const photos: ClaimIdentifyResponse['photos'] = [];
    try {
      for (const [i, f] of files.entries()) {
        try {
          const info = await inspectFile(f.tempPath, 'photo', `photo ${i + 1} (${f.originalName})`, 0, `${f.tempPath}.preview.jpg`);
          photos.push({ name: f.originalName, barcodes: info.codes.map((c) => ({ ...c, clipIds: clipsWithCode(this.d.db, c.text) })), error: null });
        } catch (err) {
          if (!(err instanceof LocalizedError)) throw err;
          photos.push({ name: f.originalName, barcodes: [], error: err.message, ...(err.text ? { text: err.text } : {}) });
        }
      }
      return { photos };
    } finally {
      for (const f of files) {
        rmSync(f.tempPath, { force: true });
        rmSync(`${f.tempPath}.preview.jpg`, { force: true });
      }
    }
  }

  /**
   * Checks every file, then stores the claim. The temporary files are consumed: moved into the claim's
   * folder, or deleted when the claim is refused.
   * @throws LocalizedError (one sentence) when the clip is unknown or a file is refused.
   */
  async add(clipId: number, fields: ClaimFields, files: ReceivedFile[], actor: string): Promise<Claim> {
    const previews: string[] = [];
    try {
      const clip = this.d.clips.get(clipId);
      if (!clip) throw new LocalizedError(msg('clipExport.noClip', { clipId }));
      const photos = files.filter((f) => f.kind === 'photo');
      const videos = files.filter((f) => f.kind === 'video');
      if (photos.length === 0 && videos.length === 0) throw new LocalizedError(msg('claimIntake.noBuyerFile'));
      if (photos.length > CLAIM_MAX_PHOTOS) throw new LocalizedError(msg('claimIntake.tooManyPhotos', { claimMaxPhotos: CLAIM_MAX_PHOTOS, photosLength: photos.length }));
      if (videos.length > 1) throw new LocalizedError(msg('claimIntake.tooManyVideos'));

      const clipStartMs = Date.parse(clip.startedAt);
      const ordered = [...photos, ...videos];
      const inspected: InspectedFile[] = [];
      for (const [i, f] of ordered.entries()) {
        const n = f.kind === 'photo' ? i + 1 : 1;
        const label = f.kind === 'photo' ? `photo ${n} (${f.originalName})` : `the video (${f.originalName})`;
        const preview = `${f.tempPath}.preview.jpg`;
        previews.push(preview);
        inspected.push(await inspectFile(f.tempPath, f.kind, label, clipStartMs, preview));
      }

      const matches = await this.visualMatch(clipId, clip.video?.durationMs ?? 0, inspected.map((info, i) => (info.preview ? previews[i]! : null)));

      const createdMs = Date.now();
      const moved: string[] = [];
      const store = this.d.db.transaction(() => {
        const claimId = this.repo.insertClaim({
          clipId,
          createdMs,
          actor,
          platform: fields.platform || null,
          claimNumber: fields.claimNumber || null,
          buyerWords: fields.buyerWords || null,
        });
        const rel = `${CLAIMS_DIR}/clip-${clipId}/claim-${claimId}`;
        mkdirSync(join(this.d.dataDir, ...rel.split('/')), { recursive: true });
        ordered.forEach((f, i) => {
          const info = inspected[i]!;
          const stem = `${rel}/${i + 1}-${f.kind}`;
          const file = `${stem}.${info.format}`;
          const target = join(this.d.dataDir, ...file.split('/'));
          renameSync(f.tempPath, target);
          moved.push(target);
          // Read-only: the file is the buyer's evidence as received; nothing in the station writes it again.
          chmodSync(target, 0o444);
          let preview: string | null = null;
          if (info.preview) {
            preview = `${stem}.preview.jpg`;
            const previewTarget = join(this.d.dataDir, ...preview.split('/'));
            renameSync(previews[i]!, previewTarget);
            moved.push(previewTarget);
          }
          this.repo.insertFile(claimId, {
            position: i + 1,
            kind: f.kind,
            originalName: f.originalName,
            file,
            preview,
            bytes: f.bytes,
            sha256: f.sha256,
            format: info.format,
            width: info.width,
            height: info.height,
            findings: info.findings,
            barcodes: info.codes.map((c) => ({ ...c, clipIds: clipsWithCode(this.d.db, c.text) })),
            matches: matches[i] ?? [],
          });
        });
        const what = [photos.length ? `${photos.length} photo${photos.length === 1 ? '' : 's'}` : '', videos.length ? '1 video' : ''].filter(Boolean).join(', ');
        const about = [fields.platform, fields.claimNumber ? `claim ${fields.claimNumber}` : ''].filter(Boolean).join(', ');
        this.d.clips.audit(clipId, actor, 'claim', `claim ${claimId}: ${what}${about ? ` (${about})` : ''}; sha256 ${ordered.map((f) => f.sha256.slice(0, 12)).join(' ')}`);
        // A clip under a claim must outlive retention: protected, like a person would, and audited as such.
        if (!clip.protected) {
          this.d.clips.setProtected(clipId, true);
          this.d.clips.audit(clipId, actor, 'protect', `claim ${claimId}`);
        }
        return claimId;
      });
      let claimId: number;
      try {
        claimId = store();
      } catch (err) {
        for (const m of moved) {
          chmodSync(m, 0o644);
          rmSync(m, { force: true });
        }
        throw err;
      }
      return this.repo.get(claimId)!;
    } finally {
      for (const f of files) rmSync(f.tempPath, { force: true });
      for (const p of previews) rmSync(p, { force: true });
    }
  }
}
