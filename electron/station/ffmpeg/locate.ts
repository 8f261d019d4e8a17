/**
 * Finding ffmpeg. The choice is `--ffmpeg` (or PACKWITNESS_FFMPEG when the flag is not given):
 *
 *   auto (default)  the newer of the bundled binary and an `ffmpeg` on the PATH;
 *                   the PATH one on a tie. The bundled build is a 2018 ffmpeg 4.1: it decodes what
 *                   cameras and files send, old decoders have known vulnerabilities, and a distribution's
 *                   ffmpeg gets their fixes. Whichever exists, when only one does.
 *   bundled         the bundled binary only
 *   system          `ffmpeg` on the PATH only
 *   a path          that binary
 *
 * The bundled binary is the one an installer ships (resources/ffmpeg/, a current static build chosen at
 * `npm run dist`: scripts/dist-ffmpeg.ts), else @ffmpeg-installer's from npm.
 *
 * "Newer" compares libavformat's version (major.minor.micro), which every build prints and which
 * orders releases and git snapshots alike; the "ffmpeg version" text of a git build is a commit.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FfmpegError, runFfmpeg } from './runner.js';

export class FfmpegNotFoundError extends Error {
  override name = 'FfmpegNotFoundError';
}

/** The environment variable read when `--ffmpeg` is not given. */
export const FFMPEG_ENV = 'PACKWITNESS_FFMPEG';

/** Releases before this one get a doctor warning (old decoders, old hardware-encoder APIs). */
export const FFMPEG_MIN_CURRENT_RELEASE = 6;

export type FfmpegChoice = { kind: 'auto' } | { kind: 'bundled' } | { kind: 'system' } | { kind: 'path'; path: string };

export interface FfmpegInfo {
  path: string;
  /** The first line of `ffmpeg -version`. */
  versionLine: string;
  /** Major release (4 for the bundled static build), derived from libavformat's major version; 0 if unknown. */
  major: number;
  /** libavformat's version, [major, minor, micro]; null when the output does not say. */
  lavf: [number, number, number] | null;
  source: 'configured' | 'bundled' | 'system';
  /** Why this one, in a sentence (logged at start, shown by doctor). */
  reason: string;
}

/** libavformat major → ffmpeg release. Git builds print "N-12345-g…" as their version, libavformat never lies. */
const LAVF_TO_FFMPEG: Record<number, number> = { 57: 3, 58: 4, 59: 5, 60: 6, 61: 7, 62: 8 };

/** `--ffmpeg` / PACKWITNESS_FFMPEG → a choice. Empty or unset is auto. */
export function parseFfmpegChoice(value: string | undefined): FfmpegChoice {
  const v = (value ?? '').trim();
  if (v === '' || v === 'auto') return { kind: 'auto' };
  if (v === 'bundled') return { kind: 'bundled' };
  if (v === 'system') return { kind: 'system' };
  return { kind: 'path', path: v };
}

/** What `ffmpeg -version` says, parsed. */
export function parseVersionOutput(stdout: string): Pick<FfmpegInfo, 'versionLine' | 'major' | 'lavf'> {
  const versionLine = stdout.split('\n')[0]?.trim() ?? '';
  const m = /libavformat\s+(\d+)\.\s*(\d+)\.\s*(\d+)/.exec(stdout);
  const lavf: [number, number, number] | null = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  return { versionLine, lavf, major: lavf ? (LAVF_TO_FFMPEG[lavf[0]] ?? 0) : 0 };
}

/** The version as ffmpeg prints it ("5.1.6-0+deb12u1", "N-47683-g0e8eb07980-static"). */
export function versionText(info: Pick<FfmpegInfo, 'versionLine'>): string {
  return /^ffmpeg version (\S+)/.exec(info.versionLine)?.[1] ?? '?';
}

/** -1, 0, 1 as a is older than, as old as, newer than b (an unknown libavformat is oldest). */
export function compareLavf(a: FfmpegInfo['lavf'], b: FfmpegInfo['lavf']): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

type Probed = Omit<FfmpegInfo, 'reason'>;

