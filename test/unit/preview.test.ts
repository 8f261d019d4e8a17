import { describe, expect, it } from 'vitest';
import { JpegSplitter } from '../../electron/station/recorder/preview.js';

const jpeg = (body: number[]): Buffer => Buffer.from([0xff, 0xd8, ...body, 0xff, 0xd9]);

describe('the preview JPEG splitter', () => {
  it('cuts back-to-back JPEGs apart however the pipe chunks them', () => {
    const frames = [jpeg([1, 2, 3]), jpeg([0xff, 0x00, 4]), jpeg([5])];
    const stream = Buffer.concat(frames);
    for (let chunk = 1; chunk <= stream.length; chunk++) {
      const got: Buffer[] = [];
      const s = new JpegSplitter((f) => got.push(f));
      for (let i = 0; i < stream.length; i += chunk) s.push(stream.subarray(i, i + chunk));
      expect(got, `chunk ${chunk}`).toEqual(frames);
    }
  });

  it('skips garbage before a frame start', () => {
    const got: Buffer[] = [];
    const s = new JpegSplitter((f) => got.push(f));
    s.push(Buffer.from([9, 9, 0xd9, 0xff]));
    s.push(jpeg([7]));
    expect(got).toEqual([jpeg([7])]);
  });
});
