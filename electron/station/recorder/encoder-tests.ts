/**
 * Testing hardware H.264 encoders for real: which ones this ffmpeg has (`ffmpeg -encoders`) and
 * whether each encodes one second of a test picture with the exact preset recording would use.
 * Results are cached in `<data>/encoder-tests.json` per ffmpeg path and version (a new ffmpeg or a
 * new driver stack is retested; `packwitness doctor` always retests and refreshes the cache).
 */
import { readdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maskCredentials } from '../../../shared/credentials.js';
import type { FfmpegInfo } from '../ffmpeg/locate.js';
import { FfmpegError, runFfmpeg } from '../ffmpeg/runner.js';
import { ENCODER_TEST_TIMEOUT_MS } from '../limits.js';
import { testEncodeArgv, type EncoderPreset } from './ffmpeg-command.js';
import { DEFAULT_VAAPI_DEVICE, encoderPreset, HARDWARE_H264_ENCODERS, type EncoderTestResult, type HardwareEncoderName } from './hardware-encoders.js';

export const ENCODER_TESTS_FILE = 'encoder-tests.json';

/** Names of H.264 encoders in `ffmpeg -encoders` output (" V..... libx264   libx264 H.264 …"). */
export function parseEncoderList(out: string): string[] {
  const names: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*V[.A-Z]{5}\s+(\S+)\s+.*\(codec h264\)/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

export async function listH264Encoders(ffmpegPath: string): Promise<string[]> {
  try {
    const { stdout } = await runFfmpeg(ffmpegPath, ['-hide_banner', '-encoders'], { timeoutMs: 10_000, maxStdoutBytes: 4 * 1024 * 1024 });
    return parseEncoderList(stdout.toString('utf8'));
  } catch (err) {
    throw new Error(`ffmpeg -encoders failed: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

/** One test encode; never throws. A time-out counts as a failure (a hung driver would hang recording too). */
export async function testEncode(ffmpegPath: string, preset: EncoderPreset, timeoutMs = ENCODER_TEST_TIMEOUT_MS): Promise<{ ok: boolean; error: string | null }> {
  try {
    await runFfmpeg(ffmpegPath, testEncodeArgv(preset), { timeoutMs });
    return { ok: true, error: null };
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    if (err.failure === 'timeout') return { ok: false, error: `no result within ${timeoutMs} ms` };
    // ffmpeg's first complaint is the cause ("No VA display found…"); later lines are consequences.
    const lines = err.stderr.split('\n').map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim()).filter(Boolean);
    return { ok: false, error: lines.find((l) => /error|fail|unknown|cannot|invalid|\bnot?\b/i.test(l)) ?? lines.at(-1) ?? err.message };
  }
}

/** The render node VAAPI should open: the first /dev/dri/renderD*, else ffmpeg's usual default. */
export function vaapiDevice(): string {
  try {
    const node = readdirSync('/dev/dri').filter((f) => /^renderD\d+$/.test(f)).sort()[0];
    return node ? `/dev/dri/${node}` : DEFAULT_VAAPI_DEVICE;
  } catch {
    return DEFAULT_VAAPI_DEVICE;
  }
}

/** Tests every hardware encoder this ffmpeg has, one after another (two at once may contend for one GPU). */
export async function runEncoderTests(ffmpegPath: string, timeoutMs = ENCODER_TEST_TIMEOUT_MS): Promise<EncoderTestResult[]> {
  const compiled = new Set(await listH264Encoders(ffmpegPath));
  const results: EncoderTestResult[] = [];
  for (const encoder of HARDWARE_H264_ENCODERS) {
    const testedAt = new Date().toISOString();
    if (!compiled.has(encoder)) {
      results.push({ encoder, compiled: false, ok: false, error: 'not in this ffmpeg build', testedAt });
      continue;
    }
    const r = await testEncode(ffmpegPath, encoderPreset(encoder, 'standard', { vaapiDevice: vaapiDevice() }), timeoutMs);
    results.push({ encoder, compiled: true, ...r, testedAt });
  }
  return results;
}

type Cache = Record<string, EncoderTestResult[]>;
const cacheKey = (ff: Pick<FfmpegInfo, 'path' | 'versionLine'>): string => `${ff.path}\n${ff.versionLine}`;

async function readCache(dataDir: string): Promise<Cache> {
  try {
    const v = JSON.parse(await readFile(join(dataDir, ENCODER_TESTS_FILE), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Cache) : {};
  } catch {
    return {};
  }
}

async function writeCache(dataDir: string, cache: Cache): Promise<void> {
  const file = join(dataDir, ENCODER_TESTS_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(cache, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Cached results for this ffmpeg, or null when it has not been tested. */
export async function cachedEncoderTests(dataDir: string, ff: Pick<FfmpegInfo, 'path' | 'versionLine'>): Promise<EncoderTestResult[] | null> {
  return (await readCache(dataDir))[cacheKey(ff)] ?? null;
}

export async function saveEncoderTests(dataDir: string, ff: Pick<FfmpegInfo, 'path' | 'versionLine'>, results: EncoderTestResult[]): Promise<void> {
  const cache = await readCache(dataDir);
  cache[cacheKey(ff)] = results;
  await writeCache(dataDir, cache);
}

/** The cached results, or a fresh test run (then cached). */
export async function encoderTests(dataDir: string, ff: Pick<FfmpegInfo, 'path' | 'versionLine'>): Promise<EncoderTestResult[]> {
  const cached = await cachedEncoderTests(dataDir, ff);
  if (cached) return cached;
  const results = await runEncoderTests(ff.path);
  await saveEncoderTests(dataDir, ff, results).catch(() => undefined);
  return results;
}

/** An encoder that passed its test but failed when recording started: remember it, so `auto` skips it next time. */
export async function markEncoderFailed(dataDir: string, ff: Pick<FfmpegInfo, 'path' | 'versionLine'>, encoder: HardwareEncoderName, error: string): Promise<void> {
  const cache = await readCache(dataDir);
  const list = cache[cacheKey(ff)];
  if (!list) return;
  cache[cacheKey(ff)] = list.map((t) => (t.encoder === encoder ? { ...t, ok: false, error: `failed when recording started: ${maskCredentials(error)}`, testedAt: new Date().toISOString() } : t));
  await writeCache(dataDir, cache);
}
