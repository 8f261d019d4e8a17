/**
 * A clip's claims in its evidence bundle (issue 17): each buyer photo as received
 * (`claim-<claim>-photo-<n>.<format>`) and one `claim-<claim>.json` with what the station read in
 * every file (SHA-256, findings, barcodes, matched moments). Both are listed in the signed manifest
 * like the video, so `packwitness verify` proves them unchanged. A claim video stays on the station
 * (up to 200 MB; its SHA-256 is in the JSON).
 *
 * Each photo is re-hashed after the copy: the station never signs a file that no longer matches the
 * SHA-256 recorded when it was received.
 */
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { constants as fsConstants, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../catalog/database.js';
import { sha256File } from '../catalog/hash.js';
import { ClaimsRepo } from '../claims/claims-repo.js';
import { canonicalJson } from '../evidence/manifest.js';
import { both, LocalizedError } from '../localized-error.js';

export const CLAIM_JSON_FORMAT = 'packwitness-claim/1';

export interface ClaimBundleFile {
  path: string;
  role: 'claim-photo' | 'claim-findings';
  sha256: string;
}

/** Copies the clip's claim photos into `bundleDir` and writes each claim's JSON; the files to list in the manifest. */
export async function bundleClaimFiles(db: Db, dataDir: string, clipId: number, bundleDir: string): Promise<ClaimBundleFile[]> {
  const repo = new ClaimsRepo(db);
  const out: ClaimBundleFile[] = [];
  // Oldest first, so the names a reviewer reads follow the order the claims came in.
  for (const claim of repo.forClip(clipId).reverse()) {
    const files = [];
    for (const f of claim.files) {
      let inBundle: string | null = null;
      if (f.kind === 'photo') {
        const stored = repo.filePaths(claim.id, f.position);
        const source = stored ? join(dataDir, ...stored.file.split('/')) : null;
        if (!source || !existsSync(source)) {
          throw new LocalizedError(both(`claim ${claim.id}'s photo ${f.position} is missing from the data folder; the clip was not exported`, `售后核验 ${claim.id} 的照片 ${f.position} 在数据文件夹中缺失；未导出`));
        }
        inBundle = `claim-${claim.id}-photo-${f.position}.${f.format}`;
        const target = join(bundleDir, inBundle);
        await copyFile(source, target, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
        await chmod(target, 0o644);
        const sha256 = await sha256File(target);
        if (sha256 !== f.sha256) {
          throw new LocalizedError(
            both(
              `claim ${claim.id}'s photo ${f.position} no longer matches the SHA-256 recorded when it was received; the clip was not exported`,
              `售后核验 ${claim.id} 的照片 ${f.position} 与接收时记录的 SHA-256 不再一致；未导出`,
            ),
          );
        }
        out.push({ path: inBundle, role: 'claim-photo', sha256 });
      }
      files.push({ ...f, inBundle });
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
