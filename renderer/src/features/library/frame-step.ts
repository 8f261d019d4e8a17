/** Frame stepping on the clip page's player (pure, so it is unit-tested). */

/** The frame rate assumed for a clip from a station that does not say it (the usual camera default). */
export const FALLBACK_FPS = 30;

/**
 * Where one press of "Frame ▶" / "◀ Frame" lands, in video seconds. Stepped from the start of the
 * frame on screen when the browser has said which it is (requestVideoFrameCallback's mediaTime), a
 * quarter of a frame into the target frame: a seek to a frame's exact start can round to the frame
 * before it, and a step that lands there shows the same picture twice. Without that, from the
 * current time: one frame on, plus a millisecond for a current time that sits on a frame's start
 * (a clip's first frame is at 0).
 */
export function frameStepTarget(currentTime: number, shownFrameStart: number | null, frames: number, fps: number): number {
  const frame = 1 / fps;
  if (shownFrameStart !== null && shownFrameStart <= currentTime + 1e-6 && currentTime - shownFrameStart < frame) return shownFrameStart + (frames + 0.25) * frame;
  return currentTime + frames * frame + 0.001;
}
