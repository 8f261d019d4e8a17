/**
 * Finding ffmpeg: a configured path first (the --ffmpeg flag or PACKWITNESS_FFMPEG), then the binary
 * that ships with `npm install` (@ffmpeg-installer), then an `ffmpeg` on the PATH (Debian's package).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class FfmpegNotFoundError extends Error {
  override name = 'FfmpegNotFoundError';
}

export interface FfmpegInfo {
  path: string;
  /** The first line of `ffmpeg -version`. */
  versionLine: string;
  /** Major release (4 for the bundled static build), derived from libavformat's major version. */
  major: number;
  source: 'configured' | 'bundled' | 'system';
}

/** libavformat major → ffmpeg release. Git builds print "N-12345-g…" as their version, libavformat never lies. */
const LAVF_TO_FFMPEG: Record<number, number> = { 57: 3, 58: 4, 59: 5, 60: 6, 61: 7, 62: 8 };

export async function locateFfmpeg(configured?: string): Promise<FfmpegInfo> {
  const candidates: Array<{ path: string; source: FfmpegInfo['source'] }> = [];
  const fromEnv = configured ?? process.env.PACKWITNESS_FFMPEG;
  if (fromEnv) candidates.push({ path: fromEnv, source: 'configured' });
  else {
    const bundled = bundledFfmpegPath();
    if (bundled) candidates.push({ path: bundled, source: 'bundled' });
    candidates.push({ path: 'ffmpeg', source: 'system' });
  }
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      const { stdout } = await run(c.path, ['-hide_banner', '-version'], { timeout: 10_000 });
      const versionLine = stdout.split('\n')[0] ?? '';
      const lavf = /libavformat\s+(\d+)\./.exec(stdout);
      const major = lavf ? (LAVF_TO_FFMPEG[Number(lavf[1])] ?? 0) : 0;
      return { path: c.path, versionLine, major, source: c.source };
    } catch (err) {
      tried.push(`${c.path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  throw new FfmpegNotFoundError(
    `ffmpeg was not found (tried ${tried.join(', ')}). Reinstall with npm install, install ffmpeg, or pass --ffmpeg PATH.`,
  );
}

function bundledFfmpegPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@ffmpeg-installer/ffmpeg') as { path: string };
    // Inside a packaged Electron app the binary is unpacked next to the asar archive.
    return mod.path.replace('app.asar', 'app.asar.unpacked');
  } catch {
    return null;
  }
}
