/**
 * Reading the burned-in overlay back from a video frame: render the expected codes line with the
 * station's own drawtext settings on black, and measure how many of those text pixels are bright in
 * the recorded frame. The right code scores ~1; a different code scores far lower.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCameraSpec } from '../../electron/station/recorder/camera-spec.js';
import { ENCODER_PRESETS, codesLineY, overlayFontSize, recordingInvocation, stationLineY } from '../../electron/station/recorder/ffmpeg-command.js';
import { codesLine, overlayText } from '../../electron/station/recorder/overlay.js';
import { overlayFont } from '../../electron/station/resources.js';
import { ffmpegBin } from './media.js';

export interface Region { x: number; y: number; w: number; h: number }

const BRIGHT = 200;

function gray(args: string[], bytes: number): Promise<Buffer> {
  return ffmpegBin().then(
    (bin) =>
      new Promise((resolve, reject) => {
        execFile(bin, ['-hide_banner', '-nostdin', '-v', 'error', ...args, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
          if (err) reject(new Error(String(stderr)));
          else if (stdout.length < bytes) reject(new Error(`expected ${bytes} bytes of gray pixels, got ${stdout.length}`));
          else resolve(stdout.subarray(0, bytes));
        });
      }),
  );
}

/** The codes line of the overlay, for a picture `height` pixels high (below the station line). */
export function codesLineRegion(width: number, height: number, fontHeight: number | null = height): Region {
  const font = overlayFontSize(fontHeight ?? undefined);
  const small = Math.round(font * 0.8);
  return { x: 0, y: codesLineY(font) - 4, w: Math.min(width, 640), h: small + 8 };
}

/** The station line of the overlay (the text file: station name and operator). */
export function stationLineRegion(width: number, height: number): Region {
  const font = overlayFontSize(height);
  const small = Math.round(font * 0.8);
  return { x: 0, y: stationLineY(font) - 4, w: Math.min(width, 640), h: small + 8 };
}

/** Gray pixels of `region` in the frame at `atSec` of a video file. */
export function framePixels(file: string, atSec: number, r: Region): Promise<Buffer> {
  return gray(['-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', `crop=${r.w}:${r.h}:${r.x}:${r.y}`], r.w * r.h);
}

/** The same region rendered by the station's own overlay filter with `codes` on a black picture. */
/** `fontHeight`: the height the station sized the overlay for (null for a camera of unknown size, like a file). */
/** `packer`: the packer signed in, as the station line names them. */
export async function referencePixels(
  codes: string[],
  station: string,
  width: number,
  height: number,
  r: Region,
  operator?: string,
  fontHeight: number | null = height,
  packer: { code: string; name: string } | null = null,
): Promise<Buffer> {
  const dir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-ref-'));
  const overlayFile = join(dir, 'overlay.txt');
  writeFileSync(overlayFile, overlayText({ station, operator, packer }));
  const inv = recordingInvocation({
    source: { ...parseCameraSpec(`demo:${width}x${height}@15`), input: `color=black:size=${width}x${height}:rate=15` },
    t0Ms: 0,
    runDir: dir,
    overlayFile,
    codesText: codesLine(codes),
    fontFile: overlayFont(),
    fontSize: overlayFontSize(fontHeight ?? undefined),
    encoder: ENCODER_PRESETS.standard,
    feeds: null,
  });
  const graph = inv.filterGraph.replace('[rec]', `,crop=${r.w}:${r.h}:${r.x}:${r.y}[out]`);
  return gray(['-f', 'lavfi', '-i', inv.input, '-filter_complex', graph, '-map', '[out]', '-frames:v', '1'], r.w * r.h);
}

/** Share of the reference's text pixels that are also bright in the frame. */
export function textRecall(frame: Buffer, reference: Buffer): number {
  let text = 0;
  let hit = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i]! < BRIGHT) continue;
    text++;
    if (frame[i]! >= BRIGHT) hit++;
  }
  return text ? hit / text : 0;
}

/**
 * Every shown frame of a video (an MP4's edit list hides its lead-in), in order: its presentation
 * time in seconds and the gray pixels of `region`.
 */
export async function everyFramePixels(file: string, r: Region): Promise<Array<{ sec: number; pixels: Buffer }>> {
  const bin = await ffmpegBin();
  const { stdout, stderr } = await new Promise<{ stdout: Buffer; stderr: string }>((resolve, reject) => {
    execFile(
      bin,
      ['-hide_banner', '-nostdin', '-v', 'info', '-i', file, '-map', '0:v:0', '-vsync', '0', '-vf', `crop=${r.w}:${r.h}:${r.x}:${r.y},showinfo`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
      { encoding: 'buffer', maxBuffer: 256 << 20 },
      (err, out, errOut) => (err ? reject(new Error(String(errOut))) : resolve({ stdout: out, stderr: String(errOut) })),
    );
  });
  const times = [...stderr.matchAll(/\] n:\s*\d+ pts:\s*-?\d+ pts_time:(-?[\d.]+)/g)].map((m) => Number(m[1]));
  const size = r.w * r.h;
  if (times.length * size !== stdout.length) throw new Error(`${times.length} frame times but ${stdout.length / size} frames of pixels`);
  return times.map((sec, i) => ({ sec, pixels: stdout.subarray(i * size, (i + 1) * size) }));
}

/**
 * Which of the candidate codes lines a frame shows: the candidate whose rendered text pixels are
 * bright in the frame (recall over 0.9) and clearly more so than every other's; null if none is.
 */
export function whichText<K extends string>(frame: Buffer, candidates: Record<K, Buffer>): { shows: K | null; recall: Record<K, number> } {
  const recall = Object.fromEntries(Object.entries(candidates).map(([k, ref]) => [k, textRecall(frame, ref as Buffer)])) as Record<K, number>;
  const ranked = (Object.entries(recall) as Array<[K, number]>).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const shows = best && best[1] > 0.9 && (!second || best[1] - second[1] > 0.25) ? best[0] : null;
  return { shows, recall };
}
