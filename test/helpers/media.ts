import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';

let ffmpegPath: string | null = null;
export async function ffmpegBin(): Promise<string> {
  ffmpegPath ??= (await locateFfmpeg()).path;
  return ffmpegPath;
}

export const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Decode a whole file; resolves with { ok, frames, errors }. */
export async function decodeFully(file: string): Promise<{ ok: boolean; frames: number; errors: string }> {
  const bin = await ffmpegBin();
  return new Promise((resolve) => {
    execFile(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const frames = stdout.split('\n').filter((l) => /^\d+,/.test(l)).length;
      resolve({ ok: !err && stderr.trim() === '' && frames > 0, frames, errors: stderr.trim() || (err?.message ?? '') });
    });
  });
}

/** Largest step between consecutive video packet timestamps, in seconds (a missing segment shows as a jump). */
export async function largestPtsStep(file: string): Promise<number> {
  const bin = await ffmpegBin();
  const { stdout: out } = await promisify(execFile)(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framecrc', '-'], { maxBuffer: 64 << 20 });
  const tb = /#tb 0: (\d+)\/(\d+)/.exec(out);
  const scale = tb ? Number(tb[1]) / Number(tb[2]) : 1 / 90_000;
  const pts = out
    .split('\n')
    .filter((l) => l.startsWith('0,'))
    .map((l) => Number(l.split(',')[2]) * scale)
    .sort((a, b) => a - b);
  let max = 0;
  for (let i = 1; i < pts.length; i++) max = Math.max(max, pts[i]! - pts[i - 1]!);
  return max;
}
