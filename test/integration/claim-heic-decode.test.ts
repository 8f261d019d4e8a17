/**
 * HEIC claim photos in the decode child (the built photo-decode-child.js, as the station spawns it):
 * sharp's libvips has no HEVC decoder, so libheif's wasm build decodes them, under the same pixel
 * limit and with a sentence-worthy failure for a cut-off file. Fixtures are made with Debian's
 * heif-enc (libheif-examples), an HEVC encoder like an iPhone's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecodeAnswer } from '../../electron/station/claims/photo-decode-child.js';
import { repoRoot, tempDataDir } from '../helpers/station-process.js';

const CHILD = join(repoRoot, 'dist', 'electron', 'station', 'claims', 'photo-decode-child.js');
const dir = tempDataDir('pw-heic-');
const file = (name: string) => join(dir, name);

function decodeInChild(input: string, maxPixels = 120_000_000): DecodeAnswer {
  const r = spawnSync(process.execPath, [CHILD, input, `${input}.preview.jpg`, String(maxPixels), '640'], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as DecodeAnswer;
}

describe('HEIC claim photos', () => {
  beforeAll(async () => {
    // Left half red, right half blue: the preview must keep the picture, not just its size.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="600" height="900" fill="#d02010"/><rect x="600" width="600" height="900" fill="#1040d0"/></svg>';
    await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(file('source.jpg'));
    execFileSync('heif-enc', ['-q', '70', '-o', file('photo.heic'), file('source.jpg')]);
  }, 30_000);

  it('sharp alone cannot decode the pixels of this HEIC (the reason for the wasm decoder)', async () => {
    expect((await sharp(file('photo.heic')).metadata()).compression).toBe('hevc');
    await expect(sharp(file('photo.heic')).raw().toBuffer()).rejects.toThrow();
  });

  it('decodes it with libheif (wasm) and writes an upright preview with the same picture', async () => {
    const answer = decodeInChild(file('photo.heic'));
    expect(answer).toMatchObject({ ok: true, format: 'heif', width: 1200, height: 900, decoder: 'libheif-wasm' });
    const preview = `${file('photo.heic')}.preview.jpg`;
    expect(existsSync(preview)).toBe(true);
    const meta = await sharp(preview).metadata();
    expect([meta.width, meta.height]).toEqual([640, 480]);
    // stats() reads the whole input, so each half is cut out first.
    const left = await sharp(await sharp(preview).extract({ left: 40, top: 200, width: 100, height: 100 }).png().toBuffer()).stats();
    const right = await sharp(await sharp(preview).extract({ left: 500, top: 200, width: 100, height: 100 }).png().toBuffer()).stats();
    expect(left.channels[0]!.mean).toBeGreaterThan(150);
    expect(right.channels[2]!.mean).toBeGreaterThan(150);
  });

  it('refuses a HEIC over the pixel limit before decoding it, and a cut-off one as undecodable (not as an unknown format)', () => {
    const big = decodeInChild(file('photo.heic'), 1_000_000);
    expect(big.ok).toBe(false);
    expect(big.error).toMatch(/pixel limit/);

    const bytes = readFileSync(file('photo.heic'));
    writeFileSync(file('cut.heic'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = decodeInChild(file('cut.heic'));
    expect(cut.ok).toBe(false);
    expect(cut.unsupported).toBe(false);
  });
});
