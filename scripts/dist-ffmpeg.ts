/**
 * `npm run dist`'s ffmpeg: the installer ships a current ffmpeg, not @ffmpeg-installer's 2018 4.1.
 *
 * No npm package ships a current ffmpeg inside its tarball (ffmpeg-static and its kin download theirs
 * from GitHub at install time), so the build machine names one: PACKWITNESS_DIST_FFMPEG is a static
 * ffmpeg for the platform being built (e.g. BtbN's or gyan.dev's Windows build, evermeet.cx's for
 * macOS, johnvansickle's for Linux), as the binary itself or as the folder it was unpacked into. It is
 * run once to read its version (installers are built on their own platform, README), refused when older
 * than FFMPEG_MIN_CURRENT_RELEASE, and copied with its licence files to build/ffmpeg/, which
 * electron-builder.yml packs as the app's resources/ffmpeg/ (locate.ts prefers it there).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FFMPEG_MIN_CURRENT_RELEASE, parseVersionOutput, versionText, SHIPPED_FFMPEG_DIR, shippedFfmpegName } from '../electron/station/ffmpeg/locate.js';

export const DIST_FFMPEG_ENV = 'PACKWITNESS_DIST_FFMPEG';
/** What build/ffmpeg/ holds beside the binary: where it came from and what it is. */
export const DIST_FFMPEG_STAMP = 'ffmpeg.json';

export class DistFfmpegError extends Error {
  override name = 'DistFfmpegError';
}

export interface DistFfmpegStamp {
  source: string;
  versionLine: string;
  lavf: [number, number, number];
  major: number;
  sha256: string;
  licences: string[];
}

/** The binary a value of PACKWITNESS_DIST_FFMPEG names: the file, or ffmpeg(.exe) in the folder or its bin/. */
export function findBinary(given: string, platform: NodeJS.Platform = process.platform): string {
  const name = shippedFfmpegName(platform);
  if (!existsSync(given)) throw new DistFfmpegError(`${DIST_FFMPEG_ENV} names ${given}, which does not exist.`);
  if (statSync(given).isFile()) return given;
  for (const candidate of [join(given, name), join(given, 'bin', name)]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new DistFfmpegError(`${given} holds no ${name} (looked in it and in its bin/ folder).`);
}

/**
 * Checks and copies the named ffmpeg into outDir (emptied first). Throws a DistFfmpegError with one
 * sentence when it is missing, does not run, or is older than FFMPEG_MIN_CURRENT_RELEASE.0.
 */
export function prepareDistFfmpeg(given: string | undefined, outDir: string, platform: NodeJS.Platform = process.platform): DistFfmpegStamp {
  if (!given?.trim()) {
    throw new DistFfmpegError(
      `Set ${DIST_FFMPEG_ENV} to a static ffmpeg ${FFMPEG_MIN_CURRENT_RELEASE}.0 or newer for this platform (the binary or the folder it was unpacked into): ` +
        `the installer ships it instead of the 2018 ffmpeg 4.1 that npm installs.`,
    );
  }
  const binary = findBinary(given.trim(), platform);
  let stdout: string;
  try {
    stdout = execFileSync(binary, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 20_000 });
  } catch (err) {
    throw new DistFfmpegError(`${binary} did not run (${(err as Error).message.split('\n')[0]}); build each installer on its own platform with that platform's ffmpeg.`);
  }
  const v = parseVersionOutput(stdout);
  if (!v.lavf) throw new DistFfmpegError(`${binary} does not say its libavformat version, so its release is unknown; use an official or well-known static build.`);
  if (v.major < FFMPEG_MIN_CURRENT_RELEASE) {
    throw new DistFfmpegError(`${binary} is ffmpeg ${versionText(v)} (libavformat ${v.lavf.join('.')}), older than ${FFMPEG_MIN_CURRENT_RELEASE}.0; the installer needs a current one.`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, shippedFfmpegName(platform));
  copyFileSync(binary, target);
  chmodSync(target, 0o755);
  // GPL/LGPL builds come with their licence texts; they travel with the binary.
  const licences: string[] = [];
  for (const dir of new Set([dirname(binary), dirname(dirname(binary))])) {
    for (const f of readdirSync(dir)) {
      if (/^(licen[cs]e|copying|readme)/i.test(f) && statSync(join(dir, f)).isFile() && !licences.includes(f)) {
        copyFileSync(join(dir, f), join(outDir, f));
        licences.push(f);
      }
    }
  }
  const stamp: DistFfmpegStamp = {
    source: binary,
    versionLine: v.versionLine,
    lavf: v.lavf,
    major: v.major,
    sha256: createHash('sha256').update(readFileSync(target)).digest('hex'),
    licences,
  };
  writeFileSync(join(outDir, DIST_FFMPEG_STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

if (process.argv[1] && basename(process.argv[1]) === 'dist-ffmpeg.js') {
  try {
    const stamp = prepareDistFfmpeg(process.env[DIST_FFMPEG_ENV], join(root, 'build', SHIPPED_FFMPEG_DIR));
    console.log(`The installer ships ffmpeg ${versionText(stamp)} (libavformat ${stamp.lavf.join('.')}) from ${stamp.source}.`);
  } catch (err) {
    console.error(err instanceof DistFfmpegError ? err.message : err);
    process.exit(1);
  }
}
