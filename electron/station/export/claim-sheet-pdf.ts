/**
 * The claim sheet as an A4 PDF page: the header (clip, claim, the photo's SHA-256, each finding,
 * the matched frames with their times and scores) as real, selectable text, above the sheet picture.
 * Same font handling as the evidence sheet's PDF (sheet-pdf.ts: the shipped WenQuanYi Micro Hei,
 * embedded as a subset, the Mono face for digests), so a Chinese finding is text a reviewer can copy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument, type PDFFont, PageSizes, rgb } from 'pdf-lib';
import { overlayFont } from '../resources.js';
import { CLAIM_LABELS, type ClaimSheetFacts, claimSheetRows } from './claim-sheet-text.js';
import { embedFonts, printable, wrap } from './sheet-pdf.js';
import { wallClockLabel, type SheetLocale } from './sheet-text.js';

export interface ClaimSheetPdfInput {
  /** The sheet picture (JPEG: pdf-lib embeds it as is). */
  jpegFile: string;
  imageWidth: number;
  imageHeight: number;
  locale: SheetLocale;
  facts: ClaimSheetFacts;
  frames: Array<{ atMs: number; relSec: number; score: number }>;
  createdAt?: Date;
  fontFile?: string;
}

const MARGIN = 40;
const LABEL_WIDTH = 110;
const SIZE = 9;
const LINE = 13;
const GREY = rgb(0.3, 0.3, 0.3);

export async function writeClaimSheetPdf(file: string, input: ClaimSheetPdfInput): Promise<void> {
  const L = CLAIM_LABELS[input.locale];
  const { facts } = input;
  const created = input.createdAt ?? new Date();
  const doc = await PDFDocument.create();
  doc.setTitle(`${L.title}: ${L.claimValue(facts.claim)} · ${facts.photoFile}`);
  doc.setSubject(`${L.photoSha} ${facts.photoSha256} · ${L.clipSha} ${facts.clipSha256}`);
  doc.setKeywords([facts.photoSha256, facts.clipSha256, facts.keyFingerprint, ...facts.codes]);
  doc.setCreator('PackWitness');
  doc.setProducer('PackWitness (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  doc.setLanguage(input.locale);

  const fonts = await embedFonts(doc, input.fontFile ?? overlayFont());
  const page = doc.addPage(PageSizes.A4);
  const [pageW, pageH] = PageSizes.A4;
  const valueX = MARGIN + LABEL_WIDTH;
  const valueW = pageW - MARGIN - valueX;
  let y = pageH - MARGIN - 14;
  page.drawText(L.title, { x: MARGIN, y, size: 14, font: fonts.text });
  y -= LINE * 2;
  const row = (label: string, value: string, font: PDFFont): void => {
    page.drawText(label, { x: MARGIN, y, size: SIZE, font: fonts.text, color: GREY });
    for (const line of wrap(printable(value), font, valueW)) {
      page.drawText(line, { x: valueX, y, size: SIZE, font });
      y -= LINE;
    }
  };
  for (const r of claimSheetRows(L, facts, input.locale)) row(r.label, r.value, r.kind === 'hash' ? fonts.mono : fonts.text);
  for (const [i, f] of input.frames.entries()) row(`#${i + 1}`, `${wallClockLabel(f.atMs)}  ${L.frameCaption(i + 1, f.relSec, f.score)}`, fonts.text);
  row(L.created, L.createdValue(created.toISOString()), fonts.text);
  y -= LINE / 2;

  // The picture fills what is left of the page, keeping its shape.
  // Under a third of the page left (a file with many findings): the picture gets a page of its own.
  const image = await doc.embedJpg(await readFile(input.jpegFile));
  const onNewPage = y - MARGIN < pageH / 3;
  const target = onNewPage ? doc.addPage(PageSizes.A4) : page;
  if (onNewPage) y = pageH - MARGIN;
  const boxW = pageW - 2 * MARGIN;
  const boxH = y - MARGIN;
  const scale = Math.min(boxW / input.imageWidth, boxH / input.imageHeight);
  const w = input.imageWidth * scale;
  const h = input.imageHeight * scale;
  target.drawImage(image, { x: MARGIN + (boxW - w) / 2, y: y - h, width: w, height: h });
  // No object streams: the text stays in plain page streams that simple tools can read.
  await writeFile(file, await doc.save({ useObjectStreams: false }));
}
