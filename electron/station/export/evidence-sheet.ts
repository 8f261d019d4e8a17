/**
 * The key-frame evidence sheet: one picture (PNG, plus a JPEG twin) and a PDF that show a clip's key
 * frames with their wall-clock times, the codes, the station, and the hashes a reviewer compares. It is
 * for appeal forms that take images only (eBay payment disputes: 1.75 MB of images in all).
 *
 * Everything is drawn by ffmpeg, so no native image library ships with the app and Chinese text
 * renders with the font the overlay already uses. Three steps, in a hidden work folder:
 *
 * 1. One frame per tile, scaled, as raw PPM (at most two ffmpeg at a time):
 *      ffmpeg -threads 1 -ss 4.991667 -i clip.mp4 -frames:v 1
 *        -vf scale=384:216:force_original_aspect_ratio=decrease:flags=area,format=rgb24,pad=384:216:(ow-iw)/2:(oh-ih)/2:black
 *        -c:v ppm -f image2 tile-3.ppm
 * 2. The sheet, full colour:
 *      ffmpeg -i tile-0.ppm … -i tile-15.ppm -filter_complex_script graph.txt -map [sheet] -frames:v 1 -c:v ppm sheet.ppm
 *    graph.txt: per tile, a caption strip and its two lines, then the grid and the header:
 *      [0:v]format=rgb24,pad=384:262:0:0:color=0xF0F0F0,drawtext=fontfile=…:textfile=…/text-0.txt:expansion=none:
 *           fontsize=15:fontcolor=black:x=6:y=235-max_glyph_a,drawtext=…,pad=392:270:0:0:color=white[t0]; …
 *      color=c=white:s=392x270:r=1,trim=end_frame=1,format=rgb24[t15];              (fills the last row)
 *      [t0]…[t15]xstack=inputs=16:layout=0_0|392_0|784_0|1176_0|0_270|…[grid];
 *      [grid]pad=1600:H:20:Y:color=white,drawtext=…(the title, then each header row's label and value)[sheet]
 * 3. The PNG (palette) and the JPEG, each stepped down until it fits the byte budget (encodePng,
 *    encodeJpeg), then the PDF around the JPEG (sheet-pdf.ts).
 *
 * Why:
 * - `-ss` before `-i` is exact when decoding (ffmpeg decodes from the keyframe before and drops what
 *   precedes the target). We seek a quarter frame before the chosen frame's own time, so the tile is
 *   that frame, and it is captioned with that frame's time, not the time asked for.
 * - One ffmpeg per tile, not one with every frame as an input: 24 open 4K decoders peaked at 1 GB.
 * - Every text is a `textfile` with `expansion=none`: scanned codes may contain `%`, `:` or quotes,
 *   which the filter-graph syntax would otherwise interpret (as in recorder/overlay.ts).
 * - One `drawtext` per line, placed by its baseline (`y=B-max_glyph_a`): drawtext's own line height
 *   depends on the glyphs in its text, so a label and its value as two multi-line blocks drift apart.
 *
 * Files are written in the work folder (`.<baseName>.partial` in `outDir`) and renamed into place
 * when complete, so a crash never leaves a half sheet under the final names. One render per
 * `outDir` + `baseName` at a time.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegError, runFfmpeg as runToEnd } from '../ffmpeg/runner.js';
import { UnreadableSegmentError, probePackets } from '../recorder/probe.js';
import { type PlannedTile, type SheetScan, planFrames } from './sheet-frames.js';
import { type HeaderRow, composeTileSheet } from './sheet-compose.js';
import { writeSheetPdf } from './sheet-pdf.js';
import { LABELS, type SheetFacts, type SheetLabels, type SheetLocale, fitLine, groupHex, oneLine, sheetRows, textEms, wallClockLabel, wrapWords } from './sheet-text.js';
import { LocalizedError, msg } from '../localized-error.js';

export interface SheetInput {
  ffmpegPath: string;
  /** The clip MP4; its first shown frame is the clip start. */
  videoPath: string;
  /** Wall-clock epoch ms of the video's t=0. */
  clipStartMs: number;
  /** Explicit frame times (epoch ms). Default: every `intervalSeconds` and the last frame. Scan moments are always added. */
  frameTimesMs?: number[] | undefined;
  intervalSeconds?: number;
  scans: SheetScan[];
  title: { codes: string[]; station: string; mode: string; startIso: string; endIso: string; clipId: number };
  hashes: { clipSha256: string; exportSha256?: string; keyFingerprint: string };
  /** The same parcel's clips in other modes, named in the header. */
  related?: SheetFacts['related'];
  /** The imported order the clip packed and its packer, named in the header with the order's items. */
  order?: SheetFacts['order'];
  packer?: SheetFacts['packer'];
  locale?: SheetLocale;
  /** Byte budget for each of the PNG and the JPEG (default SHEET.maxImageBytes). */
  maxImageBytes?: number;
  /**
   * A clip filmed by several cameras: the main one (videoPath's) and the others, each with its clip MP4
   * (t=0 at the clip start, as videoPath). Each group of moments is then a row of the main camera's
   * frames and below it a row per other camera at the same moments, every tile naming its camera.
   */
  mainCamera?: { id: string; name: string };
  /** `startOffsetMs`: how long after the clip start the camera's video begins (a camera that started recording late). */
  cameras?: ReadonlyArray<{ id: string; name: string; videoPath: string; startOffsetMs?: number }>;
  /** Every camera's recording gaps within the clip, named on the sheet (a camera's frames there are frozen or missing). */
  gaps?: SheetFacts['gaps'];
}

