/**
 * Claim photos against one packing clip: the clip's frames (ffmpeg, MATCH_FPS, MATCH_FRAME_WIDTH,
 * grey) and each photo's ORB features, scored frame by frame (visual-match.ts); the best 3 moments
 * per photo with their times from the clip's start.
 *
 * Coarse to fine: every COARSE_STEP-th frame (1 s apart) is matched first, then the frames within a
 * second of each photo's strong coarse moments (REFINE_SHARE of the best) at the full rate. A packed item stays in view for
 * seconds, so its moment shows in the coarse pass; the fine pass puts the answer on the best frame.
 * ORB on a frame is done once per clip for all the photos of a claim, and kept (bounded,
 * FEATURE_CACHE_FRAMES) while the process lives, so a second claim on the same clip skips it.
 *
 * CPU-heavy (seconds per minute of clip): the station runs it in a child process (clip-match-run.ts),
 * never on the thread that watches the recording.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FfmpegError, runFfmpeg } from '../ffmpeg/runner.js';
import { bestMoments, features, loadCv, scoreFrames, MATCH_FRAME_WIDTH, MATCH_PHOTO_PX, ORB_FEATURES_FRAME, ORB_FEATURES_PHOTO, type Features, type FrameScore, type GrayImage } from './visual-match.js';

/** Frames per second of clip compared: a packed item stays in view for seconds, and 3 fps keeps a 1-minute clip to 180 frames. */
export const MATCH_FPS = 3;
/** The coarse pass takes every third frame (1 per second). */
export const COARSE_STEP = 3;
/** The fine pass looks near the coarse moments that score at least this share of the best one. */
export const REFINE_SHARE = 0.5;
/** Frame features kept across matches in one process: 30 min of clip at 3 fps, under 30 KB each (≤ 700 ORB descriptors of 32 bytes and their points). */
export const FEATURE_CACHE_FRAMES = 5400;

export interface ClipMatchResult {
  frames: number;
  /** Per photo, in the order given: the best moments, best first. */
  photos: Array<{
    matches: FrameScore[];
    /** The verified frames' scores in clip order (a frame left out could not rank in the best 3), for the benchmark. */
    all: FrameScore[];
  }>;
  /** How many frames had ORB computed in this call (0 when the cache held them all). */
  framesAnalysed: number;
}

export async function grayFromFile(file: string, px: number): Promise<GrayImage> {
  const { data, info } = await sharp(file).rotate().resize(px, px, { fit: 'inside', withoutEnlargement: true }).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * The clip's frames as grey PNG files in `dir` (the benchmark's pHash baseline reads them):
 *   ffmpeg -nostdin -v error -i CLIP -vf fps=3,scale=480:-2,format=gray -f image2 DIR/%05d.png
 */
export async function extractFrames(ffmpegPath: string, clipFile: string, dir: string, fps = MATCH_FPS): Promise<string[]> {
  await runFfmpeg(ffmpegPath, ['-nostdin', '-v', 'error', '-i', clipFile, '-vf', `fps=${fps},scale=${MATCH_FRAME_WIDTH}:-2,format=gray`, '-f', 'image2', join(dir, '%05d.png')]).catch(unreadableClip);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The clip's frames, grey, in memory: ffmpeg writes PGM pictures to a pipe (a tiny text header with
 * the size, then the raw bytes), so nothing is encoded to PNG, written to disk and decoded again.
 *   ffmpeg -nostdin -v error -i CLIP -vf fps=3,scale=480:-2,format=gray -f image2pipe -c:v pgm -
 * Frame n (from 0) shows the clip at n / fps seconds.
 */
export async function decodeFrames(ffmpegPath: string, clipFile: string, fps = MATCH_FPS): Promise<GrayImage[]> {
  // No output cap: every frame is needed in memory anyway (about 130 KB each at 480 px), and the
  // match runs in its own child process (clip-match-run.ts).
  const { stdout } = await runFfmpeg(ffmpegPath, ['-nostdin', '-v', 'error', '-i', clipFile, '-vf', `fps=${fps},scale=${MATCH_FRAME_WIDTH}:-2,format=gray`, '-f', 'image2pipe', '-c:v', 'pgm', '-'], {
    maxStdoutBytes: Infinity,
  }).catch(unreadableClip);
  return parsePgms(stdout);
}

function unreadableClip(err: unknown): never {
  if (err instanceof FfmpegError) throw new Error(`ffmpeg could not read the clip's frames: ${err.said || err.message}`);
  throw err;
}

