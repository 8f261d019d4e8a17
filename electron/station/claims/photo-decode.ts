/**
 * Decodes a buyer photo in a child process (photo-decode-child.ts) with a pixel limit and a time
 * limit, and makes the station's preview JPEG. Never ffmpeg: the bundled 2018 build has years of
 * image-decoder fixes missing.
 */
import { fileURLToPath } from 'node:url';
import { spawnNodeScript } from '../node-child.js';
import { CLAIM_DECODE_TIMEOUT_MS, CLAIM_MAX_PIXELS, CLAIM_PREVIEW_PX } from '../limits.js';
import type { DecodeAnswer } from './photo-decode-child.js';

const CHILD = fileURLToPath(new URL('./photo-decode-child.js', import.meta.url));

/**
 * The child's heap is capped too: sharp's pixels live outside it, but a bug that loops allocating
 * JavaScript objects stops at 256 MB instead of the PC's memory.
 */
const CHILD_HEAP_MB = 256;

export async function decodePhoto(input: string, preview: string, opts: { timeoutMs?: number } = {}): Promise<DecodeAnswer & { timedOut?: boolean }> {
  const timeoutMs = opts.timeoutMs ?? CLAIM_DECODE_TIMEOUT_MS;
  const child = spawnNodeScript(CHILD, [input, preview, String(CLAIM_MAX_PIXELS), String(CLAIM_PREVIEW_PX)], [`--max-old-space-size=${CHILD_HEAP_MB}`]);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out = (out + s).slice(-64 * 1024)));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-8 * 1024)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  if (timedOut) return { ok: false, timedOut: true, error: `decoding took over ${timeoutMs} ms` };
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as DecodeAnswer;
  } catch {
    return { ok: false, error: `decoder exited ${code}: ${err.trim().split('\n').at(-1) ?? ''}` };
  }
}
