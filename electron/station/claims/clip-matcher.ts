/**
 * Claim photos against one packing clip: the clip's frames (ffmpeg, MATCH_FPS, MATCH_FRAME_WIDTH,
 * grey) and each photo's ORB features, scored frame by frame (visual-match.ts); the best 3 moments
 * per photo with their times from the clip's start.
 *
 * CPU-heavy (seconds per minute of clip): the station runs it in a child process (clip-match-run.ts),
 * never on the thread that watches the recording.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { bestMoments, features, loadCv, matchScore, MATCH_FRAME_WIDTH, MATCH_PHOTO_PX, ORB_FEATURES_FRAME, ORB_FEATURES_PHOTO, type FrameScore, type GrayImage } from './visual-match.js';

/** Frames per second of clip compared: a packed item stays in view for seconds, and 3 fps keeps a 1-minute clip to 180 frames. */
export const MATCH_FPS = 3;

export interface ClipMatchResult {
  frames: number;
  /** Per photo, in the order given: the best moments, best first. */
  photos: Array<{ matches: FrameScore[]; /** Every frame's score, for the benchmark and the scrubber. */ all: FrameScore[] }>;
}

export async function grayFromFile(file: string, px: number): Promise<GrayImage> {
  const { data, info } = await sharp(file).rotate().resize(px, px, { fit: 'inside', withoutEnlargement: true }).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * The clip's frames as grey PNGs in a temporary folder:
 *   ffmpeg -nostdin -v error -i CLIP -vf fps=3,scale=480:-2,format=gray -f image2 DIR/%05d.png
 * Frame n (from 0) shows the clip at n / fps seconds.
 */
export async function extractFrames(ffmpegPath: string, clipFile: string, dir: string, fps = MATCH_FPS): Promise<string[]> {
  await new Promise<void>((resolve, reject) =>
    execFile(ffmpegPath, ['-nostdin', '-v', 'error', '-i', clipFile, '-vf', `fps=${fps},scale=${MATCH_FRAME_WIDTH}:-2,format=gray`, '-f', 'image2', join(dir, '%05d.png')], { maxBuffer: 1 << 20 }, (err, _o, stderr) =>
      err ? reject(new Error(`ffmpeg could not read the clip's frames: ${String(stderr).trim().split('\n').at(-1) ?? err.message}`)) : resolve(),
    ),
  );
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

export async function matchPhotosToClip(o: { ffmpegPath: string; clipFile: string; photoFiles: string[]; fps?: number }): Promise<ClipMatchResult> {
  const fps = o.fps ?? MATCH_FPS;
  const { cv } = await loadCv();
  const dir = mkdtempSync(join(tmpdir(), 'packwitness-frames-'));
  const photos = [];
  try {
    for (const p of o.photoFiles) photos.push(features(cv, await grayFromFile(p, MATCH_PHOTO_PX), ORB_FEATURES_PHOTO));
    const frames = await extractFrames(o.ffmpegPath, o.clipFile, dir, fps);
    const all: FrameScore[][] = photos.map(() => []);
    for (const [n, frameFile] of frames.entries()) {
      const { data, info } = await sharp(frameFile).grayscale().raw().toBuffer({ resolveWithObject: true });
      const frame = features(cv, { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }, ORB_FEATURES_FRAME);
      try {
        photos.forEach((p, i) => all[i]!.push({ atSeconds: Math.round((n / fps) * 100) / 100, score: matchScore(cv, p, frame) }));
      } finally {
        frame.free();
      }
    }
    return { frames: frames.length, photos: all.map((scores) => ({ matches: bestMoments(scores), all: scores })) };
  } finally {
    for (const p of photos) p.free();
    rmSync(dir, { recursive: true, force: true });
  }
}
