/**
 * The evidence sheet as a PDF (pdf-lib, pure JS): page 1 carries the header as real, selectable text
 * (a reviewer can copy a hash instead of retyping it) above the sheet picture; page 2 lists the key
 * frames as text. Every word comes from sheet-text.ts, in the export's language, so the PDF and the
 * picture say the same.
 *
 * The text is set in the font the overlay and the picture use (WenQuanYi Micro Hei, shipped in
 * resources/fonts; Apache-2.0, which allows embedding), embedded as a subset: only the glyphs on the
 * page go in, so a sheet with a Chinese station name stays a few KB of font instead of 5 MB. PDF's
 * standard fonts (Helvetica …) cover Latin text only and are not embedded: a station named
 * "杭州仓 1号打包台" came out as "??? 1????". The shipped file is a TrueType collection (.ttc, two
 * faces); @pdf-lib/fontkit reads a collection when told the face's PostScript name, so no converted
 * copy of the font is kept. The Mono face sets the digests, whose digits then line up.
 */
import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, PageSizes, rgb } from 'pdf-lib';
import { overlayFont } from '../resources.js';
import { LABELS, type SheetFacts, type SheetLocale, sheetRows, wallClockLabel } from './sheet-text.js';

export interface SheetPdfInput {
  /** The sheet picture (JPEG: pdf-lib embeds it as is, without re-encoding). */
  jpegFile: string;
  imageWidth: number;
  imageHeight: number;
  locale: SheetLocale;
  /** The same facts the picture's header shows (sheet-text.ts words them). */
  facts: SheetFacts;
  frames: Array<{ atMs: number; relSec: number; kind: 'interval' | 'scan'; codes: string[] }>;
  createdAt?: Date;
  /** The font collection; default the shipped one. */
  fontFile?: string;
}

/** PostScript names of the two faces in resources/fonts/wqy-microhei.ttc. */
const FACE = { text: 'WenQuanYiMicroHei', mono: 'WenQuanYiMicroHeiMono' } as const;

const MARGIN = 40;
const SIZE = 9;
const LINE = 13;
const GREY = rgb(0.3, 0.3, 0.3);

export async function writeSheetPdf(file: string, input: SheetPdfInput): Promise<void> {
  const L = LABELS[input.locale];
  const { facts } = input;
  const created = input.createdAt ?? new Date();
  const sheet = await RowsPage.start({
    title: `${L.title}: ${L.clip} #${facts.clipId} (${facts.codes.join(', ')})`,
    subject: `${L.clip} #${facts.clipId} · ${L.station} ${facts.station} · ${L.clipSha} ${facts.clipSha256}`,
    keywords: [facts.clipSha256, ...(facts.exportSha256 ? [facts.exportSha256] : []), facts.keyFingerprint, ...facts.codes],
    heading: L.title,
    locale: input.locale,
    created,
    fontFile: input.fontFile,
    labelWidth: 150,
  });
  const { fonts } = sheet;
  for (const r of sheetRows(L, facts)) sheet.row(r.label, r.value, r.kind === 'hash' ? fonts.mono : fonts.text);
  sheet.row(L.created, L.createdValue(created.toISOString()), fonts.text);
  // Zooming in on the picture shows its full resolution.
  await sheet.picture(input.jpegFile, input.imageWidth, input.imageHeight);
  framesPage(sheet.doc.addPage(PageSizes.A4), input.frames, fonts, L.framesPage, L.scan);
  await sheet.save(file);
}

/**
 * A sheet's PDF as both sheets lay it out: the document's metadata, the embedded fonts, an A4 page
 * headed by a title, rows of label and wrapped value, then the sheet picture in what is left.
 */
export class RowsPage {
  private y: number;
  private readonly valueX: number;

  private constructor(
    readonly doc: PDFDocument,
    readonly fonts: { text: PDFFont; mono: PDFFont },
    private readonly page: PDFPage,
    labelWidth: number,
  ) {
    this.y = PageSizes.A4[1] - MARGIN - 14;
    this.valueX = MARGIN + labelWidth;
  }

  static async start(o: { title: string; subject: string; keywords: string[]; heading: string; locale: SheetLocale; created: Date; fontFile?: string; labelWidth: number }): Promise<RowsPage> {
    const doc = await PDFDocument.create();
    doc.setTitle(o.title);
    doc.setSubject(o.subject);
    doc.setKeywords(o.keywords);
    doc.setCreator('PackWitness');
    doc.setProducer('PackWitness (pdf-lib)');
    doc.setCreationDate(o.created);
    doc.setModificationDate(o.created);
    doc.setLanguage(o.locale);
    const fonts = await embedFonts(doc, o.fontFile ?? overlayFont());
    const sheet = new RowsPage(doc, fonts, doc.addPage(PageSizes.A4), o.labelWidth);
    sheet.page.drawText(o.heading, { x: MARGIN, y: sheet.y, size: 14, font: fonts.text });
    sheet.y -= LINE * 2;
    return sheet;
  }

