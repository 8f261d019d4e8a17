import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearFeatureCache, featureCacheSize, matchPhotosToClip } from '../../electron/station/claims/clip-matcher.js';
import { bestMoments } from '../../electron/station/claims/visual-match.js';
import { claimPhotoFrom, sceneClip } from '../helpers/claim-scenes.js';
import { ffmpegBin } from '../helpers/media.js';
import { tempDataDir } from '../helpers/station-process.js';

const SECONDS_EACH = 3;
const SEEDS = [11, 12, 13, 14, 15, 16, 17, 18];

describe('visual match: the clip moment a claim photo shows ranks first', () => {
  const dir = tempDataDir('pw-claim-match-');
  let clip: string;
  let scenes: string[];
  beforeAll(async () => {
    ({ clip, scenes } = await sceneClip(await ffmpegBin(), dir, SEEDS, SECONDS_EACH));
  }, 90_000);

  it('finds each item through a perspective warp, crop, colour shift, drawn damage and JPEG recompression', async () => {
    const photos: string[] = [];
    for (const [i, scene] of scenes.entries()) {
      const photo = join(dir, `claim-${i}.jpg`);
      await claimPhotoFrom(scene, photo, { seed: 100 + i, warp: 0.14, crop: 0.12, hue: 30, brightness: 1.15, damage: true, quality: 35 });
      photos.push(photo);
    }
    const started = performance.now();
    const result = await matchPhotosToClip({ ffmpegPath: await ffmpegBin(), clipFile: clip, photoFiles: photos });
    const seconds = (performance.now() - started) / 1000;
    expect(result.frames).toBeGreaterThanOrEqual(SEEDS.length * SECONDS_EACH * 3 - 3);
    for (const [i, p] of result.photos.entries()) {
      const top = p.matches[0];
      expect(top, `photo ${i}`).toBeDefined();
      // Scene i is on screen from i×3 s to (i+1)×3 s.
      expect(top!.atSeconds, `photo ${i}: ${JSON.stringify(p.matches)}`).toBeGreaterThanOrEqual(i * SECONDS_EACH - 0.4);
      expect(top!.atSeconds, `photo ${i}: ${JSON.stringify(p.matches)}`).toBeLessThan((i + 1) * SECONDS_EACH + 0.4);
      expect(p.matches.length).toBeLessThanOrEqual(3);
    }
    console.log(`visual match: ${photos.length} photos × ${result.frames} frames in ${seconds.toFixed(1)} s`);
  }, 110_000);

  it('coarse to fine ranks the same moment first as matching every frame, and a second claim on the clip reuses its frame features', async () => {
    // Look-alike scenes (the same carton on the same bench) and close-ups; the benchmark adds a hand over the item.
    const family = join(dir, 'family');
    mkdirSync(family);
    const seeds = [41, 42, 43, 44, 45, 46];
    // Five seconds each: long enough that the fine pass leaves frames out.
    const each = 5;
    const { clip: lookAlike, scenes: alike } = await sceneClip(await ffmpegBin(), family, seeds, each, 'alike.mp4', 7);
    const photos: string[] = [];
    for (const [i, scene] of alike.entries()) {
      const photo = join(family, `claim-${i}.jpg`);
      await claimPhotoFrom(scene, photo, { seed: 200 + i, warp: 0.14, crop: 0.1, hue: -20, damage: true, zoom: i % 2 ? 1 : 0.65, quality: 45 });
      photos.push(photo);
    }
    const ffmpegPath = await ffmpegBin();
    clearFeatureCache();
    const fast = await matchPhotosToClip({ ffmpegPath, clipFile: lookAlike, photoFiles: photos });
    const cached = featureCacheSize();
    expect(cached.clips).toBe(1);
    // The coarse pass took one frame a second; the fine pass only the strong moments' neighbours.
    expect(fast.framesAnalysed).toBeLessThan(fast.frames);
    expect(cached.frames).toBe(fast.framesAnalysed);
    const again = await matchPhotosToClip({ ffmpegPath, clipFile: lookAlike, photoFiles: photos.slice(0, 2) });
    expect(again.framesAnalysed).toBe(0);
    expect(again.photos.map((p) => p.matches)).toEqual(fast.photos.slice(0, 2).map((p) => p.matches));
    clearFeatureCache();
    const every = await matchPhotosToClip({ ffmpegPath, clipFile: lookAlike, photoFiles: photos, exhaustive: true });
    expect(every.framesAnalysed).toBe(every.frames);
    // Scene i is on screen from i×5 s to (i+1)×5 s.
    const onScene = (i: number, atSeconds: number) => atSeconds >= i * each - 0.4 && atSeconds < (i + 1) * each + 0.4;
    let right = 0;
    for (const [i, p] of fast.photos.entries()) {
      const top = p.matches[0];
      const best = every.photos[i]!.matches[0];
      expect(top && best, `photo ${i}`).toBeTruthy();
      // The same moment as when every frame is verified (the same scene), and as strong.
      const sceneOf = (t: number) => Math.floor((t + 0.4) / each);
      expect(sceneOf(top!.atSeconds), `photo ${i}: ${JSON.stringify(p.matches)} vs ${JSON.stringify(every.photos[i]!.matches)}`).toBe(sceneOf(best!.atSeconds));
      expect(top!.score, `photo ${i}`).toBeGreaterThanOrEqual(0.9 * best!.score);
      if (onScene(i, top!.atSeconds)) right++;
    }
    // Look-alike cartons share corners a homography can explain: one photo in six may land on its twin.
    expect(right).toBeGreaterThanOrEqual(5);
  }, 150_000);

  it('keeps the three best moments apart and drops frames that match nothing', () => {
    const scores = [0, 5, 40, 39, 12, 0, 30, 31].map((score, i) => ({ atSeconds: i * 0.5, score }));
    expect(bestMoments(scores)).toEqual([
      { atSeconds: 1, score: 40 },
      { atSeconds: 3.5, score: 31 },
    ]);
    expect(bestMoments(scores.map((s) => ({ ...s, score: 0 })))).toEqual([]);
  });
});