/** Binary PGM (P5, maxval 255) pictures one after another. */
export function parsePgms(buf: Buffer): GrayImage[] {
  const out: GrayImage[] = [];
  let at = 0;
  while (at < buf.length) {
    // "P5" whitespace width whitespace height whitespace maxval, one whitespace byte, then the pixels.
    const fields: string[] = [];
    let i = at;
    while (fields.length < 4) {
      while (i < buf.length && /\s/.test(String.fromCharCode(buf[i]!))) i++;
      const start = i;
      while (i < buf.length && !/\s/.test(String.fromCharCode(buf[i]!))) i++;
      if (i >= buf.length) throw new Error('ffmpeg gave a cut-off frame');
      fields.push(buf.toString('latin1', start, i));
    }
    const [magic, w, h, max] = fields;
    const width = Number(w);
    const height = Number(h);
    if (magic !== 'P5' || max !== '255' || !(width > 0) || !(height > 0)) throw new Error('ffmpeg gave a frame that is not an 8-bit PGM');
    const from = i + 1;
    if (from + width * height > buf.length) throw new Error('ffmpeg gave a cut-off frame');
    out.push({ width, height, data: new Uint8Array(buf.buffer, buf.byteOffset + from, width * height) });
    at = from + width * height;
  }
  return out;
}

/** One clip's frame features, by frame index. */
interface ClipEntry {
  frameCount: number;
  features: Map<number, Features>;
}

/** Least recently used first (Map keeps insertion order; a hit is moved to the end). */
const cache = new Map<string, ClipEntry>();

function cachedFrames(): number {
  let n = 0;
  for (const e of cache.values()) n += e.features.size;
  return n;
}

function evict(keep: ClipEntry): void {
  for (const [key, e] of cache) {
    if (cachedFrames() <= FEATURE_CACHE_FRAMES) return;
    if (e !== keep) cache.delete(key);
  }
}

/** Forgets every cached frame feature (the benchmark, between clips; tests). */
export function clearFeatureCache(): void {
  cache.clear();
}

/** Clips and frames in the cache (tests). */
export function featureCacheSize(): { clips: number; frames: number } {
  return { clips: cache.size, frames: cachedFrames() };
}

/** The same path, size and modification time: the same clip MP4 (the station never rewrites one). */
function clipKey(clipFile: string, fps: number): string {
  const st = statSync(clipFile);
  return `${clipFile}\0${st.size}\0${st.mtimeMs}\0${fps}`;
}

export async function matchPhotosToClip(o: { ffmpegPath: string; clipFile: string; photoFiles: string[]; fps?: number; exhaustive?: boolean }): Promise<ClipMatchResult> {
  const fps = o.fps ?? MATCH_FPS;
  const { cv } = await loadCv();
  const at = (n: number) => Math.round((n / fps) * 100) / 100;
  const key = clipKey(o.clipFile, fps);
  let entry = cache.get(key);
  if (entry) cache.delete(key); // re-inserted below as the most recent
  let grays: GrayImage[] | null = null;
  const decode = async () => (grays ??= await decodeFrames(o.ffmpegPath, o.clipFile, fps));
  if (!entry) entry = { frameCount: (await decode()).length, features: new Map() };
  cache.set(key, entry);
  const clip = entry;
  let framesAnalysed = 0;
  /** Features of these frames, computing those not cached yet. */
  const frameFeatures = async (indices: number[]) => {
    if (indices.some((n) => !clip.features.has(n))) await decode();
    return indices.map((n) => {
      let f = clip.features.get(n);
      if (!f) {
        f = features(cv, grays![n]!, ORB_FEATURES_FRAME);
        clip.features.set(n, f);
        framesAnalysed++;
      }
      return { atSeconds: at(n), features: f };
    });
  };

  const photos = [];
  try {
    for (const p of o.photoFiles) photos.push(features(cv, await grayFromFile(p, MATCH_PHOTO_PX), ORB_FEATURES_PHOTO));
    const all = Array.from({ length: clip.frameCount }, (_, n) => n);
    let answer: ClipMatchResult['photos'];
    if (o.exhaustive) {
      const frames = await frameFeatures(all);
      answer = photos.map((p) => {
        const scores = scoreFrames(cv, p, frames, { exhaustive: true });
        return { matches: bestMoments(scores), all: scores };
      });
    } else {
      const coarse = await frameFeatures(all.filter((n) => n % COARSE_STEP === 0));
      const coarseScores = photos.map((p) => scoreFrames(cv, p, coarse));
      answer = [];
      for (const [i, p] of photos.entries()) {
        // The full rate within a coarse step of each best coarse moment (those moments included again: they are cached).
        const near = new Set<number>();
        const coarseBest = bestMoments(coarseScores[i]!);
        // Only near moments that could be the answer: a weak third moment is shown as the coarse pass found it.
        for (const m of coarseBest.filter((m) => m.score >= REFINE_SHARE * coarseBest[0]!.score)) {
          const centre = Math.round(m.atSeconds * fps);
          for (let n = centre - COARSE_STEP + 1; n < centre + COARSE_STEP; n++) if (n >= 0 && n < clip.frameCount && n % COARSE_STEP !== 0) near.add(n);
        }
        const fine = scoreFrames(cv, p, await frameFeatures([...near].sort((a, b) => a - b)), { known: coarseScores[i] });
        const scores = [...coarseScores[i]!, ...fine].sort((a, b) => a.atSeconds - b.atSeconds);
        answer.push({ matches: bestMoments(scores), all: scores });
      }
    }
    return { frames: clip.frameCount, photos: answer, framesAnalysed };
  } finally {
    evict(clip);
  }
}