export interface SheetFrame {
  /** The frame's own wall-clock time (epoch ms), which can be up to one frame before the moment asked for. */
  atMs: number;
  /** The caption as printed under the tile, its two lines joined by " · ". */
  label: string;
  kind: 'interval' | 'scan';
  /** Codes scanned at this frame (empty for interval frames). */
  codes: string[];
  /** The camera it is from, on a sheet of several cameras. */
  camera?: string;
}

export interface SheetResult {
  png: string;
  jpg: string;
  pdf: string;
  /** The tiles, in the order they appear (left to right, top to bottom). */
  frames: SheetFrame[];
  /** Frame times moved onto the video, left out, or thinned; also printed on the sheet. */
  notes: string[];
  bytes: { png: number; jpg: number; pdf: number };
  /** The step of each ladder that fit the budget; withinBudget is false when even the smallest did not. */
  encoding: { pngColors: number; jpegQuality: number; withinBudget: boolean };
  /** Pixel size of the PNG/JPEG and of one tile (picture + caption), and where the grid starts. */
  layout: SheetLayout;
}

export interface SheetLayout {
  width: number;
  height: number;
  columns: number;
  tileWidth: number;
  /** The frame picture's height inside a tile (the caption strip is below it). */
  pictureHeight: number;
  tileHeight: number;
  gap: number;
  gridX: number;
  gridY: number;
}

/** A sheet that cannot be made: a catalogue message when a person can meet it, English for a caller's mistake (a bad name or interval). */
export class EvidenceSheetError extends LocalizedError {
  override name = 'EvidenceSheetError';
}

/**
 * Sizes chosen for the eBay budget (1.75 MB for all images): 4 columns of 384-px frames make a
 * 1600-px-wide sheet, legible on screen and in print; the byte budget below then decides the PNG's
 * palette and the JPEG's quality (sizes measured in bench/results/evidence-sheet.json).
 */
