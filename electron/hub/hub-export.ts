/**
 * An export from the hub: the station's own sealed bundle put together again (the small files it
 * uploaded with the clip record, and the video from the footage store) and zipped the way a station
 * zips it (electron/station/evidence/bundle.ts). Nothing is re-signed: the hub holds no station key,
 * so the bundle verifies with `packwitness verify` and docs/VERIFY.md exactly as one made at the bench.
 * A manifest that lists other cameras' videos gets each from the store under the name it gives.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { zipBundle } from '../station/evidence/bundle.js';
import { BundlePath } from '../station/evidence/manifest.js';
import type { HubClip } from './library.js';
import { clipCameraVideoKey, clipVideoKey, type FootageStore } from './storage/footage-store.js';
import type { ClipCamera } from '../../shared/api.js';
import { msg, LocalizedError } from '../station/localized-error.js';

/** A bundle the hub cannot put together yet (a camera's video its manifest lists has not arrived). */
export class HubExportRefusedError extends LocalizedError {
  override name = 'HubExportRefusedError';
}

/**
 * The other cameras' videos the signed manifest lists (role `camera-video`, with `camera`), each to be
 * written under the manifest's own name. Read from the raw manifest, whose `camera` field the parsed
 * one may not keep. A manifest of one video lists none.
 */
export function manifestCameraVideos(files: Record<string, string>): Array<{ camera: string; path: string }> {
  const b64 = files['manifest.json'];
  if (!b64) return [];
  let listed: unknown;
  try {
    listed = (JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as { files?: unknown }).files;
  } catch {
    return [];
  }
  const out: Array<{ camera: string; path: string }> = [];
  for (const f of Array.isArray(listed) ? (listed as Array<Record<string, unknown>>) : []) {
    if (f.role === 'camera-video' && typeof f.camera === 'string' && typeof f.path === 'string') out.push({ camera: f.camera, path: f.path });
  }
  return out;
}

/** Every path the uploaded manifest lists; none when it cannot be read (zipBundle then refuses it in one sentence). */
function manifestPaths(files: Record<string, string>): string[] {
  try {
    const listed = (JSON.parse(Buffer.from(files['manifest.json'] ?? '', 'base64').toString('utf8')) as { files?: unknown }).files;
    return (Array.isArray(listed) ? (listed as Array<Record<string, unknown>>) : []).flatMap((f) => (typeof f.path === 'string' ? [f.path] : []));
  } catch {
    return [];
  }
}

export async function assembleBundle(
  store: FootageStore,
  workDir: string,
  clip: HubClip & { bundle: { videoName: string; files: Record<string, string> } },
  cameras: readonly ClipCamera[] = [],
): Promise<{ dir: string; zip: string; name: string; bytes: number }> {
  const others = manifestCameraVideos(clip.bundle.files);
  for (const o of others) {
    if (!cameras.some((k) => k.id === o.camera && !k.main && k.hasVideo)) {
      const shown = o.camera.slice(0, 40);
      throw new HubExportRefusedError(
        msg('hubExport.cameraVideoNotOnHub', { shown, id: clip.id }),
      );
    }
  }
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
    // No main video (the main camera recorded none of the clip): the manifest lists none, only the others'.
    if (clip.video) await pipeline(store.read(clipVideoKey(clip.stationId, clip.stationClipId)), createWriteStream(join(bundleDir, clip.bundle.videoName)));
    // Each other camera's stored video under the name the station's signed manifest gives it.
    for (const o of others) {
      if (!BundlePath.safeParse(o.path).success || o.path.includes('/') || o.path in clip.bundle.files || o.path === clip.bundle.videoName) {
        throw new Error(`clip ${clip.id}'s bundle names camera ${o.camera.slice(0, 40)}'s video unusably`);
      }
      await pipeline(store.read(clipCameraVideoKey(clip.stationId, clip.stationClipId, o.camera)), createWriteStream(join(bundleDir, o.path)));
    }
    // Every file the manifest lists must be here: the zip writer fails on a missing one in a way that
    // would take the hub down (an error event nobody listens to), and the bundle would not verify anyway.
    for (const path of manifestPaths(clip.bundle.files)) {
      if (!(await stat(join(bundleDir, ...path.split('/'))).then((st) => st.isFile(), () => false))) {
        const shown = path.slice(0, 80).replace(/[^A-Za-z0-9._/-]/g, '_');
        throw new HubExportRefusedError(msg('hubExport.bundleFileMissing', { id: clip.id, shown }));
      }
    }
    const zip = join(dir, `${name}.zip`);
    const { bytes } = await zipBundle(bundleDir, zip);
    return { dir, zip, name, bytes };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
