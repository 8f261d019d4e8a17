/**
 * Noticing wall-clock jumps (NTP stepping the clock, a user changing the time, a dead CMOS battery
 * corrected after boot). The wall clock and a monotonic clock should advance together; when their
 * deltas between two ticks differ by more than CLOCK_JUMP_MS, the wall clock was stepped.
 *
 * Why it matters: ffmpeg stamps every frame with the wall clock on arrival (see ffmpeg-command.ts), so a
 * step moves a running recording's timestamps, and the `fps` filter of the recording graph reacts
 * badly (checked with ffmpeg 4.1 on 15 fps input whose stamps jump at frame 60: 10 s back, it dropped
 * every later frame, 91 of 150, waiting for the clock to catch up; 10 s forward, it invented 150
 * duplicate frames to fill the skipped time). Either way the run must end and a new one start on the
 * new clock; the station does that when this reports a jump (see station.ts).
 */
import { CLOCK_JUMP_MS, CLOCK_READ_SLACK_MS, CLOCK_WATCH_INTERVAL_MS } from './limits.js';

export interface Clocks {
  /** Wall clock, epoch ms (Date.now). */
  wall: () => number;
  /** Monotonic ms (performance.now). */
  mono: () => number;
}

export interface ClockJump {
  /** How far the wall clock moved beyond (positive) or short of (negative) the monotonic clock. */
  byMs: number;
  /** Wall-clock time before and after the step, as seen at the two ticks. */
  wallBefore: number;
  wallAfter: number;
}

const systemClocks: Clocks = { wall: () => Date.now(), mono: () => performance.now() };

/**
 * Pure comparison of two ticks, so it can be tested with any clocks.
 *
 * A stopped process is not a jump: both clocks go on while it is stopped, so a tick after a 10 s
 * SIGSTOP sees 10 s on each. Unless the stop falls between the two reads of one tick: then the wall
 * clock read before it and the monotonic one after, and the tick would report a 10 s step back. So a
 * reading is the wall clock between two monotonic reads, taken again when those are further apart
 * than CLOCK_READ_SLACK_MS (and skipped if that keeps happening).
 */
export class ClockJumpDetector {
  private last: { wall: number; mono: number } | null = null;

  constructor(
    private readonly clocks: Clocks = systemClocks,
    private readonly thresholdMs = CLOCK_JUMP_MS,
  ) {}

  private read(): { wall: number; mono: number } | null {
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = this.clocks.mono();
      const wall = this.clocks.wall();
      const after = this.clocks.mono();
      if (after - before <= CLOCK_READ_SLACK_MS) return { wall, mono: (before + after) / 2 };
    }
    return null;
  }

  /** Take one reading; returns the jump since the previous reading, if there was one. */
  tick(): ClockJump | null {
    const now = this.read();
    if (!now) return null;
    const prev = this.last;
    this.last = now;
    if (!prev) return null;
    const byMs = now.wall - prev.wall - (now.mono - prev.mono);
    return Math.abs(byMs) > this.thresholdMs ? { byMs: Math.round(byMs), wallBefore: prev.wall, wallAfter: now.wall } : null;
  }
}

/** Ticks a detector on a timer and calls `onJump` for every jump. */
export function watchClock(onJump: (jump: ClockJump) => void, clocks: Clocks = systemClocks): () => void {
  const detector = new ClockJumpDetector(clocks);
  detector.tick();
  const timer = setInterval(() => {
    const jump = detector.tick();
    if (jump) onJump(jump);
  }, CLOCK_WATCH_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