export const SHEET = {
  columns: 4,
  tileWidth: 384,
  gap: 8,
  margin: 20,
  captionFont: 15,
  captionHeight: 46,
  titleFont: 28,
  headerFont: 20,
  headerLine: 30,
  /** 24 tiles = 6 rows: the sheet stays a page, and the PNG stays small. */
  maxTiles: 24,
  defaultIntervalSeconds: 5,
  /** A scan up to this far outside the footage (clock jitter at a clip's edges) still gets a tile. */
  clampToleranceMs: 2_000,
  /**
   * Each picture (PNG, JPEG) is made to fit this many bytes by stepping down its ladder below: eBay
   * takes 1.75 MB of images in all, so the sheet leaves room for a photo or two beside it.
   */
  maxImageBytes: 1_000_000,
  /** Notes beyond this many rows are summarised: the frames, not the notes, are the sheet. */
  maxNoteRows: 3,
  maxCodeRows: 3,
} as const;

const CAPTION_BG = { interval: '0xF0F0F0', scan: '0xFFD54F', camera: '0xD6EAF8' } as const;
/** PNG palette sizes, best first (see encodePng). */
export const PNG_LADDER = [256, 128, 64, 32] as const;
const PNG_DITHER = 'bayer:bayer_scale=3';
/** JPEG quantiser (-q:v: 2 is best, 31 worst), best first. */
export const JPEG_LADDER = [3, 5, 7, 10] as const;
/** Two decoders at a time: the machine has two cores and the camera's encoder needs its share. */
const TILE_EXTRACT_CONCURRENCY = 2;
const FFMPEG_TIMEOUT_MS = 180_000;

