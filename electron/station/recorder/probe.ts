/**
 * Reading a segment's real timestamps from the file itself. Used where ffmpeg's segment list cannot
 * tell us: the first segment of a run (the list reports 0 for its start, measured with ffmpeg 4.1) and
 * segments a crash left out of the list.
 *
 * We probe with ffmpeg itself (`-f framecrc`, no decoding): the npm-shipped ffprobe crashes on MPEG-TS.
 */
import { FfmpegError, ffmpegSaid, runFfmpeg } from '../ffmpeg/runner.js';

/** MPEG-TS timestamps are 33-bit counters of a 90 kHz clock: they wrap after about 26.5 hours. */
const TS_WRAP_SECONDS = 2 ** 33 / 90_000;

export interface SegmentTimes {
  /** Seconds on the run's clock (0 = the run's t0). */
  startSec: number;
  endSec: number;
  packets: number;
}

export class UnreadableSegmentError extends Error {
  override name = 'UnreadableSegmentError';
}

/**
 * Packet timestamps of the first video stream. `nearSec` (where the segment is expected to start on
 * the run's clock) undoes the 33-bit wrap of runs longer than a day.
 */
export async function probeSegmentTimes(ffmpeg: string, file: string, nearSec = 0): Promise<SegmentTimes> {
  const out = await ffmpegText(ffmpeg, ['-v', 'error', '-copyts', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framecrc', '-']);
  let tb = 1 / 90_000;
  let first = Infinity;
  let last = -Infinity;
  let packets = 0;
  for (const line of out.split('\n')) {
    const tbm = /^#tb 0: (\d+)\/(\d+)/.exec(line);
    if (tbm) tb = Number(tbm[1]) / Number(tbm[2]);
    if (!line.startsWith('0,')) continue;
    const [, , pts, duration] = line.split(',').map((f) => Number(f.trim()));
    if (pts === undefined || !Number.isFinite(pts)) continue;
    packets++;
    first = Math.min(first, pts * tb);
    last = Math.max(last, (pts + (duration ?? 0)) * tb);
  }
  if (packets === 0) throw new UnreadableSegmentError(`${file}: no video packets`);
  const wraps = Math.round((nearSec - first) / TS_WRAP_SECONDS);
  const shift = Math.max(0, wraps) * TS_WRAP_SECONDS;
  return { startSec: first + shift, endSec: last + shift, packets };
}

/** Decode every frame; resolves with ffmpeg's error output (empty when the file is clean). */
export async function decodeErrors(ffmpeg: string, file: string): Promise<string> {
  try {
    return (await ffmpegText(ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'null', '-'], true)).trim();
  } catch (err) {
    return (err as Error).message || 'ffmpeg failed';
  }
}

async function ffmpegText(ffmpeg: string, args: string[], wantStderr = false): Promise<string> {
  try {
    const { stdout, stderr } = await runFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', ...args], { maxStdoutBytes: 64 * 1024 * 1024, timeoutMs: 60_000 });
    return wantStderr ? stderr : stdout.toString('utf8');
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    throw new UnreadableSegmentError(`${args.at(-1) === '-' ? args[args.indexOf('-i') + 1] : ''}: ${err.said || err.message}`);
  }
}

export interface PacketTimes {
  /** Presentation times of every video packet, seconds on the file's own clock, in file order. */
  pts: number[];
  /** Which of them are keyframes (a clip can only start decoding at one). */
  key: boolean[];
  frameSec: number;
  /** Coded picture size from the stream header (framecrc's `#dimensions`), null if ffmpeg printed none. */
  width: number | null;
  height: number | null;
}

/** Every video packet's time and keyframe flag (framecrc prints `F=` only for packets that are not plain keyframes). */
export async function probePackets(ffmpeg: string, file: string): Promise<PacketTimes> {
  const out = await ffmpegText(ffmpeg, ['-v', 'error', '-copyts', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framecrc', '-']);
  let tb = 1 / 90_000;
  const pts: number[] = [];
  const key: boolean[] = [];
  let frameSec = 0;
  let width: number | null = null;
  let height: number | null = null;
  for (const line of out.split('\n')) {
    const tbm = /^#tb 0: (\d+)\/(\d+)/.exec(line);
    if (tbm) tb = Number(tbm[1]) / Number(tbm[2]);
    const dim = /^#dimensions 0: (\d+)x(\d+)/.exec(line);
    if (dim) [width, height] = [Number(dim[1]), Number(dim[2])];
    if (!line.startsWith('0,')) continue;
    const fields = line.split(',').map((f) => f.trim());
    pts.push(Number(fields[2]) * tb);
    frameSec ||= Number(fields[3]) * tb;
    key.push(!fields.some((f) => f.startsWith('F=')));
  }
  if (!pts.length) throw new UnreadableSegmentError(`${file}: no video packets`);
  return { pts, key, frameSec, width, height };
}

/**
 * Frames per second from packet times: one over the median step between consecutive frames, so a
 * hole in the footage (a camera that came back) or a late frame does not move it. Null with fewer
 * than two frames.
 */
export function frameRateOf(pts: readonly number[]): number | null {
  const sorted = [...pts].sort((a, b) => a - b);
  const steps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 1e-6) steps.push(d);
  }
  if (!steps.length) return null;
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)]!;
  return Math.round((1 / median) * 1000) / 1000;
}

export interface VideoFormat {
  width: number;
  height: number;
  fps: number;
}

/**
 * Picture size and frame rate of a file's first video stream, from ffmpeg's own description of its
 * input (`ffmpeg -i FILE` prints it, then fails for want of an output: that failure is expected).
 */
export async function probeVideoFormat(ffmpeg: string, file: string): Promise<VideoFormat> {
  const stderr = await runFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-i', file], { timeoutMs: 30_000 }).then(
    (r) => r.stderr,
    (err: unknown) => {
      if (err instanceof FfmpegError) return err.stderr;
      throw err;
    },
  );
  const line = stderr.split('\n').find((l) => /Stream #\d+:\d+.*: Video:/.test(l));
  const size = line && /, (\d{2,5})x(\d{2,5})[ ,]/.exec(line);
  const rate = line && (/, ([\d.]+) fps/.exec(line) ?? /, ([\d.]+) tbr/.exec(line));
  if (!size || !rate) throw new UnreadableSegmentError(`${file}: not a readable video (${ffmpegSaid(stderr) || 'no output'})`);
  return { width: Number(size[1]), height: Number(size[2]), fps: Number(rate[1]) };
}
