import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { Gaps } from '../../electron/station/catalog/gaps.js';
import { monotonicSegmentTimes } from '../../electron/station/catalog/segment-indexer.js';
import { ClockJumpDetector } from '../../electron/station/clock-watch.js';
import { tempDataDir } from '../helpers/station-process.js';

/** A wall clock and a monotonic clock the test moves by hand. */
function fakeClocks(wall0: number) {
  const c = { wall: wall0, mono: 1_000 };
  return {
    clocks: { wall: () => c.wall, mono: () => c.mono },
    advance: (ms: number) => {
      c.wall += ms;
      c.mono += ms;
    },
    step: (ms: number) => {
      c.wall += ms;
    },
  };
}

describe('wall-clock jump detection', () => {
  it('reports a step forward or back, with its size, and nothing for time that passes normally', () => {
    const f = fakeClocks(Date.parse('2026-11-23T08:00:00Z'));
    const d = new ClockJumpDetector(f.clocks, 1_000);
    expect(d.tick()).toBeNull();
    f.advance(500);
    expect(d.tick()).toBeNull();
    // A late tick (the event loop was busy for 7 s) moves both clocks: not a jump.
    f.advance(7_000);
    expect(d.tick()).toBeNull();
    f.advance(500);
    f.step(3_600_000);
    expect(d.tick()).toEqual({ byMs: 3_600_000, wallBefore: Date.parse('2026-11-23T08:00:07.500Z'), wallAfter: Date.parse('2026-11-23T09:00:08Z') });
    f.advance(500);
    expect(d.tick()).toBeNull();
    f.advance(500);
    f.step(-90_000);
    expect(d.tick()?.byMs).toBe(-90_000);
  });

  it('does not take a process stopped between its two clock reads for a step of the wall clock', () => {
    // The clocks as a stopped process sees them: both move on by 10 s while it does not run. The stop
    // falls between the wall-clock read and the monotonic read of one tick.
    const c = { wall: Date.parse('2026-11-23T08:00:00Z'), mono: 1_000 };
    let stopAfterNextWallRead = false;
    const clocks = {
      mono: () => c.mono,
      wall: () => {
        const w = c.wall;
        if (stopAfterNextWallRead) {
          stopAfterNextWallRead = false;
          c.wall += 10_000;
          c.mono += 10_000;
        }
        return w;
      },
    };
    const d = new ClockJumpDetector(clocks, 1_000);
    expect(d.tick()).toBeNull();
    c.wall += 500;
    c.mono += 500;
    stopAfterNextWallRead = true;
    expect(d.tick()).toBeNull();
    c.wall += 500;
    c.mono += 500;
    expect(d.tick()).toBeNull();
    // A real step is still seen right after.
    c.wall += 5_000;
    expect(d.tick()?.byMs).toBe(5_000);
  });

  it('ignores small corrections (NTP slews them; 1 s is the threshold)', () => {
    const f = fakeClocks(0);
    const d = new ClockJumpDetector(f.clocks, 1_000);
    d.tick();
    f.advance(500);
    f.step(900);
    expect(d.tick()).toBeNull();
    f.advance(500);
    f.step(-1_001);
    expect(d.tick()?.byMs).toBe(-1_001);
  });
});

describe('segment times stay monotonic within a run', () => {
  it('clamps a segment whose listed times went back to the previous end, and says by how much', () => {
    expect(monotonicSegmentTimes(null, 0.1, 2.1)).toEqual({ startSec: 0.1, endSec: 2.1, clampedMs: 0 });
    expect(monotonicSegmentTimes(2.1, 2.1, 4.1)).toEqual({ startSec: 2.1, endSec: 4.1, clampedMs: 0 });
    // The clock was set back 10 s in the middle of a segment: it "ends" before it starts.
    expect(monotonicSegmentTimes(4.1, 4.1, -5.2)).toEqual({ startSec: 4.1, endSec: 4.1, clampedMs: 9300 });
    // A whole segment after the step: it starts no earlier than the previous one ended.
    expect(monotonicSegmentTimes(4.1, -5.2, -3.2)).toEqual({ startSec: 4.1, endSec: 4.1, clampedMs: 9300 });
  });

  it('keeps the gap of a restart across a clock set back, at zero length, so the jump stays on record', () => {
    const db = openDatabase(join(tempDataDir('pw-gaps-'), 'packwitness.db'));
    try {
      const gaps = new Gaps(db);
      gaps.open('demo', 10_000, 'the wall clock jumped back by 60.0 s');
      gaps.close('demo', 10_000 - 60_000 + 700, 500);
      expect(gaps.all()).toMatchObject([{ reason: 'the wall clock jumped back by 60.0 s', startedAt: new Date(10_000).toISOString(), endedAt: new Date(10_000).toISOString() }]);
      // An ordinary short hole is still no gap. Only the first open of a hole opens a gap: a failed
      // start inside a planned restart's hole finds it open (the watchdog then keeps the tolerance).
      expect(gaps.open('demo', 20_000, 'encoder setting changed')).toMatchObject({ created: true });
      expect(gaps.open('demo', 20_100, 'ffmpeg exited')).toMatchObject({ created: false });
      gaps.close('demo', 20_300, 500);
      expect(gaps.count()).toBe(1);
    } finally {
      db.close();
    }
  });
});
