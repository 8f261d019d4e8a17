/**
 * A clip's claims in its evidence bundle: each buyer photo as received
 * (`claim-<claim>-photo-<n>.<format>`) and one `claim-<claim>.json` with what the station read in
 * every file (SHA-256, findings, barcodes, matched moments). Both are listed in the signed manifest
 * like the video, so `packwitness verify` proves them unchanged. A claim's video (one at most, up to
 * 200 MB) goes in the same way as `claim-<claim>-video.<format>`: a platform reviewer who asked for
 * the buyer's video must be able to see the very file the findings were read from.
 *
 * Each file is re-hashed after the copy: the station never signs a file that no longer matches the
 * SHA-256 recorded when it was received.
 */
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { constants as fsConstants, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ClaimFile, Clip } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { sha256File } from '../catalog/hash.js';
import { ClaimsRepo } from '../claims/claims-repo.js';
import { canonicalJson } from '../evidence/manifest.js';
import { msg, LocalizedError } from '../localized-error.js';
import { renderClaimSheet } from './claim-sheet.js';
import type { SheetLocale } from './sheet-text.js';

export const CLAIM_JSON_FORMAT = 'packwitness-claim/1';

export interface ClaimBundleFile {
  path: string;
  role: 'claim-photo' | 'claim-video' | 'claim-findings';
  sha256: string;
}

/** Copies the clip's claim files into `bundleDir` and writes each claim's JSON; the files to list in the manifest. */
export async function bundleClaimFiles(db: Db, dataDir: string, clipId: number, bundleDir: string): Promise<ClaimBundleFile[]> {
  const repo = new ClaimsRepo(db);
  const out: ClaimBundleFile[] = [];
  // Oldest first, so the names a reviewer reads follow the order the claims came in.
  for (const claim of repo.forClip(clipId).reverse()) {
    const files = [];
    for (const f of claim.files) {
      const inBundle = claimFileName(claim.id, f);
      const stored = repo.filePaths(claim.id, f.position);
      const source = stored ? join(dataDir, ...stored.file.split('/')) : null;
      const what = f.kind === 'photo' ? msg('claimFiles.photo', { position: f.position }) : msg('claimFiles.video');
      if (!source || !existsSync(source)) {
        throw new LocalizedError(msg('claimFiles.fileMissing', { id: claim.id, what }));
      }
      const target = join(bundleDir, inBundle);
      await copyFile(source, target, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
      await chmod(target, 0o644);
      const sha256 = await sha256File(target);
      if (sha256 !== f.sha256) {
        throw new LocalizedError(
          msg('claimFiles.fileChanged', { id: claim.id, what }),
        );
      }
      out.push({ path: inBundle, role: f.kind === 'photo' ? 'claim-photo' : 'claim-video', sha256 });
      // The findings file keeps its format (kind, both-language statement, values): the UI's message
      // form of a finding is the station's, not part of the evidence a recipient reads.
      files.push({ ...f, findings: f.findings.map(({ text: _text, ...finding }) => finding), inBundle });
    }
    const json = `claim-${claim.id}.json`;
    // Who added it stays in the station's audit log: a LAN viewer's address is not the platform's business.
    const body = canonicalJson({
      format: CLAIM_JSON_FORMAT,
      claim: { id: claim.id, clipId: claim.clipId, createdAt: claim.createdAt, platform: claim.platform, claimNumber: claim.claimNumber, buyerWords: claim.buyerWords, files },
    });
    await writeFile(join(bundleDir, json), body, { flag: 'wx' });
    out.push({ path: json, role: 'claim-findings', sha256: await sha256File(join(bundleDir, json)) });
  }
  return out;
}

/** A claim file's name in the bundle: `claim-<claim>-photo-<n>.<format>`, `claim-<claim>-video.<format>` (one video per claim). */
export function claimFileName(claimId: number, f: Pick<ClaimFile, 'kind' | 'position' | 'format'>): string {
  return f.kind === 'photo' ? `claim-${claimId}-photo-${f.position}.${f.format}` : `claim-${claimId}-video.${f.format}`;
}

export interface ClaimSheetFile {
  path: string;
  role: 'claim-sheet-pdf' | 'claim-sheet-png';
}

/**
 * A claim sheet (claim-sheet.ts) per claim photo, `claim-<claim>-photo-<n>-sheet.pdf` / `.png`, in the
 * export's language; the files to list in the manifest.
 */
export async function bundleClaimSheets(
  d: { db: Db; dataDir: string; ffmpegPath: string; keyFingerprint: string },
  clip: Clip & { video: NonNullable<Clip['video']> },
  videoPath: string,
  locale: SheetLocale,
  bundleDir: string,
): Promise<ClaimSheetFile[]> {
  const repo = new ClaimsRepo(d.db);
  const out: ClaimSheetFile[] = [];
  for (const claim of repo.forClip(clip.id).reverse()) {
    for (const f of claim.files.filter((x) => x.kind === 'photo')) {
      const preview = f.hasPreview ? repo.filePaths(claim.id, f.position)?.preview : null;
      const previewFile = preview ? join(d.dataDir, ...preview.split('/')) : null;
      if (previewFile && !existsSync(previewFile)) {
        throw new LocalizedError(msg('claimFiles.photoPreviewMissing', { id: claim.id, position: f.position }));
      }
      const photoFile = claimFileName(claim.id, f);
      const sheet = await renderClaimSheet(
        {
          ffmpegPath: d.ffmpegPath,
          videoPath,
          clipStartMs: Date.parse(clip.startedAt),
          facts: {
            clipId: clip.id,
            codes: clip.codes,
            station: clip.station,
            claim: { id: claim.id, platform: claim.platform, claimNumber: claim.claimNumber },
            photoFile,
            photoSha256: f.sha256,
            clipSha256: clip.video.sha256,
            keyFingerprint: d.keyFingerprint,
            findings: f.findings,
          },
          previewFile,
          format: f.format,
          matches: f.matches,
          locale,
        },
        bundleDir,
        `claim-${claim.id}-photo-${f.position}-sheet`,
      );
      out.push({ path: basename(sheet.pdf), role: 'claim-sheet-pdf' }, { path: basename(sheet.png), role: 'claim-sheet-png' });
    }
  }
  return out;
}
