/**
 * The claim sheet: one page per buyer photo that sets the photo beside the packing frames the station
 * matched to it, with the photo's SHA-256 and what the station read in the file. A PNG (for forms that
 * take pictures) and a one-page PDF around the same picture, whose header is real, selectable text.
 *
 * Made the way the evidence sheet is (evidence-sheet.ts): frames cut from the station's own clip MP4
 * with the exact-seek ffmpeg call, tiles and text drawn by ffmpeg with the shipped font through text
 * files (`expansion=none`), the PDF by pdf-lib with the same embedded font subset. The burned-in
 * overlay (time, codes) is in the frames already.
 *
 * The buyer's file itself never reaches ffmpeg (the bundled 2018 build must not decode hostile
 * input): the picture of the photo is the station's preview, a baseline JPEG that sharp wrote in a
 * sandboxed child process when the claim was added (photo-decode-child.ts; HEIC through libheif's wasm
 * build). A photo without one (it did not decode) gets a plain tile saying so.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClaimFile } from '../../../shared/api.js';
import { UnreadableSegmentError, probePackets } from '../recorder/probe.js';
import { CLAIM_LABELS, type ClaimSheetFacts, claimSheetRows } from './claim-sheet-text.js';
import { writeClaimSheetPdf } from './claim-sheet-pdf.js';
import { EvidenceSheetError, JPEG_LADDER, PNG_LADDER, encodeJpeg, encodePng, encodeWithinBudget, extractFrames, runFfmpeg } from './evidence-sheet.js';
import { type HeaderRow, composeTileSheet } from './sheet-compose.js';
import { planFrames } from './sheet-frames.js';
import { fitLine, groupHex, textEms, wallClockLabel, wrapWords, type SheetLocale } from './sheet-text.js';
import { msg } from '../localized-error.js';

export interface ClaimSheetInput {
  ffmpegPath: string;
  /** The clip MP4 (the station's own recording). */
  videoPath: string;
  clipStartMs: number;
  facts: Omit<ClaimSheetFacts, 'matches'>;
  /** The station's preview JPEG of the photo (null: none, the photo did not decode). */
  previewFile: string | null;
  format: string;
  matches: ClaimFile['matches'];
  locale: SheetLocale;
  maxImageBytes?: number;
}

export interface ClaimSheetFrame {
  /** The shown frame's own wall-clock time and its offset into the clip. */
  atMs: number;
  relSec: number;
  score: number;
}

export interface ClaimSheetResult {
  png: string;
  pdf: string;
  frames: ClaimSheetFrame[];
}

/** Two columns of 776-px cells: the photo and the best frame side by side, the next two below. */
export const CLAIM_SHEET = {
  width: 1600,
  margin: 20,
  gap: 8,
  cellWidth: 776,
  pictureHeight: 436,
  captionHeight: 46,
  captionFont: 17,
  titleFont: 28,
  headerFont: 20,
  headerLine: 30,
  maxFindingRows: 8,
  maxImageBytes: 1_000_000,
  /** A matched moment this far outside the video (it never should be) is moved onto its edge. */
  clampToleranceMs: 2_000,
} as const;

const CAPTION_BG = { photo: '0xBBDEFB', frame: '0xF0F0F0' } as const;

