/**
 * Visual match: which moments of the packing clip show what the buyer photographed.
 *
 * ORB features (OpenCV, the wasm build in @techstark/opencv-js) of the photo against those of the
 * clip's frames, Hamming matches with Lowe's ratio test, and a RANSAC homography: the score is the
 * number of matches one perspective transform explains. A photo taken from another angle (a
 * perspective warp), cropped, colour-shifted, recompressed or with "damage" drawn on it keeps enough
 * local corners for that; a perceptual hash of the whole picture (the baseline in bench/claim.ts)
 * does not survive a crop or a warp.
 *
 * Frames are the station's own clip decoded by ffmpeg (never the buyer's file); the photo comes in as
 * the station's preview JPEG, which a child process made from the buyer's file.
 */
import { createRequire } from 'node:module';
import type CvNamespace from '@techstark/opencv-js';

type Cv = typeof CvNamespace;

/** Frames are matched at this width: the item fills a good part of a bench camera's picture. */
export const MATCH_FRAME_WIDTH = 480;
/** The photo's longest side for matching. */
export const MATCH_PHOTO_PX = 640;
export const ORB_FEATURES_FRAME = 700;
export const ORB_FEATURES_PHOTO = 1500;
/** Lowe's ratio: a match counts when its best neighbour is clearly better than the second. */
const RATIO = 0.8;
/** Fewer good matches than this cannot support a homography worth scoring. */
const MIN_MATCHES = 8;
/** RANSAC reprojection threshold in frame pixels (at MATCH_FRAME_WIDTH). */
const RANSAC_PX = 6;
/** The best moments are this far apart at least, so the three shown are three different moments. */
const MIN_GAP_SECONDS = 1.5;

let cvReady: Promise<{ cv: Cv }> | null = null;

/**
 * OpenCV's wasm module, loaded once per process (~0.6 s), inside a plain object: the module is a
 * thenable, so a promise resolved with it directly would wait on its `then` forever.
 */
export function loadCv(): Promise<{ cv: Cv }> {
  cvReady ??= (async () => {
    const loaded = createRequire(import.meta.url)('@techstark/opencv-js') as Cv | Promise<Cv>;
    const cv = loaded instanceof Promise ? await loaded : loaded;
    if (!(cv as { Mat?: unknown }).Mat) await new Promise<void>((resolve) => ((cv as unknown as { onRuntimeInitialized: () => void }).onRuntimeInitialized = resolve));
    return { cv };
  })();
  return cvReady;
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row by row. */
  data: Uint8Array;
}

/**
 * ORB keypoints and descriptors of one picture. The descriptors are copied out of OpenCV's heap (32
 * bytes each, as 8 words): matching them in JavaScript (below) took half the time of OpenCV's
 * BFMatcher.knnMatch through the wasm bindings, and a copy needs no delete().
 */
export interface Features {
  points: Array<{ x: number; y: number }>;
  /** 8 words per keypoint, in the order of `points`. */
  words: Uint32Array;
}

export function features(cv: Cv, img: GrayImage, count: number): Features {
  const mat = cv.matFromArray(img.height, img.width, cv.CV_8UC1, img.data);
  const orb = new cv.ORB(count);
  const kp = new cv.KeyPointVector();
  const desc = new cv.Mat();
  const noMask = new cv.Mat();
  try {
    orb.detectAndCompute(mat, noMask, kp, desc);
    const points: Features['points'] = [];
    for (let i = 0; i < kp.size(); i++) points.push({ x: kp.get(i).pt.x, y: kp.get(i).pt.y });
    const words = new Uint32Array(points.length * 8);
    if (points.length) new Uint8Array(words.buffer).set((desc.data as Uint8Array).subarray(0, points.length * 32));
    return { points, words };
  } finally {
    mat.delete();
    orb.delete();
    kp.delete();
    desc.delete();
    noMask.delete();
  }
}

/** The photo's features whose best frame neighbour passes Lowe's ratio test, as point pairs (photo x, y, frame x, y). */
export interface RatioMatches {
  src: number[];
  dst: number[];
  /** How many pairs: an upper bound of the homography's inliers. */
  count: number;
}

