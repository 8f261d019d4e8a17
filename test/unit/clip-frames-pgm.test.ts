import { describe, expect, it } from 'vitest';
import { parsePgms } from '../../electron/station/claims/clip-matcher.js';

const pgm = (w: number, h: number, fill: number, header = `P5\n${w} ${h}\n255\n`) => Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(w * h, fill)]);

describe('the clip frames ffmpeg pipes as PGM pictures', () => {
  it('splits consecutive pictures with their sizes and pixels', () => {
    const frames = parsePgms(Buffer.concat([pgm(4, 2, 7), pgm(3, 3, 200, 'P5 3 3 255\n')]));
    expect(frames.map((f) => [f.width, f.height, f.data.length, f.data[0]])).toEqual([
      [4, 2, 8, 7],
      [3, 3, 9, 200],
    ]);
  });

  it('refuses a cut-off picture and one that is not 8-bit grey', () => {
    expect(() => parsePgms(pgm(4, 2, 7).subarray(0, 15))).toThrow(/cut-off/);
    expect(() => parsePgms(pgm(4, 2, 7, 'P6\n4 2\n255\n'))).toThrow(/not an 8-bit PGM/);
  });
});
