/**
 * Runs the visual match in a child process (clip-match-child.ts) with a time limit, at low priority.
 * A match that fails or runs out of time gives no moments; the claim is stored all the same.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLAIM_MATCH_TIMEOUT_MS } from '../limits.js';
import type { FrameScore } from './visual-match.js';

const CHILD = fileURLToPath(new URL('./clip-match-child.js', import.meta.url));

export async function runClipMatch(o: { ffmpegPath: string; clipFile: string; photoFiles: string[]; clipSeconds: number }): Promise<Array<{ matches: FrameScore[] }> | null> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ ffmpegPath: o.ffmpegPath, clipFile: o.clipFile, photoFiles: o.photoFiles })], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out = (out + s).slice(-256 * 1024)));
  const timer = setTimeout(() => child.kill('SIGKILL'), CLAIM_MATCH_TIMEOUT_MS.base + CLAIM_MATCH_TIMEOUT_MS.perClipMinute * (o.clipSeconds / 60));
  await new Promise<void>((resolve) => {
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
  clearTimeout(timer);
  try {
    const answer = JSON.parse(out.trim().split('\n').at(-1) ?? '') as { photos?: Array<{ matches: FrameScore[] }> };
    return answer.photos ?? null;
  } catch {
    return null;
  }
}
