import { describe, expect, it } from 'vitest';
import { frameRateOf } from '../../electron/station/recorder/probe.js';

/** Packet times of `n` frames at `fps`, from `t0`. */
const frames = (n: number, fps: number, t0 = 0): number[] => Array.from({ length: n }, (_, i) => t0 + i / fps);

describe('a clip’s frame rate from its packet times', () => {
  it.each([
    { name: '15 fps', pts: frames(60, 15), fps: 15 },
    { name: '30 fps', pts: frames(60, 30), fps: 30 },
    { name: '25 fps, starting before the clip (the lead-in the edit list hides)', pts: frames(50, 25, -0.4), fps: 25 },
    { name: 'NTSC 29.97', pts: frames(100, 30_000 / 1001), fps: 29.97 },
    { name: 'a hole of 3.7 s in the middle (the camera came back)', pts: [...frames(30, 15), ...frames(30, 15, 2 + 3.7)], fps: 15 },
    { name: 'packets out of order (B-frames in decode order)', pts: [0, 2, 1, 4, 3, 5].map((i) => i / 15), fps: 15 },
    { name: 'one frame', pts: [0], fps: null },
    { name: 'none', pts: [], fps: null },
  ])('$name', ({ pts, fps }) => {
    expect(frameRateOf(pts)).toBe(fps);
  });
});