/** Set bits in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** Brute-force Hamming nearest two frame descriptors for each photo descriptor, kept when the best passes the ratio test. */
export function ratioMatches(_cv: Cv, photo: Features, frame: Features): RatioMatches {
  const src: number[] = [];
  const dst: number[] = [];
  if (photo.points.length < MIN_MATCHES || frame.points.length < MIN_MATCHES) return { src, dst, count: 0 };
  const p = photo.words;
  const f = frame.words;
  const nf = frame.points.length;
  for (let i = 0; i < photo.points.length; i++) {
    const o = i * 8;
    const a0 = p[o]!, a1 = p[o + 1]!, a2 = p[o + 2]!, a3 = p[o + 3]!, a4 = p[o + 4]!, a5 = p[o + 5]!, a6 = p[o + 6]!, a7 = p[o + 7]!;
    let best = 257;
    let second = 257;
    let at = -1;
    for (let j = 0; j < nf; j++) {
      const q = j * 8;
      const d =
        popcount(a0 ^ f[q]!) + popcount(a1 ^ f[q + 1]!) + popcount(a2 ^ f[q + 2]!) + popcount(a3 ^ f[q + 3]!) + popcount(a4 ^ f[q + 4]!) + popcount(a5 ^ f[q + 5]!) + popcount(a6 ^ f[q + 6]!) + popcount(a7 ^ f[q + 7]!);
      if (d < best) {
        second = best;
        best = d;
        at = j;
      } else if (d < second) second = d;
    }
    if (at < 0 || second > 256 || best >= RATIO * second) continue;
    const a = photo.points[i]!;
    const b = frame.points[at]!;
    src.push(a.x, a.y);
    dst.push(b.x, b.y);
  }
  return { src, dst, count: src.length / 2 };
}

/** How many of the pairs one perspective transform (RANSAC) explains: 0 when too few to fit one. */
export function homographyInliers(cv: Cv, m: RatioMatches): number {
  if (m.count < MIN_MATCHES) return 0;
  const srcMat = cv.matFromArray(m.count, 1, cv.CV_32FC2, m.src);
  const dstMat = cv.matFromArray(m.count, 1, cv.CV_32FC2, m.dst);
  const inliers = new cv.Mat();
  try {
    const h = cv.findHomography(srcMat, dstMat, cv.RANSAC, RANSAC_PX, inliers);
    const ok = !h.empty();
    h.delete();
    if (!ok) return 0;
    let count = 0;
    for (let i = 0; i < inliers.rows; i++) if (inliers.data[i]) count++;
    return count;
  } finally {
    srcMat.delete();
    dstMat.delete();
    inliers.delete();
  }
}

/**
 * How many of the photo's features one perspective transform maps onto the frame's: 0 when too few
 * match at all.
 */
export function matchScore(cv: Cv, photo: Features, frame: Features): number {
  return homographyInliers(cv, ratioMatches(cv, photo, frame));
}

export interface FrameScore {
  atSeconds: number;
  score: number;
}

/** The best `k` moments, each at least MIN_GAP_SECONDS from a better one; only moments with a score. */
export function bestMoments(scores: FrameScore[], k = 3): FrameScore[] {
  const picked: FrameScore[] = [];
  for (const s of [...scores].sort((a, b) => b.score - a.score || a.atSeconds - b.atSeconds)) {
    if (s.score <= 0) break;
    if (picked.some((p) => Math.abs(p.atSeconds - s.atSeconds) < MIN_GAP_SECONDS)) continue;
    picked.push(s);
    if (picked.length === k) break;
  }
  return picked;
}

/**
 * One photo against many frames, scoring only what can change the best `k` moments. RANSAC costs
 * most of the match (on a wrong frame nearly every pair is an outlier, so it runs all its
 * iterations), and its inliers are a subset of the ratio-test pairs: frames are verified in order of
 * their pair count, and once a frame's count is below the k-th best moment's score neither it nor
 * any after it can enter the best k. Those frames are left out of the answer (not verified).
 * `known`: frames scored before (the coarse pass), which count for the best k but are not returned.
 * `exhaustive` verifies every frame (the benchmark's reference).
 */
export function scoreFrames(cv: Cv, photo: Features, frames: Array<{ atSeconds: number; features: Features }>, o: { k?: number; exhaustive?: boolean; known?: FrameScore[] } = {}): FrameScore[] {
  const k = o.k ?? 3;
  const candidates = frames.map((f) => ({ atSeconds: f.atSeconds, pairs: ratioMatches(cv, photo, f.features) })).sort((a, b) => b.pairs.count - a.pairs.count || a.atSeconds - b.atSeconds);
  const scored: FrameScore[] = [];
  for (const c of candidates) {
    if (!o.exhaustive) {
      if (c.pairs.count < MIN_MATCHES) break;
      const best = bestMoments([...(o.known ?? []), ...scored], k);
      if (best.length === k && c.pairs.count < best[k - 1]!.score) break;
    }
    scored.push({ atSeconds: c.atSeconds, score: homographyInliers(cv, c.pairs) });
  }
  return scored.sort((a, b) => a.atSeconds - b.atSeconds);
}
