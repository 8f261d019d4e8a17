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
import { ENCODER_PRESETS, overlayFontSize, recordingInvocation } from '../../electron/station/recorder/ffmpeg-command.js';
import { overlayText } from '../../electron/station/recorder/overlay.js';
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

/** The codes line of the overlay, for a picture `height` pixels high (below the clock line). */
export function codesLineRegion(width: number, height: number): Region {
  const font = overlayFontSize(height);
  const small = Math.round(font * 0.8);
  const top = 16 + Math.round(font * 1.7) + small + 4; // the text file's second line
  return { x: 0, y: top, w: Math.min(width, 640), h: small + 12 };
}

/** The station line of the overlay (the text file's first line: station name and operator). */
export function stationLineRegion(width: number, height: number): Region {
  const font = overlayFontSize(height);
  const small = Math.round(font * 0.8);
  const top = 16 + Math.round(font * 1.7);
  return { x: 0, y: top - 4, w: Math.min(width, 640), h: small + 8 };
}

/** Gray pixels of `region` in the frame at `atSec` of a video file. */
export function framePixels(file: string, atSec: number, r: Region): Promise<Buffer> {
  return gray(['-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', `crop=${r.w}:${r.h}:${r.x}:${r.y}`], r.w * r.h);
}

/** The same region rendered by the station's own overlay filter with `codes` on a black picture. */
export async function referencePixels(codes: string[], station: string, width: number, height: number, r: Region, operator?: string): Promise<Buffer> {
  const dir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-ref-'));
  const overlayFile = join(dir, 'overlay.txt');
  writeFileSync(overlayFile, overlayText({ station, operator, codes }));
  const inv = recordingInvocation({
    source: { ...parseCameraSpec(`demo:${width}x${height}@15`), input: `color=black:size=${width}x${height}:rate=15` },
    t0Ms: 0,
    runDir: dir,
    overlayFile,
    fontFile: overlayFont(),
    fontSize: overlayFontSize(height),
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
