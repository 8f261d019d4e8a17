import { describe, expect, it } from 'vitest';
import { JpegDatagrams } from '../../electron/station/recorder/preview.js';

const jpeg = (body: number[]): Buffer => Buffer.from([0xff, 0xd8, ...body, 0xff, 0xd9]);

/** A JPEG cut into datagrams of `size` bytes, as ffmpeg's UDP output sends one larger than pkt_size. */
const pieces = (frame: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < frame.length; i += size) out.push(frame.subarray(i, i + size));
  return out;
};

const collect = (size: number): { got: Buffer[]; d: JpegDatagrams } => {
  const got: Buffer[] = [];
  return { got, d: new JpegDatagrams((f) => got.push(Buffer.from(f)), size) };
};

describe('the preview from datagrams', () => {
  it('takes each JPEG in one datagram as it is', () => {
    const { got, d } = collect(64);
    const frames = [jpeg([1, 2, 3]), jpeg([0xff, 0x00, 4]), jpeg([5])];
    for (const f of frames) d.push(f);
    expect(got).toEqual(frames);
  });

  it('puts a JPEG larger than a datagram back together from its full-size pieces', () => {
    const { got, d } = collect(4);
    const big = jpeg([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const p of pieces(big, 4)) d.push(p);
    d.push(jpeg([7]));
    expect(got).toEqual([big, jpeg([7])]);
  });

  it('drops an image whose end or start was lost, or with a short piece before its end, and resumes at the next start', () => {
    const { got, d } = collect(4);
    const frame = jpeg([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // 14 bytes: pieces of 4, 4, 4, 2
    const [p1, p2, p3, p4] = pieces(frame, 4) as [Buffer, Buffer, Buffer, Buffer];
    d.push(p1);
    d.push(p2); // end lost: the next start discards what was gathered
    d.push(jpeg([9]));
    d.push(p2); // start lost: continuation pieces without a start are ignored
    d.push(p3);
    d.push(p4);
    d.push(p1);
    d.push(Buffer.from([0x11, 0x22])); // a short piece that does not end the image: something was lost before it
    d.push(p3);
    d.push(p4);
    expect(got).toEqual([jpeg([9])]);
  });
});
