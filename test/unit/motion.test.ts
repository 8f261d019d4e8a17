import { describe, expect, it } from 'vitest';
import { MOTION_BLIND_AFTER_MS, MOTION_FRAME_BYTES, MOTION_MIN_MEAN_DIFF } from '../../electron/station/limits.js';
import { recordingInvocation, toArgv } from '../../electron/station/recorder/ffmpeg-command.js';
import { demoRecordingPlan } from '../helpers/recording-plan.js';
import { isMotionPicture, meanAbsoluteDifference, MotionMeter } from '../../electron/station/recorder/motion.js';

const T = 1_000_000;
/** A 32x18 grey picture: every cell `level`, and `changed` cells (from the top left) at `other`. */
const picture = (level: number, changed = 0, other = level): Uint8Array => {
  const p = new Uint8Array(MOTION_FRAME_BYTES).fill(level);
  p.fill(other, 0, changed);
  return p;
};

describe('motion between two pictures', () => {
  it('is the mean absolute difference of their cells, in grey levels', () => {
    expect(meanAbsoluteDifference(picture(100), picture(100))).toBe(0);
    expect(meanAbsoluteDifference(picture(100), picture(110))).toBe(10);
    expect(meanAbsoluteDifference(picture(110), picture(100))).toBe(10);
    // A hand over 1/8 of the bench, 80 levels darker.
    expect(meanAbsoluteDifference(picture(120), picture(120, 72, 40))).toBe(10);
    expect(meanAbsoluteDifference(Uint8Array.of(0, 255), Uint8Array.of(255, 0))).toBe(255);
  });

  it('refuses pictures of different sizes', () => {
    expect(() => meanAbsoluteDifference(picture(1), new Uint8Array(10))).toThrow(/different sizes/);
  });

  it('takes only datagrams of one picture as the motion feed', () => {
    expect(isMotionPicture(Buffer.alloc(MOTION_FRAME_BYTES))).toBe(true);
    expect(isMotionPicture(Buffer.alloc(MOTION_FRAME_BYTES - 1))).toBe(false);
    expect(isMotionPicture(Buffer.from('frame=12\nprogress=continue\n'))).toBe(false);
  });
});

describe('the motion meter', () => {
  it('cannot tell before its first picture', () => {
    expect(new MotionMeter().stillSince(T)).toBeNull();
  });

  it('says the bench is still since the last picture that moved', () => {
    const m = new MotionMeter();
    m.push(picture(100), T);
    expect(m.stillSince(T)).toBe(T); // the first picture: what came before was not seen
    m.push(picture(130), T + 1_000);
    expect(m.stillSince(T + 1_000)).toBe(T + 1_000);
    for (let s = 2; s <= 4; s++) m.push(picture(130), T + s * 1_000);
    expect(m.stillSince(T + 4_500)).toBe(T + 1_000);
  });

  it('takes sensor noise and a camera clock in a corner for a still bench', () => {
    const m = new MotionMeter();
    m.push(picture(100), T);
    // Every cell off by less than the threshold, then four cells changing a lot (a camera's own clock digits).
    const noise = picture(100).map((v, i) => v + (i % 2 === 0 ? 1 : -1) * Math.floor(MOTION_MIN_MEAN_DIFF * 0.9));
    m.push(noise, T + 1_000);
    m.push(picture(100, 4, 200), T + 2_000);
    expect(m.stillSince(T + 2_000)).toBe(T);
  });

  it('counts a time it did not see as activity, and cannot tell while no picture comes', () => {
    const m = new MotionMeter();
    m.push(picture(100), T);
    m.push(picture(100), T + 1_000);
    expect(m.stillSince(T + 1_000 + MOTION_BLIND_AFTER_MS)).toBe(T);
    expect(m.stillSince(T + 1_001 + MOTION_BLIND_AFTER_MS)).toBeNull();
    // Pictures again after the camera was away: the same picture, but the bench was not watched in between.
    const back = T + 2_000 + MOTION_BLIND_AFTER_MS;
    m.push(picture(100), back);
    expect(m.stillSince(back)).toBe(back);
  });

  it('ignores a datagram that is not one picture', () => {
    const m = new MotionMeter();
    m.push(picture(100), T);
    m.push(new Uint8Array(100).fill(255), T + 1_000);
    m.push(picture(100), T + 2_000);
    expect(m.stillSince(T + 2_000)).toBe(T);
  });
});

describe('the motion feed in the recording command', () => {
  const plan = (motionPort: number | null) => demoRecordingPlan({ feeds: motionPort === null ? null : { progressPort: 41002, motionPort } });

  it('takes one small grey picture a second before the overlay, whose clock would always move', () => {
    const graph = recordingInvocation(plan(41003)).filterGraph;
    expect(graph).toMatch(/^\[0:v\]fps=30,format=yuv420p,split=2\[main\]\[mo\];\[mo\]select=isnan\(prev_selected_t\)\+gte\(t-prev_selected_t\\,1\),scale=32:18:flags=area,format=gray\[motion\];\[main\]drawtext=/);
    expect(graph.indexOf('[motion]')).toBeLessThan(graph.indexOf('%{localtime}'));
  });

  it('sends each picture as one datagram to a port it connects to, so a send to a station that is gone fails', () => {
    const s = toArgv(recordingInvocation(plan(41003))).join(' ');
    expect(s).toContain(`-map [motion] -c:v rawvideo -f rawvideo udp://127.0.0.1:41003?connect=1&pkt_size=${MOTION_FRAME_BYTES}`);
  });

  it('has no motion output without the feeds (the bare baseline)', () => {
    const inv = recordingInvocation(plan(null));
    expect(inv.filterGraph).not.toContain('[motion]');
    expect(inv.outputs).toHaveLength(1);
  });
});
