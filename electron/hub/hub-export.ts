/**
 * An export from the hub: the station's own sealed bundle put together again (the small files it
 * uploaded with the clip record, and the video from the footage store) and zipped the way a station
 * zips it (electron/station/evidence/bundle.ts). Nothing is re-signed: the hub holds no station key,
 * so the bundle verifies with `packwitness verify` and docs/VERIFY.md exactly as one made at the bench.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { zipBundle } from '../station/evidence/bundle.js';
import { BundlePath } from '../station/evidence/manifest.js';
import type { HubClip } from './library.js';
import { clipVideoKey, type FootageStore } from './storage/footage-store.js';

export async function assembleBundle(
  store: FootageStore,
  workDir: string,
  clip: HubClip & { bundle: { videoName: string; files: Record<string, string> } },
): Promise<{ dir: string; zip: string; name: string; bytes: number }> {
  const name = clip.bundle.videoName.replace(/\.[A-Za-z0-9]+$/, '').replace(/[^A-Za-z0-9._-]/g, '_') || `clip-${clip.id}`;
  const dir = join(workDir, `export-${randomBytes(6).toString('hex')}`);
  const bundleDir = join(dir, name);
  await mkdir(bundleDir, { recursive: true });
  try {
    // Names were checked as bundle paths by the station; checked again, as they become file names here.
    for (const [file, b64] of Object.entries(clip.bundle.files)) {
      if (!BundlePath.safeParse(file).success || file.includes('/')) throw new Error(`clip ${clip.id}'s bundle holds an unusable file name`);
      await writeFile(join(bundleDir, file), Buffer.from(b64, 'base64'));
    }
    if (!BundlePath.safeParse(clip.bundle.videoName).success || clip.bundle.videoName.includes('/')) throw new Error(`clip ${clip.id}'s video name is unusable`);
    await pipeline(store.read(clipVideoKey(clip.stationId, clip.stationClipId)), createWriteStream(join(bundleDir, clip.bundle.videoName)));
    const zip = join(dir, `${name}.zip`);
    const { bytes } = await zipBundle(bundleDir, zip);
    return { dir, zip, name, bytes };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
