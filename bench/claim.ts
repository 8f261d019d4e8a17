/**
 * `claim` benchmark: how often the visual match finds the moment of the packing clip a buyer's photo
 * shows, and how long it takes.
 *
 * 20 generated clips (BENCH_CLAIM_CLIPS) of 5 look-alike scenes each (one scene family per clip:
 * the same carton on the same bench, different items and label; claim-scenes.ts), 3 s each (15 s at
 * 15 fps, H.264); one claim photo per scene (100 photos) made from the scene by a strong perspective
 * warp, crop, colour shift, drawn "damage", a hand covering part of it (3 photos in 5), a close-up
 * (2 in 5) and JPEG recompression, each by its own seeded amount. A match is right when it is within
 * ±2 s of the middle of the photo's scene. Top-1: the best moment is right; top-3: one of the best 3
 * (at least 1.5 s apart, as the station keeps them) is.
 *
 * In the same run on the same clips and photos: the matcher as the station runs it (coarse to fine,
 * RANSAC only where it can change the best 3), the exhaustive reference (every frame at 3 fps, RANSAC
 * on every pair: what the matcher did before), and a plain perceptual hash baseline (DCT pHash, 64
 * bits, of the grey frame and photo; the moment with the fewest differing bits). The frame feature
 * cache is emptied before each clip's matches, so no clip is helped by an earlier one.
 *
 * Speed: seconds of `matchPhotosToClip` (frame decoding included) per photo per minute of clip, as
 * wall-clock time (the target's measure) and as CPU time of the process and ffmpeg (what a shared
 * machine does not inflate). Targets: top-3 ≥ 90 % and ≤ 3 s per photo per clip minute.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { clearFeatureCache, extractFrames, MATCH_FPS, matchPhotosToClip } from '../electron/station/claims/clip-matcher.js';
import { bestMoments, type FrameScore } from '../electron/station/claims/visual-match.js';
import { locateFfmpeg } from '../electron/station/ffmpeg/locate.js';
import { claimPhotoFrom, sceneClip } from './claim-scenes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const CLIPS = Number(process.env.BENCH_CLAIM_CLIPS) || 20;
const SCENES = 5;
const SECONDS_EACH = 3;
const CLIP_SECONDS = SCENES * SECONDS_EACH;
const TOLERANCE_S = 2;
const TARGET_TOP3 = 0.9;
const TARGET_S_PER_PHOTO_MINUTE = 3;

/** 64-bit DCT perceptual hash: 32×32 grey, the 8×8 lowest frequencies but DC, each against their median. */
async function pHash(input: string | Buffer): Promise<bigint> {
  const N = 32;
  const { data } = await sharp(input).grayscale().resize(N, N, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const coeffs: number[] = [];
  for (let u = 0; u < 8; u++) {
    for (let v = 0; v < 8; v++) {
      let sum = 0;
      for (let x = 0; x < N; x++) {
        const cx = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
        for (let y = 0; y < N; y++) sum += data[y * N + x]! * cx * Math.cos(((2 * y + 1) * v * Math.PI) / (2 * N));
      }
      coeffs.push(sum);
    }
  }
  const ac = coeffs.slice(1);
  const median = [...ac].sort((a, b) => a - b)[Math.floor(ac.length / 2)]!;
  let h = 0n;
  for (const c of coeffs) h = (h << 1n) | (c > median ? 1n : 0n);
  return h;
}

function bits(x: bigint): number {
  let n = 0;
  for (; x; x &= x - 1n) n++;
  return n;
}

/**
 * CPU seconds of this process and its waited-for children (ffmpeg) so far: the machine is shared, so
 * wall-clock seconds say as much about the other processes as about the match; CPU seconds do not.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // /proc/self/stat after the command name: fields 14-15 of the line are cutime and cstime, in clock ticks (100 per second).
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    // Not Linux: the children's share is left out.
  }
  return (own.user + own.system) / 1e6 + children;
}

interface Tally {
  top1: number;
  top3: number;
}

const right = (atSeconds: number, centre: number): boolean => Math.abs(atSeconds - centre) <= TOLERANCE_S;

function count(t: Tally, moments: FrameScore[], centre: number): void {
  if (moments[0] && right(moments[0].atSeconds, centre)) t.top1++;
  if (moments.slice(0, 3).some((m) => right(m.atSeconds, centre))) t.top3++;
}

function versionOf(bin: string): Promise<string> {
  return new Promise((resolve) => execFile(bin, ['-version'], (_e, out) => resolve(String(out).split('\n')[0] ?? '')));
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const { path: bin } = await locateFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-claim-'));
  try {
    const orb: Tally = { top1: 0, top3: 0 };
    const exhaustive: Tally = { top1: 0, top3: 0 };
    let exhaustiveSeconds = 0;
    let matchCpu = 0;
    let exhaustiveCpu = 0;
    const phash: Tally = { top1: 0, top3: 0 };
    let photos = 0;
    let matchSeconds = 0;
    let phashSeconds = 0;
    for (let c = 0; c < CLIPS; c++) {
      const clipDir = join(dir, `clip-${c}`);
      mkdirSync(clipDir);
      const seeds = Array.from({ length: SCENES }, (_, s) => 1000 + c * 10 + s);
      const { clip, scenes } = await sceneClip(bin, clipDir, seeds, SECONDS_EACH, 'clip.mp4', c);
      const photoFiles: string[] = [];
      for (const [s, scene] of scenes.entries()) {
        const seed = seeds[s]!;
        const out = join(clipDir, `photo-${s}.jpg`);
        // Each photo its own amount of every edit, within what buyers' photos show.
        await claimPhotoFrom(scene, out, {
          seed,
          warp: 0.12 + (seed % 5) * 0.03,
          crop: 0.05 + (seed % 4) * 0.03,
          hue: ((seed * 37) % 60) - 30,
          brightness: 0.9 + (seed % 4) * 0.1,
          damage: seed % 3 !== 0,
          occlude: seed % 5 < 3 ? 0.12 + (seed % 3) * 0.06 : 0,
          zoom: seed % 5 >= 3 ? 0.55 + (seed % 3) * 0.1 : 1,
          quality: 35 + (seed % 6) * 5,
        });
        photoFiles.push(out);
      }
      const centres = scenes.map((_, s) => s * SECONDS_EACH + SECONDS_EACH / 2);

      clearFeatureCache();
      const t0 = performance.now();
      const c0 = cpuSeconds();
      const result = await matchPhotosToClip({ ffmpegPath: bin, clipFile: clip, photoFiles });
      matchSeconds += (performance.now() - t0) / 1000;
      matchCpu += cpuSeconds() - c0;
      result.photos.forEach((p, i) => count(orb, p.matches, centres[i]!));

      clearFeatureCache();
      const te = performance.now();
      const ce = cpuSeconds();
      const reference = await matchPhotosToClip({ ffmpegPath: bin, clipFile: clip, photoFiles, exhaustive: true });
      exhaustiveSeconds += (performance.now() - te) / 1000;
      exhaustiveCpu += cpuSeconds() - ce;
      reference.photos.forEach((p, i) => count(exhaustive, p.matches, centres[i]!));
      clearFeatureCache();

      const t1 = performance.now();
      const framesDir = join(clipDir, 'frames');
      mkdirSync(framesDir);
      const frameHashes = await Promise.all((await extractFrames(bin, clip, framesDir)).map((f) => pHash(f)));
      for (const [i, file] of photoFiles.entries()) {
        const h = await pHash(file);
        const scores = frameHashes.map((fh, n) => ({ atSeconds: Math.round((n / MATCH_FPS) * 100) / 100, score: 64 - bits(h ^ fh) }));
        count(phash, bestMoments(scores), centres[i]!);
      }
      phashSeconds += (performance.now() - t1) / 1000;
      photos += photoFiles.length;
      rmSync(clipDir, { recursive: true, force: true });
      console.log(`claim clip ${c + 1}/${CLIPS}: ORB top-1 ${orb.top1}/${photos}, top-3 ${orb.top3}/${photos} (exhaustive ${exhaustive.top1}, ${exhaustive.top3}); pHash top-1 ${phash.top1}/${photos}, top-3 ${phash.top3}/${photos}`);
    }
    const perPhotoMinute = matchSeconds / photos / (CLIP_SECONDS / 60);
    const share = (n: number) => Math.round((n / photos) * 1000) / 1000;
    const perPhotoMinuteOf = (sec: number) => Math.round((sec / photos / (CLIP_SECONDS / 60)) * 100) / 100;
    const meets = share(orb.top3) >= TARGET_TOP3 && perPhotoMinute <= TARGET_S_PER_PHOTO_MINUTE;
    const result = {
      benchmark: 'claim',
      description: `Visual match of ${photos} claim photos (strongly warped, cropped, colour-shifted, damaged, partly covered by a hand or taken close up, recompressed) over ${CLIPS} generated clips of ${CLIP_SECONDS} s, each of 5 look-alike scenes; right within ±${TOLERANCE_S} s of the photo's scene`,
      load: { average1min: Math.round(loadavg()[0]! * 10) / 10, note: process.env.BENCH_CLAIM_NOTE ?? null },
      date: new Date().toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, node: process.version, ffmpeg: await versionOf(bin) },
      clips: CLIPS,
      clipSeconds: CLIP_SECONDS,
      photos,
      orb: {
        top1: share(orb.top1),
        top3: share(orb.top3),
        seconds: Math.round(matchSeconds * 10) / 10,
        secondsPerPhotoPerClipMinute: Math.round(perPhotoMinute * 100) / 100,
        cpuSecondsPerPhotoPerClipMinute: perPhotoMinuteOf(matchCpu),
      },
      exhaustiveReference: {
        top1: share(exhaustive.top1),
        top3: share(exhaustive.top3),
        seconds: Math.round(exhaustiveSeconds * 10) / 10,
        secondsPerPhotoPerClipMinute: perPhotoMinuteOf(exhaustiveSeconds),
        cpuSecondsPerPhotoPerClipMinute: perPhotoMinuteOf(exhaustiveCpu),
        speedup: Math.round((exhaustiveSeconds / matchSeconds) * 100) / 100,
        cpuSpeedup: Math.round((exhaustiveCpu / matchCpu) * 100) / 100,
      },
      baselinePHash: { top1: share(phash.top1), top3: share(phash.top3), seconds: Math.round(phashSeconds * 10) / 10 },
      targets: { top3: TARGET_TOP3, secondsPerPhotoPerClipMinute: TARGET_S_PER_PHOTO_MINUTE },
      meetsTarget: meets,
    };
    console.log(
      `claim: ORB top-1 ${result.orb.top1}, top-3 ${result.orb.top3}, ${result.orb.secondsPerPhotoPerClipMinute} s per photo per clip minute (${result.orb.cpuSecondsPerPhotoPerClipMinute} s CPU; exhaustive ${result.exhaustiveReference.cpuSecondsPerPhotoPerClipMinute} s CPU, ${result.exhaustiveReference.secondsPerPhotoPerClipMinute} s, top-1 ${result.exhaustiveReference.top1}, top-3 ${result.exhaustiveReference.top3}); pHash baseline top-1 ${result.baselinePHash.top1}, top-3 ${result.baselinePHash.top3}`,
    );
    // A smaller run (BENCH_CLAIM_CLIPS) is a check, not the result.
    if (CLIPS !== 20) return { meetsTarget: meets, failed: false };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'claim.json'), `${JSON.stringify(result, null, 2)}\n`);
    return { meetsTarget: meets, failed: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
