import { describe, expect, it } from 'vitest';
import { JpegStream, jpegLength } from '../../electron/station/recorder/preview.js';

/** A marker segment: FF m, then its length (2 + payload) and the payload. */
const seg = (m: number, payload: number[]): number[] => [0xff, m, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];

/**
 * A JPEG as the preview ffmpeg writes one, in structure: a quantisation table whose values hold FF D9,
 * a scan whose entropy-coded data holds stuffed FF 00 and a restart marker, then the end marker.
 */
const jpeg = (fill: number): Buffer =>
  Buffer.from([0xff, 0xd8, ...seg(0xdb, [0, 0xff, 0xd9, fill]), ...seg(0xda, [1, 2, 3]), fill, 0xff, 0x00, 7, 0xff, 0xd3, 8, 0xff, 0xd9]);

const collect = (): { got: Buffer[]; s: JpegStream } => {
  const got: Buffer[] = [];
  return { got, s: new JpegStream((f) => got.push(f)) };
};

describe('the preview JPEGs from the preview ffmpeg', () => {
  it('finds the end of a picture by its structure, not by FF D9 bytes inside a table', () => {
    const one = jpeg(1);
    expect(jpegLength(one)).toBe(one.length);
    expect(jpegLength(Buffer.concat([one, jpeg(2)]))).toBe(one.length);
    expect(jpegLength(one.subarray(0, one.length - 1))).toBe(0); // not all there yet
    expect(jpegLength(one.subarray(0, 9))).toBe(0);
    expect(jpegLength(Buffer.from([1, 2, 3]))).toBe(-1);
  });

  it('cuts back-to-back pictures apart however the pipe splits the bytes', () => {
    const frames = [jpeg(1), jpeg(2), jpeg(3)];
    const all = Buffer.concat(frames);
    for (const size of [1, 3, 7, all.length]) {
      const { got, s } = collect();
      for (let i = 0; i < all.length; i += size) s.push(all.subarray(i, i + size));
      expect(got, `pieces of ${size}`).toEqual(frames);
    }
  });

  it('skips bytes that do not start a picture and takes the next whole one', () => {
    const { got, s } = collect();
    const cut = jpeg(1).subarray(5);
    s.push(Buffer.concat([cut, jpeg(2)]));
    expect(got).toEqual([jpeg(2)]);
  });
});