export async function renderClaimSheet(input: ClaimSheetInput, outDir: string, baseName: string): Promise<ClaimSheetResult> {
  if (!/^[\w.-]+$/.test(baseName) || baseName.startsWith('.')) throw new EvidenceSheetError(`"${baseName}" cannot name a claim sheet file.`);
  const L = CLAIM_LABELS[input.locale];
  let timeline;
  try {
    timeline = await probePackets(input.ffmpegPath, input.videoPath);
  } catch (err) {
    const why = err instanceof UnreadableSegmentError ? err.message.replace(/^[^:]*: /, '') : (err as Error).message;
    throw new EvidenceSheetError(msg('sheet.videoUnreadable', { file: input.videoPath, why }));
  }
  const framePts = timeline.pts.filter((p) => p >= -1e-6).sort((a, b) => a - b);
  if (!framePts.length) throw new EvidenceSheetError(msg('sheet.videoNoFrames', { file: input.videoPath }));

  // Each matched moment (best first) as the frame a player shows then, captioned with that frame's own time.
  const frames: Array<ClaimSheetFrame & { pts: number }> = [];
  for (const m of input.matches.slice(0, 3)) {
    const plan = planFrames({
      timeline: { framePts, frameSec: timeline.frameSec },
      clipStartMs: input.clipStartMs,
      frameTimesMs: [input.clipStartMs + m.atSeconds * 1000],
      intervalSeconds: 1,
      scans: [],
      maxTiles: 1,
      clampToleranceMs: CLAIM_SHEET.clampToleranceMs,
      locale: input.locale,
    });
    const t = plan.tiles[0];
    if (t) frames.push({ atMs: t.atMs, relSec: t.pts, pts: t.pts, score: m.score });
  }

  const facts: ClaimSheetFacts = { ...input.facts, matches: frames.length };
  const header = headerRows(facts, input.locale);
  const S = CLAIM_SHEET;
  const headerHeight = S.margin + S.titleFont + 18 + header.length * S.headerLine + 14;
  const cells = 1 + frames.length;
  const rows = Math.ceil(cells / 2);
  const tileHeight = S.pictureHeight + S.captionHeight;
  const height = headerHeight + rows * tileHeight + (rows - 1) * S.gap + S.margin;

  await mkdir(outDir, { recursive: true });
  const work = join(outDir, `.${baseName}.partial`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work);
  try {
    const { cellWidth: w, pictureHeight: h } = S;
    const fit = `scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=area,format=rgb24,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=0x303030`;
    const photoTile = join(work, 'photo.ppm');
    if (input.previewFile) {
      await runFfmpeg(input.ffmpegPath, ['-i', input.previewFile, '-frames:v', '1', '-vf', fit, '-c:v', 'ppm', '-f', 'image2', photoTile], `the preview of ${input.facts.photoFile} could not be drawn`);
    } else {
      await runFfmpeg(input.ffmpegPath, ['-f', 'lavfi', '-i', `color=c=0x303030:s=${w}x${h}:r=1`, '-frames:v', '1', '-vf', 'format=rgb24', '-c:v', 'ppm', '-f', 'image2', photoTile], 'a blank tile could not be drawn');
    }
    const seekBase = framePts[0]!;
    const frameTiles = await extractFrames(
      input.ffmpegPath,
      input.videoPath,
      frames.map((f) => Math.max(0, f.pts - seekBase - timeline.frameSec / 4)),
      (i) => join(work, `frame-${i}.ppm`),
      fit,
      ['-c:v', 'ppm'],
    );
    const maxEms = (w - 12) / S.captionFont;
    const captions = [
      { kind: 'photo' as const, line1: fitLine(input.previewFile ? L.buyerPhoto : L.noPreview(input.format), maxEms), line2: fitLine(input.facts.photoFile, maxEms) },
      ...frames.map((f, i) => ({ kind: 'frame' as const, line1: wallClockLabel(f.atMs), line2: fitLine(L.frameCaption(i + 1, f.relSec, f.score), maxEms) })),
    ];
    const picture = await composeTileSheet(
      input.ffmpegPath,
      work,
      {
        tiles: [photoTile, ...frameTiles],
        captions: captions.map((c) => ({ background: CAPTION_BG[c.kind], line1: c.line1, line2: c.line2 })),
        tile: { width: S.cellWidth, pictureHeight: S.pictureHeight, height: S.pictureHeight + S.captionHeight },
        captionBaselines: [20, 40],
        columns: 2,
        gap: S.gap,
        canvas: { width: S.width, height, gridX: S.margin, gridY: headerHeight },
        title: L.title,
        header,
        fonts: { title: S.titleFont, header: S.headerFont, headerLine: S.headerLine, caption: S.captionFont },
        margin: S.margin,
      },
      'the claim sheet could not be drawn',
    );

    const budget = input.maxImageBytes ?? S.maxImageBytes;
    const png = await encodeWithinBudget(PNG_LADDER, budget, (colors) => encodePng(input.ffmpegPath, picture, join(work, `${baseName}.png`), colors));
    const jpg = await encodeWithinBudget(JPEG_LADDER, budget, (q) => encodeJpeg(input.ffmpegPath, picture, join(work, `${baseName}.jpg`), q));
    const pdf = join(work, `${baseName}.pdf`);
    await writeClaimSheetPdf(pdf, {
      jpegFile: jpg.file,
      imageWidth: S.width,
      imageHeight: height,
      locale: input.locale,
      facts,
      frames: frames.map(({ atMs, relSec, score }) => ({ atMs, relSec, score })),
    });
    const final = { png: join(outDir, `${baseName}.png`), pdf: join(outDir, `${baseName}.pdf`) };
    await rename(png.file, final.png);
    await rename(pdf, final.pdf);
    if (!(await stat(final.pdf)).size) throw new EvidenceSheetError(msg('sheet.claimSheetEmpty', { file: final.pdf }));
    return { ...final, frames: frames.map(({ atMs, relSec, score }) => ({ atMs, relSec, score })) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The shared rows fitted to the picture's width (drawtext neither wraps nor measures): a finding takes up to two lines; findings beyond the limit are counted. */
function headerRows(facts: ClaimSheetFacts, locale: SheetLocale): HeaderRow[] {
  const L = CLAIM_LABELS[locale];
  const all = claimSheetRows(L, facts, locale);
  const labelEms = Math.max(...all.map((r) => textEms(r.label)));
  const valueEms = (CLAIM_SHEET.width - 2 * CLAIM_SHEET.margin) / CLAIM_SHEET.headerFont - labelEms - 1;
  const findings = all.filter((r) => r.kind === 'finding');
  const out: HeaderRow[] = [];
  let shown = 0;
  for (const r of all) {
    if (r.kind === 'finding') {
      shown++;
      if (shown > CLAIM_SHEET.maxFindingRows) continue;
      if (shown === CLAIM_SHEET.maxFindingRows && findings.length > shown) {
        out.push({ label: r.label, value: `+${findings.length - shown + 1} …` });
        continue;
      }
    }
    if (r.kind === 'finding') wrapWords(r.value, valueEms, 2).forEach((line, i) => out.push({ label: i ? '' : r.label, value: line }));
    else out.push({ label: r.label, value: r.kind === 'hash' ? groupHex(r.value) : fitLine(r.value, valueEms) });
  }
  return out;
}

