import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchPhotosToClip } from '../../electron/station/claims/clip-matcher.js';
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

  it('keeps the three best moments apart and drops frames that match nothing', () => {
    const scores = [0, 5, 40, 39, 12, 0, 30, 31].map((score, i) => ({ atSeconds: i * 0.5, score }));
    expect(bestMoments(scores)).toEqual([
      { atSeconds: 1, score: 40 },
      { atSeconds: 3.5, score: 31 },
    ]);
    expect(bestMoments(scores.map((s) => ({ ...s, score: 0 })))).toEqual([]);
  });
});
