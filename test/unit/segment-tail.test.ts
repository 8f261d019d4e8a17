/**
 * The live preview's tail of the recording: real segment files written by a real ffmpeg as the tail
 * reads them. It must give the bytes of every segment from the one it starts at, in order and whole,
 * across the segment boundaries; go to a new run's folder; and skip ahead when it falls behind.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';
import { newestSegment, segmentFileName, SegmentTail } from '../../electron/station/recorder/segment-tail.js';
import { tempDataDir } from '../helpers/station-process.js';

/** ffmpeg writing 1-s MPEG-TS segments of a live (real-time) picture, each packet flushed, as the recorder does. */
async function record(dir: string, seconds: number, realtime = true): Promise<{ exited: Promise<unknown> }> {
  mkdirSync(dir, { recursive: true });
  const ffmpeg = (await locateFfmpeg()).path;
  const argv = [
    '-hide_banner', '-loglevel', 'error', '-nostdin', ...(realtime ? ['-re'] : []),
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
    '-f', 'segment', '-segment_time', '1', '-segment_format', 'mpegts', '-segment_format_options', 'mpegts_copyts=1:flush_packets=1',
    join(dir, '%06d.ts'),
  ];
  const child = spawn(ffmpeg, argv, { stdio: 'ignore' });
  return { exited: once(child, 'exit') };
}

const files = (dir: string, from: number, to: number): Buffer =>
  Buffer.concat(Array.from({ length: to - from + 1 }, (_, i) => readFileSync(join(dir, segmentFileName(from + i)))));

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe('the segment tail', () => {
  it('reads the segments as ffmpeg writes them, each whole and in order, across the boundaries', async () => {
    const dir = join(tempDataDir('pw-tail-'), 'run');
    const { exited: done } = await record(dir, 5);
    const chunks: Buffer[] = [];
    const seen: number[] = [];
    const tail = new SegmentTail(() => dir, async (c) => void chunks.push(c), { segment: (_d, n) => seen.push(n) }, 20);
    tail.start();
    await done;
    const last = (await newestSegment(dir))!;
    expect(last).toBeGreaterThanOrEqual(3);
    const expected = files(dir, seen[0]!, last);
    await until(() => chunks.reduce((t, c) => t + c.length, 0) >= expected.length, 5_000);
    await tail.stop();
    // It started at the first segment (there was none yet when it started), read each in turn while it grew.
    expect(seen[0]).toBe(0);
    expect(seen).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    // Read while written: many reads, not one per file.
    expect(chunks.length).toBeGreaterThan(seen.length * 3);
  });

  it("goes to a new run's newest segment when the camera's folder changes", async () => {
    const root = tempDataDir('pw-tail-');
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    await (await record(a, 3, false)).exited;
    await (await record(b, 3, false)).exited;
    let dir = a;
    const chunks: Buffer[] = [];
    const seen: string[] = [];
    const tail = new SegmentTail(() => dir, async (c) => void chunks.push(c), { segment: (d, n) => seen.push(`${d === a ? 'a' : 'b'}${n}`) }, 20);
    tail.start();
    const lastA = (await newestSegment(a))!;
    const lastB = (await newestSegment(b))!;
    await until(() => seen.length === 1, 2_000);
    await sleep(200);
    dir = b;
    await until(() => seen.length === 2, 2_000);
    const expected = Buffer.concat([files(a, lastA, lastA), files(b, lastB, lastB)]);
    await until(() => chunks.reduce((t, c) => t + c.length, 0) >= expected.length, 2_000);
    await tail.stop();
    expect(seen).toEqual([`a${lastA}`, `b${lastB}`]);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('skips to the newest segment when it is more than one behind (a slow reader)', async () => {
    const dir = join(tempDataDir('pw-tail-'), 'run');
    const { exited: done } = await record(dir, 5);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seen: number[] = [];
    let first = true;
    const tail = new SegmentTail(
      () => dir,
      async () => {
        if (first) {
          first = false;
          await gate; // the reader is stuck on its first chunk while ffmpeg writes on
        }
      },
      { segment: (_d, n) => seen.push(n) },
      20,
    );
    tail.start();
    await done;
    const last = (await newestSegment(dir))!;
    open();
    await until(() => seen.at(-1) === last, 5_000);
    await tail.stop();
    expect(seen).toEqual([0, last]);
  });
});
