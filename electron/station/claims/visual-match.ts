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

/** ORB keypoints and descriptors of one picture; free() when done (OpenCV memory is not collected). */
export interface Features {
  points: Array<{ x: number; y: number }>;
  descriptors: CvNamespace.Mat;
  free(): void;
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
    return { points, descriptors: desc, free: () => desc.delete() };
  } finally {
    mat.delete();
    orb.delete();
    kp.delete();
    noMask.delete();
  }
}

/**
 * How many of the photo's features one perspective transform maps onto the frame's: 0 when too few
 * match at all.
 */
export function matchScore(cv: Cv, photo: Features, frame: Features): number {
  if (photo.points.length < MIN_MATCHES || frame.points.length < MIN_MATCHES) return 0;
  const matcher = new cv.BFMatcher(cv.NORM_HAMMING, false);
  const knn = new cv.DMatchVectorVector();
  try {
    matcher.knnMatch(photo.descriptors, frame.descriptors, knn, 2);
    const src: number[] = [];
    const dst: number[] = [];
    for (let i = 0; i < knn.size(); i++) {
      const pair = knn.get(i);
      if (pair.size() < 2) continue;
      const a = pair.get(0);
      const b = pair.get(1);
      if (a.distance >= RATIO * b.distance) continue;
      const p = photo.points[a.queryIdx]!;
      const f = frame.points[a.trainIdx]!;
      src.push(p.x, p.y);
      dst.push(f.x, f.y);
    }
    const n = src.length / 2;
    if (n < MIN_MATCHES) return 0;
    const srcMat = cv.matFromArray(n, 1, cv.CV_32FC2, src);
    const dstMat = cv.matFromArray(n, 1, cv.CV_32FC2, dst);
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
  } finally {
    matcher.delete();
    knn.delete();
  }
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