  /** A grey label and its value, wrapped to the page; text from outside is made printable first. */
  row(label: string, value: string, font: PDFFont): void {
    this.page.drawText(label, { x: MARGIN, y: this.y, size: SIZE, font: this.fonts.text, color: GREY });
    for (const line of wrap(printable(value), font, PageSizes.A4[0] - MARGIN - this.valueX)) {
      this.page.drawText(line, { x: this.valueX, y: this.y, size: SIZE, font });
      this.y -= LINE;
    }
  }

  /**
   * The picture (JPEG, embedded as is) fills what is left of the page, keeping its shape. `ownPageBelow`:
   * when less than this share of the page is left (a header with many rows), it gets a page of its own.
   */
  async picture(jpegFile: string, width: number, height: number, ownPageBelow = 0): Promise<void> {
    const [pageW, pageH] = PageSizes.A4;
    let top = this.y - LINE / 2;
    let page = this.page;
    if (top - MARGIN < pageH * ownPageBelow) {
      page = this.doc.addPage(PageSizes.A4);
      top = pageH - MARGIN;
    }
    const image = await this.doc.embedJpg(await readFile(jpegFile));
    const boxW = pageW - 2 * MARGIN;
    const boxH = top - MARGIN;
    const scale = Math.min(boxW / width, boxH / height);
    const w = width * scale;
    const h = height * scale;
    page.drawImage(image, { x: MARGIN + (boxW - w) / 2, y: top - h, width: w, height: h });
  }

  async save(file: string): Promise<void> {
    // No object streams: the text stays in plain page streams that simple tools can read.
    await writeFile(file, await this.doc.save({ useObjectStreams: false }));
  }
}

/**
 * Both faces of the collection, each as a subset. pdf-lib hands fontkit only the bytes, so the face
 * to pick is set before each embedding. The "ABCDEF+" prefix is how PDF marks a subset (ISO 32000
 * 9.6.4): readers then never take the embedded font for the whole one.
 */
export async function embedFonts(doc: PDFDocument, fontFile: string): Promise<{ text: PDFFont; mono: PDFFont }> {
  const bytes = await readFile(fontFile);
  let face: string = FACE.text;
  doc.registerFontkit({ create: (data, name) => fontkit.create(data, name ?? face) });
  const text = await doc.embedFont(bytes, { subset: true, customName: `${subsetTag()}+${FACE.text}` });
  face = FACE.mono;
  const mono = await doc.embedFont(bytes, { subset: true, customName: `${subsetTag()}+${FACE.mono}` });
  return { text, mono };
}

function subsetTag(): string {
  return Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(26))).join('');
}

function framesPage(page: PDFPage, frames: SheetPdfInput['frames'], fonts: { text: PDFFont; mono: PDFFont }, title: string, scanWord: string): void {
  const [pageW, pageH] = PageSizes.A4;
  let y = pageH - MARGIN - 14;
  page.drawText(title, { x: MARGIN, y, size: 12, font: fonts.text });
  y -= LINE * 2;
  for (const [i, f] of frames.entries()) {
    if (y < MARGIN) break; // at most 24 tiles: 24 lines fit with room to spare
    const when = `${String(i + 1).padStart(2)}  ${wallClockLabel(f.atMs)}  +${f.relSec.toFixed(3)} s`;
    page.drawText(when, { x: MARGIN, y, size: SIZE, font: fonts.mono });
    if (f.kind === 'scan') {
      const x = MARGIN + fonts.mono.widthOfTextAtSize(`${when}  `, SIZE);
      page.drawText(wrap(printable(`${scanWord}: ${f.codes.join(', ')}`), fonts.text, pageW - MARGIN - x)[0]!, { x, y, size: SIZE, font: fonts.text });
    }
    y -= LINE;
  }
}

/** One line of text: codes and names can carry control characters, which no font draws. */
export const printable = (s: string): string => s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');

/** Wrap at spaces, or anywhere in a long unbroken run (a hash, a code, Chinese text), to fit `width` points. */
export function wrap(s: string, font: PDFFont, width: number): string[] {
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