const describe = (p: Probed): string => `${versionText(p)} (libavformat ${p.lavf ? p.lavf.join('.') : '?'})`;

/**
 * auto: the PATH ffmpeg when it is at least as new as the bundled one, else the bundled one; the one
 * that exists when the other does not; null when neither does.
 */
export function chooseAuto(bundled: Probed | null, system: Probed | null): FfmpegInfo | null {
  if (bundled && system) {
    return compareLavf(system.lavf, bundled.lavf) >= 0
      ? { ...system, reason: `ffmpeg on the PATH ${describe(system)} is not older than the bundled ${describe(bundled)}` }
      : { ...bundled, reason: `the bundled ffmpeg ${describe(bundled)} is newer than the one on the PATH ${describe(system)}` };
  }
  if (system) return { ...system, reason: `ffmpeg on the PATH ${describe(system)}; no bundled ffmpeg` };
  if (bundled) return { ...bundled, reason: `the bundled ffmpeg ${describe(bundled)}; none on the PATH` };
  return null;
}

export async function locateFfmpeg(configured?: string): Promise<FfmpegInfo> {
  const fromFlag = configured !== undefined && configured !== '';
  const choice = parseFfmpegChoice(fromFlag ? configured : process.env[FFMPEG_ENV]);
  const said = fromFlag ? '--ffmpeg' : FFMPEG_ENV;
  const tried: string[] = [];
  const probe = async (path: string, source: FfmpegInfo['source']): Promise<Probed | null> => {
    try {
      const { stdout } = await runFfmpeg(path, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
      return { path, source, ...parseVersionOutput(stdout.toString('utf8')) };
    } catch (err) {
      tried.push(`${path} (${(err instanceof FfmpegError && err.errno) || (err as Error).message})`);
      return null;
    }
  };
  const bundledPath = choice.kind === 'auto' || choice.kind === 'bundled' ? bundledFfmpegPath() : null;
  if ((choice.kind === 'bundled' || choice.kind === 'auto') && !bundledPath) tried.push('the bundled ffmpeg (@ffmpeg-installer is not installed)');
  let found: FfmpegInfo | null;
  if (choice.kind === 'path') {
    const p = await probe(choice.path, 'configured');
    found = p && { ...p, reason: `set by ${said}` };
  } else if (choice.kind === 'bundled') {
    const p = bundledPath ? await probe(bundledPath, 'bundled') : null;
    found = p && { ...p, reason: `the bundled ffmpeg, set by ${said}=bundled` };
  } else if (choice.kind === 'system') {
    const p = await probe('ffmpeg', 'system');
    found = p && { ...p, reason: `ffmpeg on the PATH, set by ${said}=system` };
  } else {
    const [b, s] = await Promise.all([bundledPath ? probe(bundledPath, 'bundled') : null, probe('ffmpeg', 'system')]);
    found = chooseAuto(b, s);
  }
  if (found) return found;
  throw new FfmpegNotFoundError(
    `ffmpeg was not found (tried ${tried.join(', ')}). Reinstall with npm install, install ffmpeg, or pass --ffmpeg PATH.`,
  );
}

/** The installer's ffmpeg folder inside the app's resources (electron-builder.yml extraResources). */
export const SHIPPED_FFMPEG_DIR = 'ffmpeg';

export function shippedFfmpegName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
}

/**
 * The ffmpeg an installer shipped, when this runs inside the packaged app (Electron sets
 * process.resourcesPath; plain Node does not) and the installer had one.
 */
export function shippedFfmpegPath(resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string | null {
  if (!resourcesPath) return null;
  const p = join(resourcesPath, SHIPPED_FFMPEG_DIR, shippedFfmpegName());
  return existsSync(p) ? p : null;
}

function bundledFfmpegPath(): string | null {
  const shipped = shippedFfmpegPath();
  if (shipped) return shipped;
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@ffmpeg-installer/ffmpeg') as { path: string };
    // Inside a packaged Electron app the binary is unpacked next to the asar archive.
    return mod.path.replace('app.asar', 'app.asar.unpacked');
  } catch {
    return null;
  }
}
