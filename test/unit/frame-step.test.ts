import { describe, expect, it } from 'vitest';
import { frameStepTarget } from '../../renderer/src/features/library/frame-step.js';

/** Which frame a time shows, for frames starting at `phase` + k/fps. */
const frameAt = (t: number, fps: number, phase = 0): number => Math.floor((t - phase) * fps + 1e-9);

describe('frame stepping on the clip page', () => {
  it('steps exactly one frame of the clip’s own rate from the frame on screen, forward and back', () => {
    for (const fps of [15, 25, 30, 30_000 / 1001]) {
      for (const phase of [0, 0.013, 0.5 / fps]) {
        let t = phase + 7 / fps + 0.2 / fps; // somewhere in frame 7
        const start = (x: number) => phase + frameAt(x, fps, phase) / fps;
        const seen: number[] = [];
        for (let i = 0; i < 40; i++) {
          const next = frameStepTarget(t, start(t), 1, fps);
          seen.push(frameAt(next, fps, phase));
          t = next;
        }
        expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => 8 + i));
        const back = frameStepTarget(t, start(t), -1, fps);
        expect(frameAt(back, fps, phase)).toBe(46);
      }
    }
  });

  it('moves N frames of time for N steps once the frame on screen is known', () => {
    const fps = 15;
    let t = 0.3;
    let shown = 4 / fps;
    const first = (t = frameStepTarget(t, shown, 1, fps));
    for (let i = 0; i < 10; i++) {
      shown = Math.floor(t * fps + 1e-9) / fps;
      t = frameStepTarget(t, shown, 1, fps);
    }
    expect(t - first).toBeCloseTo(10 / fps, 9);
  });

  it('without the frame on screen, a time on a frame’s start (the first frame, at 0) still lands in the next frame, and back in the one before', () => {
    expect(frameAt(frameStepTarget(0, null, 1, 15), 15)).toBe(1);
    expect(frameAt(frameStepTarget(3 / 15, null, 1, 15), 15)).toBe(4);
    expect(frameAt(frameStepTarget(3 / 15, null, -1, 15), 15)).toBe(2);
    // A shown frame that is not the current time's (the time moved since) is not used.
    expect(frameAt(frameStepTarget(1.0, 0.2, 1, 15), 15)).toBe(16);
  });
});
