/**
 * `evidence-sheet` benchmark: how big the key-frame sheet of a 60 s 720p clip is, and how long it
 * takes to draw. eBay payment disputes take 1.75 MB of images in all, so each picture has a budget
 * (SHEET.maxImageBytes, 1 MB); the target is that both the PNG and the JPEG fit it.
 *
 * Two clips, encoded with the station's own standard preset (CRF 23, keyframe every second):
 * - demo: the demo camera (testsrc2 with the clock overlay), what a new station shows;
 * - noisy: the same with strong per-frame noise, a stand-in for a dim bench and a cheap webcam's
 *   sensor noise: the hardest case for PNG, which cannot compress noise.
 * Each is drawn with 3 scans at the default interval (5 s: 16 tiles), and with 8 scans at 2 s, which
 * the 24-tile cap widens to 4 s: the largest sheet there is (24 tiles). The baseline printed beside each size is the same sheet drawn with no
 * budget (each ladder's first step: a 256-colour PNG, JPEG at q 3): what the budget costs in quality.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHEET, type SheetInput, renderEvidenceSheet } from '../electron/station/export/evidence-sheet.js';
import { locateFfmpeg } from '../electron/station/ffmpeg/locate.js';
import { ENCODER_PRESETS } from '../electron/station/recorder/ffmpeg-command.js';
import { overlayFont } from '../electron/station/resources.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECONDS = 60;
const CLIP_START_MS = Date.UTC(2025, 5, 15, 7, 0, 0);
/** Waybill first, order numbers as items go in, a second waybill near the end; none on an interval frame. */
const SCANS = [1.2, 58.1, 30.1, 9.7, 17.3, 25.9, 41.3, 49.7].map((s, i) => ({
  atMs: CLIP_START_MS + s * 1000,
  code: i === 0 ? 'SF1234567890123' : i === 1 ? 'JD0012345678901' : `260101-12345678901234${i}`,
  kind: i < 2 ? 'waybill' : 'order',
}));

function ffmpeg(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { maxBuffer: 16 << 20 }, (err, _o, stderr) => (err ? reject(new Error(String(stderr))) : resolve())),
  );
}

async function makeClip(bin: string, file: string, noise: boolean): Promise<void> {
  const font = overlayFont().replace(/\\/g, '/').replace(/:/g, '\\:');
  const filters = [
    `drawtext=fontfile='${font}':text='%{pts\\:hms}':x=16:y=16:fontsize=33:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=8`,
    ...(noise ? ['noise=alls=8:allf=t'] : []),
  ].join(',');
  const enc = ENCODER_PRESETS.standard;
  await ffmpeg(bin, [
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-t', String(SECONDS), '-vf', filters,
    '-c:v', enc.codec, ...enc.options, '-pix_fmt', 'yuv420p', '-bf', '0', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0',
    '-movflags', '+faststart', file,
  ]);
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const { path: bin, versionLine } = await locateFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-sheet-'));
  try {
    const cases: Array<Record<string, unknown>> = [];
    let meets = true;
    for (const clipKind of ['demo', 'noisy'] as const) {
      const clip = join(dir, `${clipKind}.mp4`);
      await makeClip(bin, clip, clipKind === 'noisy');
      for (const { intervalSeconds, scanCount } of [{ intervalSeconds: 5, scanCount: 3 }, { intervalSeconds: 2, scanCount: 8 }]) {
        const out = join(dir, `${clipKind}-${intervalSeconds}`);
        const t = performance.now();
        const sheetInput: SheetInput = {
          ffmpegPath: bin,
          videoPath: clip,
          clipStartMs: CLIP_START_MS,
          intervalSeconds,
          scans: SCANS.slice(0, scanCount),
          title: {
            codes: ['SF1234567890123', '260101-123456789012345', 'JD0012345678901'],
            station: '一号打包台 Bench 1',
            mode: 'pack',
            startIso: new Date(CLIP_START_MS).toISOString(),
            endIso: new Date(CLIP_START_MS + SECONDS * 1000).toISOString(),
            clipId: 1,
          },
          hashes: { clipSha256: '0123456789abcdef'.repeat(4), exportSha256: 'fedcba9876543210'.repeat(4), keyFingerprint: 'SHA256:Xy3d9kq0ZrT2mWq8Yb1cV7nH4uJ6pL5sA0eF2gR9tKw' },
          locale: 'zh-CN',
        };
        const r = await renderEvidenceSheet(sheetInput, out);
        const ms = Math.round(performance.now() - t);
        const unbudgeted = await renderEvidenceSheet({ ...sheetInput, maxImageBytes: Infinity }, join(dir, 'baseline'));
        const row = {
          clip: clipKind,
          intervalSeconds,
          scans: scanCount,
          tiles: r.frames.length,
          sheetPx: `${r.layout.width}x${r.layout.height}`,
          pngBytes: r.bytes.png,
          pngColors: r.encoding.pngColors,
          jpgBytes: r.bytes.jpg,
          jpegQuality: r.encoding.jpegQuality,
          pdfBytes: r.bytes.pdf,
          baselineUnbudgeted: { pngBytes: unbudgeted.bytes.png, jpgBytes: unbudgeted.bytes.jpg },
          renderMs: ms,
          withinBudget: r.encoding.withinBudget,
        };
        meets &&= r.encoding.withinBudget;
        cases.push(row);
        console.log(
          `sheet ${clipKind} every ${intervalSeconds} s, ${scanCount} scans: ${row.tiles} tiles ${row.sheetPx}: PNG ${kb(row.pngBytes)} (${row.pngColors} colours; unbudgeted ${kb(unbudgeted.bytes.png)}), ` +
            `JPEG ${kb(row.jpgBytes)} (q ${row.jpegQuality}; unbudgeted ${kb(unbudgeted.bytes.jpg)}), PDF ${kb(row.pdfBytes)}, ${ms} ms`,
        );
      }
    }
    const result = {
      benchmark: 'evidence-sheet',
      description: `Key-frame evidence sheet of a ${SECONDS} s 1280x720@30 clip with 3 or 8 scans; budget ${SHEET.maxImageBytes} bytes per picture`,
      date: new Date().toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, node: process.version, ffmpeg: versionLine },
      budgetBytes: SHEET.maxImageBytes,
      cases,
      meetsTarget: meets,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'evidence-sheet.json'), `${JSON.stringify(result, null, 2)}\n`);
    return { meetsTarget: meets, failed: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (n: number): string => `${Math.round(n / 1024)} KB`;
