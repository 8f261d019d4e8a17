/**
 * Runs the visual match in a child process (clip-match-child.ts) with a time limit, at low priority.
 * A match that fails or runs out of time gives no moments; the claim is stored all the same.
 */
import { fileURLToPath } from 'node:url';
import { spawnNodeScript } from '../node-child.js';
import { CLAIM_MATCH_TIMEOUT_MS } from '../limits.js';
import type { FrameScore } from './visual-match.js';

const CHILD = fileURLToPath(new URL('./clip-match-child.js', import.meta.url));

export async function runClipMatch(o: { ffmpegPath: string; clipFile: string; photoFiles: string[]; clipSeconds: number }): Promise<Array<{ matches: FrameScore[] }> | null> {
  const child = spawnNodeScript(CHILD, [JSON.stringify({ ffmpegPath: o.ffmpegPath, clipFile: o.clipFile, photoFiles: o.photoFiles })]);
  child.stderr.resume(); // not read: a failed match just gives no moments
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
