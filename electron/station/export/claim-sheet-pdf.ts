/**
 * The claim sheet as an A4 PDF page: the header (clip, claim, the photo's SHA-256, each finding,
 * the matched frames with their times and scores) as real, selectable text, above the sheet picture.
 * Same font handling as the evidence sheet's PDF (sheet-pdf.ts: the shipped WenQuanYi Micro Hei,
 * embedded as a subset, the Mono face for digests), so a Chinese finding is text a reviewer can copy.
 */
import { CLAIM_LABELS, type ClaimSheetFacts, claimSheetRows } from './claim-sheet-text.js';
import { RowsPage } from './sheet-pdf.js';
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

export async function writeClaimSheetPdf(file: string, input: ClaimSheetPdfInput): Promise<void> {
  const L = CLAIM_LABELS[input.locale];
  const { facts } = input;
  const created = input.createdAt ?? new Date();
  const sheet = await RowsPage.start({
    title: `${L.title}: ${L.claimValue(facts.claim)} · ${facts.photoFile}`,
    subject: `${L.photoSha} ${facts.photoSha256} · ${L.clipSha} ${facts.clipSha256}`,
    keywords: [facts.photoSha256, facts.clipSha256, facts.keyFingerprint, ...facts.codes],
    heading: L.title,
    locale: input.locale,
    created,
    fontFile: input.fontFile,
    labelWidth: 110,
  });
  const { fonts } = sheet;
  for (const r of claimSheetRows(L, facts, input.locale)) sheet.row(r.label, r.value, r.kind === 'hash' ? fonts.mono : fonts.text);
  for (const [i, f] of input.frames.entries()) sheet.row(`#${i + 1}`, `${wallClockLabel(f.atMs)}  ${L.frameCaption(i + 1, f.relSec, f.score)}`, fonts.text);
  sheet.row(L.created, L.createdValue(created.toISOString()), fonts.text);
  // Under a third of the page left (a file with many findings): the picture gets a page of its own.
  await sheet.picture(input.jpegFile, input.imageWidth, input.imageHeight, 1 / 3);
  await sheet.save(file);
}
