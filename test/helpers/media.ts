import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
