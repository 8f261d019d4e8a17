/**
 * The evidence sheet as a PDF (pdf-lib, pure JS): page 1 carries the header as real, selectable text
 * (a reviewer can copy a hash instead of retyping it) above the sheet picture; page 2 lists the key
 * frames as text.
 *
 * The text uses PDF standard fonts (Helvetica, Courier), which need no embedded font file but only
 * cover Latin text. Chinese (a station name, a code typed in Chinese) lives in the picture only,
 * where drawtext renders it with the bundled CJK font; in the text layer such characters print as
 * "?" with a pointer to the picture. Embedding the 5 MB CJK font would multiply the PDF's size.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument, type PDFFont, type PDFPage, PageSizes, StandardFonts, rgb } from 'pdf-lib';
import { wallClockLabel } from './sheet-frames.js';

export interface SheetPdfInput {
  /** The sheet picture (JPEG: pdf-lib embeds it as is, without re-encoding). */
  jpegFile: string;
  imageWidth: number;
  imageHeight: number;
  title: { codes: string[]; station: string; mode: string; startIso: string; endIso: string; clipId: number };
  hashes: { clipSha256: string; exportSha256?: string; keyFingerprint: string };
  frames: Array<{ atMs: number; relSec: number; kind: 'interval' | 'scan'; codes: string[] }>;
  notes: string[];
  keyFrames: string;
  createdAt?: Date;
}

const MARGIN = 40;
const LABEL_WIDTH = 110;
const SIZE = 9;
const LINE = 13;

export async function writeSheetPdf(file: string, input: SheetPdfInput): Promise<void> {
  const doc = await PDFDocument.create();
  const created = input.createdAt ?? new Date();
  const { title, hashes } = input;
  doc.setTitle(`PackWitness evidence sheet: clip #${title.clipId} (${title.codes.join(', ')})`);
  doc.setSubject(`Key frames of clip #${title.clipId} at station ${title.station}; clip SHA-256 ${hashes.clipSha256}`);
  doc.setKeywords([hashes.clipSha256, ...(hashes.exportSha256 ? [hashes.exportSha256] : []), hashes.keyFingerprint, ...title.codes]);
  doc.setCreator('PackWitness');
  doc.setProducer('PackWitness (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);

  const fonts = {
    text: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
  const page = doc.addPage(PageSizes.A4);
  const [pageW, pageH] = PageSizes.A4;
  const valueX = MARGIN + LABEL_WIDTH;
  const valueW = pageW - MARGIN - valueX;
  let y = pageH - MARGIN - 14;
  page.drawText('PackWitness evidence sheet', { x: MARGIN, y, size: 14, font: fonts.bold });
  y -= LINE * 2;

  const row = (label: string, value: string, font: PDFFont = fonts.text): void => {
    page.drawText(label, { x: MARGIN, y, size: SIZE, font: fonts.bold, color: rgb(0.3, 0.3, 0.3) });
    for (const line of wrap(encodable(value, font), font, valueW)) {
      page.drawText(line, { x: valueX, y, size: SIZE, font });
      y -= LINE;
    }
  };
  row('Codes', title.codes.join('   ') || '-');
  row('Station', title.station || '-');
  row('Mode', title.mode);
  row('Recorded (UTC)', `${title.startIso}  to  ${title.endIso}`);
  row('Recorded (station)', `${local(title.startIso)}  to  ${local(title.endIso)}`);
  row('Clip', `#${title.clipId}`);
  row('Clip SHA-256', hashes.clipSha256, fonts.mono);
  if (hashes.exportSha256) row('Export SHA-256', hashes.exportSha256, fonts.mono);
  row('Signing key', hashes.keyFingerprint, fonts.mono);
  row('Key frames', input.keyFrames);
  for (const note of input.notes) row('Note', note);
  row('Created', `${created.toISOString()} by PackWitness`);
  y -= LINE / 2;

  // The picture fills what is left of the page, keeping its shape; zooming in shows its full resolution.
  const image = await doc.embedJpg(await readFile(input.jpegFile));
  const boxW = pageW - 2 * MARGIN;
  const boxH = y - MARGIN;
  const scale = Math.min(boxW / input.imageWidth, boxH / input.imageHeight);
  const w = input.imageWidth * scale;
  const h = input.imageHeight * scale;
  page.drawImage(image, { x: MARGIN + (boxW - w) / 2, y: y - h, width: w, height: h });

  framesPage(doc.addPage(PageSizes.A4), input.frames, fonts);

  // No object streams: the text stays in plain page streams that simple tools (and our tests) can read.
  await writeFile(file, await doc.save({ useObjectStreams: false }));
}

function framesPage(page: PDFPage, frames: SheetPdfInput['frames'], fonts: { text: PDFFont; bold: PDFFont; mono: PDFFont }): void {
  const [, pageH] = PageSizes.A4;
  let y = pageH - MARGIN - 14;
  page.drawText('Key frames (left to right, top to bottom on the sheet)', { x: MARGIN, y, size: 12, font: fonts.bold });
  y -= LINE * 2;
  for (const [i, f] of frames.entries()) {
    if (y < MARGIN) break; // at most 24 tiles: 24 lines fit with room to spare
    const what = f.kind === 'scan' ? `scan: ${f.codes.join(', ')}` : '';
    const line = `${String(i + 1).padStart(2)}  ${wallClockLabel(f.atMs)}  +${f.relSec.toFixed(3)} s  ${what}`;
    page.drawText(encodable(line, fonts.mono), { x: MARGIN, y, size: SIZE, font: fonts.mono });
    y -= LINE;
  }
}

const charsets = new WeakMap<PDFFont, Set<number>>();

/** Standard fonts cover WinAnsi (Latin) only; anything else is shown in the picture. */
function encodable(s: string, font: PDFFont): string {
  let set = charsets.get(font);
  if (!set) charsets.set(font, (set = new Set(font.getCharacterSet())));
  const clean = s.replace(/[\p{Cc}\p{Cf}]/gu, ' ');
  let missing = false;
  let out = '';
  for (const ch of clean) {
    const ok = set.has(ch.codePointAt(0)!);
    missing ||= !ok;
    out += ok ? ch : '?';
  }
  return missing ? `${out} (as written: see the picture)` : out;
}

/** Wrap at spaces, or anywhere in a long unbroken run (a hash, a code), to fit `width` points. */
function wrap(s: string, font: PDFFont, width: number): string[] {
  const fits = (t: string): boolean => font.widthOfTextAtSize(t, SIZE) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/(?<= )/)) {
    if (fits(line + word.trimEnd())) {
      line += word;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
    for (const ch of word) {
      if (!fits(line + ch)) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

function local(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? wallClockLabel(ms) : iso;
}