export async function renderEvidenceSheet(input: SheetInput, outDir: string, baseName = 'evidence-sheet'): Promise<SheetResult> {
  if (!/^[\w.-]+$/.test(baseName) || baseName.startsWith('.')) {
    throw new EvidenceSheetError(`"${baseName}" cannot name a sheet file: use letters, digits, dot, dash or underscore.`);
  }
  const intervalSeconds = input.intervalSeconds ?? SHEET.defaultIntervalSeconds;
  if (!input.frameTimesMs && !(Number.isFinite(intervalSeconds) && intervalSeconds > 0)) {
    throw new EvidenceSheetError(`The key-frame interval must be a positive number of seconds, not ${intervalSeconds}.`);
  }
  if (!Number.isFinite(input.clipStartMs)) throw new EvidenceSheetError(`The clip start time must be a number of milliseconds, not ${input.clipStartMs}.`);
  const locale = input.locale ?? 'en';
  const L = LABELS[locale];

  let timeline;
  try {
    timeline = await probePackets(input.ffmpegPath, input.videoPath);
  } catch (err) {
    const why = err instanceof UnreadableSegmentError ? err.message.replace(/^[^:]*: /, '') : (err as Error).message;
    throw new EvidenceSheetError(msg('sheet.videoUnreadable', { file: input.videoPath, why }));
  }
  // Frames before 0 are the lead-in the MP4's edit list hides (see clip-writer.ts): never shown.
  const framePts = timeline.pts.filter((p) => p >= -1e-6).sort((a, b) => a - b);
  if (!framePts.length) throw new EvidenceSheetError(msg('sheet.videoNoFrames', { file: input.videoPath }));

  const others = input.cameras ?? [];
  const multi = others.length > 0;
  const mainCamera = input.mainCamera ?? { id: 'main', name: 'main' };
  const plan = planFrames({
    timeline: { framePts, frameSec: timeline.frameSec },
    clipStartMs: input.clipStartMs,
    frameTimesMs: input.frameTimesMs,
    intervalSeconds,
    scans: input.scans,
    // Every camera's frames share the tiles: the sheet stays a page.
    maxTiles: multi ? Math.max(1, Math.floor(SHEET.maxTiles / (others.length + 1))) : SHEET.maxTiles,
    clampToleranceMs: SHEET.clampToleranceMs,
    locale,
  });
  if (!plan.tiles.length) throw new EvidenceSheetError(msg('sheet.noFrameInClip', { file: input.videoPath }));

  // The other cameras' frames shown at each tile's moment (the last at or before it, as a player shows).
  const otherFrames = await Promise.all(
    others.map(async (cam) => {
      let t;
      try {
        t = await probePackets(input.ffmpegPath, cam.videoPath);
      } catch (err) {
        const why = err instanceof UnreadableSegmentError ? err.message.replace(/^[^:]*: /, '') : (err as Error).message;
        throw new EvidenceSheetError(`The video of camera ${cam.id} (${cam.videoPath}) could not be read (${why}).`);
      }
      const pts = t.pts.filter((p) => p >= -1e-6).sort((a, b) => a - b);
      if (!pts.length) throw new EvidenceSheetError(`The video of camera ${cam.id} (${cam.videoPath}) has no frames to show.`);
      const startMs = input.clipStartMs + (cam.startOffsetMs ?? 0);
      return { cam, startMs, frameSec: t.frameSec, seekBase: pts[0]!, pts: plan.tiles.map((tile) => frameAtOrBefore(pts, (tile.atMs - startMs) / 1000)) };
    }),
  );

  // The grid, row by row: a group of moments for the main camera, then the same moments for each
  // other camera; a short last group leaves its rows' ends empty.
  type Cell = { camera: null; tile: number } | { camera: number; tile: number } | null;
  const cells: Cell[] = [];
  for (let b = 0; b < plan.tiles.length; b += SHEET.columns) {
    const group = plan.tiles.slice(b, b + SHEET.columns).map((_, k) => b + k);
    const fill = multi ? SHEET.columns - group.length : 0;
    cells.push(...group.map((tile) => ({ camera: null, tile })), ...Array<Cell>(fill).fill(null));
    for (const [c] of others.entries()) cells.push(...group.map((tile) => ({ camera: c, tile })), ...Array<Cell>(fill).fill(null));
  }

  const captionOf = (cell: NonNullable<Cell>): { background: string; line1: string; line2: string } => {
    const t = plan.tiles[cell.tile]!;
    const maxEms = (SHEET.tileWidth - 12) / SHEET.captionFont;
    if (cell.camera === null) {
      const c = caption(t, L.scan);
      // The main camera's interval frames name it too; a scan tile keeps its codes, which matter more.
      const line2 = multi && t.kind === 'interval' ? fitLine(`${L.camera}: ${oneLine(mainCamera.name)} · ${c.line2}`, maxEms) : c.line2;
      return { background: CAPTION_BG[t.kind], line1: c.line1, line2 };
    }
    const o = otherFrames[cell.camera]!;
    const pts = o.pts[cell.tile]!;
    return { background: CAPTION_BG.camera, line1: wallClockLabel(o.startMs + pts * 1000), line2: fitLine(`${L.camera}: ${oneLine(o.cam.name)} · +${pts.toFixed(3)} s`, maxEms) };
  };
  const captions = cells.map((cell) => (cell ? captionOf(cell) : null));
  const { title, hashes } = input;
  const facts: SheetFacts = {
    ...title,
    durationSec: framePts.at(-1)! + timeline.frameSec,
    size: timeline.width && timeline.height ? `${timeline.width}×${timeline.height}` : null,
    clipSha256: hashes.clipSha256,
    exportSha256: hashes.exportSha256,
    keyFingerprint: hashes.keyFingerprint,
    frames: { intervalSeconds: plan.intervalSeconds, tiles: plan.tiles.length, scans: plan.tiles.filter((t) => t.kind === 'scan').length },
    notes: plan.notes,
    related: input.related,
    order: input.order,
    packer: input.packer,
    cameras: multi ? [{ id: mainCamera.id, name: mainCamera.name, main: true }, ...others.map((c) => ({ id: c.id, name: c.name, main: false }))] : undefined,
    gaps: input.gaps,
  };
  const header = headerRows(L, facts);
  const headerHeight = SHEET.margin + SHEET.titleFont + 18 + header.length * SHEET.headerLine + 14;
  const layout = sheetLayout(cells.length, timeline.width, timeline.height, headerHeight);

  await mkdir(outDir, { recursive: true });
  const work = join(outDir, `.${baseName}.partial`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work);
  try {
    const seekBase = framePts[0]!;
    const mainTiles = await extractTiles(input.ffmpegPath, input.videoPath, work, 'tile', layout, plan.tiles.map((t) => Math.max(0, t.pts - seekBase - timeline.frameSec / 4)));
    const otherTiles: string[][] = [];
    for (const [c, o] of otherFrames.entries()) {
      otherTiles.push(await extractTiles(input.ffmpegPath, others[c]!.videoPath, work, `camera-${c}`, layout, o.pts.map((p) => Math.max(0, p - o.seekBase - o.frameSec / 4))));
    }
    const tiles = cells.map((cell) => (cell === null ? null : cell.camera === null ? mainTiles[cell.tile]! : otherTiles[cell.camera]![cell.tile]!));
    const sheet = await composeTileSheet(
      input.ffmpegPath,
      work,
      {
        tiles,
        captions,
        tile: { width: layout.tileWidth, pictureHeight: layout.pictureHeight, height: layout.tileHeight },
        captionBaselines: [19, 39],
        columns: layout.columns,
        gap: layout.gap,
        canvas: { width: layout.width, height: layout.height, gridX: layout.gridX, gridY: layout.gridY },
        title: L.title,
        header,
        fonts: { title: SHEET.titleFont, header: SHEET.headerFont, headerLine: SHEET.headerLine, caption: SHEET.captionFont },
        margin: SHEET.margin,
      },
      `the evidence sheet for ${input.videoPath} could not be drawn`,
    );

    const budget = input.maxImageBytes ?? SHEET.maxImageBytes;
    const png = await encodeWithinBudget(PNG_LADDER, budget, (colors) => encodePng(input.ffmpegPath, sheet, join(work, `${baseName}.png`), colors));
    const jpg = await encodeWithinBudget(JPEG_LADDER, budget, (q) => encodeJpeg(input.ffmpegPath, sheet, join(work, `${baseName}.jpg`), q));

    const pdf = join(work, `${baseName}.pdf`);
    await writeSheetPdf(pdf, {
      jpegFile: jpg.file,
      imageWidth: layout.width,
      imageHeight: layout.height,
      locale,
      facts,
      frames: plan.tiles.map((t) => ({ atMs: t.atMs, relSec: t.pts, kind: t.kind, codes: t.scans.map((s) => s.code) })),
    });

    const final = { png: join(outDir, `${baseName}.png`), jpg: join(outDir, `${baseName}.jpg`), pdf: join(outDir, `${baseName}.pdf`) };
    await rename(png.file, final.png);
    await rename(jpg.file, final.jpg);
    await rename(pdf, final.pdf);
    return {
      ...final,
      frames: cells.flatMap((cell, i) => {
        if (cell === null) return [];
        const label = `${captions[i]!.line1} · ${captions[i]!.line2}`;
        if (cell.camera === null) {
          const t = plan.tiles[cell.tile]!;
          return [{ atMs: t.atMs, label, kind: t.kind, codes: t.scans.map((s) => s.code), ...(multi ? { camera: mainCamera.id } : {}) }];
        }
        const o = otherFrames[cell.camera]!;
        return [{ atMs: Math.round(o.startMs + o.pts[cell.tile]! * 1000), label, kind: 'interval' as const, codes: [], camera: o.cam.id }];
      }),
      notes: plan.notes,
      bytes: { png: png.bytes, jpg: jpg.bytes, pdf: (await stat(final.pdf)).size },
      encoding: { pngColors: png.step, jpegQuality: jpg.step, withinBudget: png.bytes <= budget && jpg.bytes <= budget },
      layout,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Each chosen frame, scaled into its tile (letterboxed if the camera's shape differs), as a raw PPM.
 * One ffmpeg per frame, at most two at a time: a single ffmpeg with 24 open 4K decoders peaked at
 * 1 GB here, a station PC that is also recording cannot spare that.
 */
async function extractTiles(ffmpegPath: string, videoPath: string, work: string, prefix: string, layout: SheetLayout, seeks: number[]): Promise<string[]> {
  const { tileWidth: w, pictureHeight: h } = layout;
  return extractFrames(ffmpegPath, videoPath, seeks, (i) => join(work, `${prefix}-${i}.ppm`), `scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=area,format=rgb24,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black`, ['-c:v', 'ppm']);
}

/**
 * Frames of the station's own clip video at `seeks` (seconds into the file, a quarter frame before
 * the frame wanted: see the top of this file), each through `filter` and written with `codec` to
 * `file(i)`; at most two ffmpeg at a time. Also used by the claim sheet and the still frames.
 */
export async function extractFrames(ffmpegPath: string, videoPath: string, seeks: readonly number[], file: (i: number) => string, filter: string, codec: string[]): Promise<string[]> {
  const files = seeks.map((_, i) => file(i));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < seeks.length; i = next++) {
      await runFfmpeg(
        ffmpegPath,
        // -ss before -i seeks to the keyframe before, then decodes and drops frames up to the target: exact.
        ['-threads', '1', '-ss', seeks[i]!.toFixed(6), '-i', videoPath, '-frames:v', '1', '-vf', filter, ...codec, '-f', 'image2', files[i]!],
        `the frame at ${seeks[i]!.toFixed(3)} s of ${videoPath} could not be read`,
      );
      // ffmpeg exits 0 having written nothing when the seek lands past the last frame.
      if (!(await stat(files[i]!).catch(() => null))?.size) throw new EvidenceSheetError(`The clip video ${videoPath} has no frame at ${seeks[i]!.toFixed(3)} s.`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TILE_EXTRACT_CONCURRENCY, seeks.length) }, worker));
  return files;
}

/**
 * The PNG: quantised to a palette, because a full-colour PNG of camera frames costs 1-2 bytes a pixel
 * (19 tiles of noisy 720p footage, 1600x1742: 1.9 MB; of a detailed real photo: 4.2 MB). Text stays
 * crisp at any palette size; ordered dithering keeps gradients (cardboard, walls) from banding, and
 * costs no more than error diffusion.
 */
export async function encodePng(ffmpegPath: string, sheet: string, out: string, colors: number): Promise<string> {
  await runFfmpeg(
    ffmpegPath,
    ['-i', sheet, '-filter_complex', `split[a][b];[a]palettegen=max_colors=${colors}:reserve_transparent=0[p];[b][p]paletteuse=dither=${PNG_DITHER}`,
      '-frames:v', '1', '-c:v', 'png', '-compression_level', '9', '-f', 'image2', out],
    `the evidence sheet's PNG could not be written`,
  );
  return out;
}

/** The JPEG, with full-resolution chroma (yuvj444p) so coloured captions and text stay sharp. */
export async function encodeJpeg(ffmpegPath: string, sheet: string, out: string, quality: number): Promise<string> {
  await runFfmpeg(
    ffmpegPath,
    ['-i', sheet, '-vf', 'format=yuvj444p', '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', String(quality), '-f', 'image2', out],
    `the evidence sheet's JPEG could not be written`,
  );
  return out;
}

/** The first step of the ladder (best first) whose file fits the budget, else the last (smallest) one. */
export async function encodeWithinBudget(ladder: readonly number[], budget: number, encode: (step: number) => Promise<string>): Promise<{ file: string; bytes: number; step: number }> {
  let result = { file: '', bytes: Infinity, step: ladder[0]! };
  for (const step of ladder) {
    const file = await encode(step);
    result = { file, bytes: (await stat(file)).size, step };
    if (result.bytes <= budget) break;
  }
  return result;
}

/** Where everything goes; `headerHeight` pushes the grid down (0 = the grid alone). */
export function sheetLayout(tiles: number, videoWidth: number | null, videoHeight: number | null, headerHeight: number): SheetLayout {
  const { columns, tileWidth, gap, margin, captionHeight } = SHEET;
  // Keep the camera's shape, but no taller than square: a portrait phone camera would double the sheet.
  const aspect = videoWidth && videoHeight ? videoHeight / videoWidth : 9 / 16;
  const pictureHeight = Math.min(tileWidth, 2 * Math.round((tileWidth * aspect) / 2));
  const tileHeight = pictureHeight + captionHeight;
  const rows = Math.ceil(tiles / columns);
  return {
    width: 2 * margin + columns * tileWidth + (columns - 1) * gap,
    height: headerHeight + rows * tileHeight + (rows - 1) * gap + margin,
    columns,
    tileWidth,
    pictureHeight,
    tileHeight,
    gap,
    gridX: margin,
    gridY: headerHeight,
  };
}

/** The presentation time of the last frame at or before `sec` (the first frame for a time before it). */
function frameAtOrBefore(pts: readonly number[], sec: number): number {
  let found = pts[0]!;
  for (const p of pts) {
    if (p > sec + 1e-6) break;
    found = p;
  }
  return found;
}

function caption(t: PlannedTile, scanWord: string): { line1: string; line2: string } {
  const maxEms = (SHEET.tileWidth - 12) / SHEET.captionFont;
  const rel = `+${t.pts.toFixed(3)} s`;
  if (t.kind === 'interval') return { line1: wallClockLabel(t.atMs), line2: rel };
  // The code matters more than the offset: the offset goes only where both fit.
  const scanned = `${scanWord}: ${t.scans.map((s) => oneLine(s.code)).join(', ')}`;
  const both = `${scanned} · ${rel}`;
  return { line1: wallClockLabel(t.atMs), line2: textEms(both) <= maxEms ? both : fitLine(scanned, maxEms) };
}

/** The shared rows (sheet-text.ts) fitted to the picture's width: drawtext neither wraps nor measures. */
function headerRows(L: SheetLabels, facts: SheetFacts): HeaderRow[] {
  const all = sheetRows(L, facts);
  // Every label counts, present or not: the values start at the same place on every sheet.
  const labelEms = Math.max(...[L.codes, L.station, L.mode, L.recorded, L.clip, L.clipSha, L.exportSha, L.key, L.frames, L.note, L.sameParcel, L.sameParcelSha, L.order, L.item, L.packer, L.camera, L.gap].map(textEms));
  const valueEms = (SHEET.columns * SHEET.tileWidth + (SHEET.columns - 1) * SHEET.gap) / SHEET.headerFont - labelEms - 1;
  const rows: HeaderRow[] = [];
  const add = (label: string, lines: string[]): void => lines.forEach((value, i) => rows.push({ label: i ? '' : label, value }));
  for (const r of all) {
    // Digests are never shortened: they are what a reviewer compares (64 hex digits fit with room to spare).
    if (r.kind === 'codes') add(r.label, wrapWords(r.value, valueEms, SHEET.maxCodeRows));
    else if (r.kind === 'hash') add(r.label, [r.label === L.key || r.label === L.sameParcelSha ? fitLine(groupHex(r.value), valueEms) : groupHex(r.value)]);
    else if (r.kind === 'text') add(r.label, [fitLine(r.value, valueEms)]);
  }
  const notes = all.filter((r) => r.kind === 'note').map((r) => r.value);
  const shown = notes.length > SHEET.maxNoteRows ? [...notes.slice(0, SHEET.maxNoteRows - 1), L.moreNotes(notes.length - SHEET.maxNoteRows + 1)] : notes;
  add(L.note, shown.map((n) => fitLine(n, valueEms)));
  return rows;
}

/** One sheet step's ffmpeg; its failure names the step (`what`) and what ffmpeg said. */
export async function runFfmpeg(bin: string, args: string[], what: string): Promise<void> {
  try {
    await runToEnd(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { maxStdoutBytes: 16 << 20, timeoutMs: FFMPEG_TIMEOUT_MS });
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    throw new EvidenceSheetError(`${what[0]!.toUpperCase()}${what.slice(1)} (ffmpeg: ${err.said || err.message}).`);
  }
}
