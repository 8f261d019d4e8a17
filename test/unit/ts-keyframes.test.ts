/**
 * The preview's keyframe packets, on real segment files from a real ffmpeg: the preview ffmpeg makes
 * the same pictures from them as from the whole stream, from a small part of its bytes, however
 * the tail's reads cut the packets; and a stream whose keyframes carry no random-access flag is
 * passed on whole rather than starved.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';
import { previewTapArgv } from '../../electron/station/recorder/preview-tap.js';
import { KeyframePackets, PASS_THROUGH_AFTER, TS_PACKET } from '../../electron/station/recorder/ts-keyframes.js';
import { tempDataDir } from '../helpers/station-process.js';

let ffmpeg: string;
/** Three 1-s segments (15 fps, a keyframe a second) as the recorder writes them, back to back. */
let stream: Buffer;

beforeAll(async () => {
  ffmpeg = (await locateFfmpeg()).path;
  const dir = tempDataDir('pw-keyframes-');
  await promisify(execFile)(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', '3',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
    '-f', 'segment', '-segment_time', '1', '-segment_format', 'mpegts', '-segment_format_options', 'mpegts_copyts=1:flush_packets=1',
    join(dir, '%06d.ts'),
  ]);
  stream = Buffer.concat(readdirSync(dir).sort().map((f) => readFileSync(join(dir, f))));
}, 30_000);

/** The preview ffmpeg's JPEGs from `ts` on its stdin. */
async function preview(ts: Buffer): Promise<Buffer> {
  const child = spawn(ffmpeg, previewTapArgv(), { stdio: ['pipe', 'pipe', 'ignore'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stdin.end(ts);
  await new Promise((resolve) => child.on('exit', resolve));
  return Buffer.concat(out);
}

const countJpegs = (b: Buffer): number => {
  let n = 0;
  for (let p = b.indexOf(Buffer.from([0xff, 0xd8])); p >= 0; p = b.indexOf(Buffer.from([0xff, 0xd8]), p + 2)) n++;
  return n;
};

function filtered(ts: Buffer, piece: number): Buffer {
  const f = new KeyframePackets();
  const out: Buffer[] = [];
  for (let p = 0; p < ts.length; p += piece) out.push(f.push(ts.subarray(p, p + piece)));
  return Buffer.concat(out);
}

/** Continuity counters of the packets that carry a payload, per PID, in order. */
function counters(ts: Buffer): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (let p = 0; p + TS_PACKET <= ts.length; p += TS_PACKET) {
    if ((ts[p + 3]! & 0x10) === 0) continue;
    const pid = ((ts[p + 1]! & 0x1f) << 8) | ts[p + 2]!;
    m.set(pid, [...(m.get(pid) ?? []), ts[p + 3]! & 0x0f]);
  }
  return m;
}

describe('the keyframe packets the live preview is fed', () => {
  it('gives the preview ffmpeg the same pictures as the whole stream, from a fraction of its bytes', async () => {
    const keys = filtered(stream, 64 * 1024);
    expect(keys.length % TS_PACKET).toBe(0);
    expect(keys.length).toBeLessThan(stream.length / 2);
    const [whole, fromKeys] = await Promise.all([preview(stream), preview(keys)]);
    expect(countJpegs(whole)).toBeGreaterThanOrEqual(2);
    expect(fromKeys.equals(whole)).toBe(true);
  });

  it('keeps the same packets however the reads cut them, and numbers each PID without a break', () => {
    const once = filtered(stream, stream.length);
    for (const piece of [1, 100, TS_PACKET, 1000, 7 * TS_PACKET + 3]) expect(filtered(stream, piece).equals(once), `pieces of ${piece}`).toBe(true);
    for (const [pid, ccs] of counters(once)) {
      ccs.forEach((cc, i) => {
        if (i > 0) expect(cc, `PID ${pid} packet ${i}`).toBe((ccs[i - 1]! + 1) % 16);
      });
    }
  });

  it('finds its way back to the packets after bytes that are not one', () => {
    const f = new KeyframePackets();
    const junk = Buffer.from('not a transport stream packet, e.g. half of one');
    const out = Buffer.concat([f.push(junk), f.push(stream)]);
    expect(out.equals(filtered(stream, stream.length))).toBe(true);
  });

  it('passes a stream on whole once its keyframes have gone unflagged too long', () => {
    const unflagged = Buffer.from(stream);
    for (let p = 0; p + TS_PACKET <= unflagged.length; p += TS_PACKET) {
      const adaptation = (unflagged[p + 3]! & 0x20) !== 0 && unflagged[p + 4]! > 0;
      if (adaptation) unflagged[p + 5] = unflagged[p + 5]! & ~0x40;
    }
    // Many more units than the limit: the 3-s stream repeated.
    const long = Buffer.concat(Array.from({ length: Math.ceil((PASS_THROUGH_AFTER * 4) / 45) }, () => unflagged));
    const out = filtered(long, 64 * 1024);
    // Nothing of the video until the limit (a quarter of the units), then everything.
    expect(out.length).toBeGreaterThan(long.length * 0.6);
    expect(out.length).toBeLessThan(long.length);
  });
});
