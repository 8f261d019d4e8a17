/**
 * The words on a claim sheet, in the export's language: the one source of every text on it, so the
 * picture (PNG, drawn by ffmpeg) and the PDF (pdf-lib) say the same. zh-CN labels are bilingual like
 * the evidence sheet's: a Chinese merchant files it, a foreign platform's reviewer may read it.
 * Findings are worded in findings.ts (facts about the file, never a verdict on the buyer); the sheet
 * prints the statement in its language.
 */
import type { ClaimFinding } from '../../../shared/api.js';
import { msg, render, type MessageCode, type MessageParam } from '../../../shared/messages/index.js';
import { oneLine, type SheetLocale } from './sheet-text.js';

export interface ClaimSheetLabels {
  title: string;
  clip: string;
  station: string;
  claim: string;
  photo: string;
  photoSha: string;
  clipSha: string;
  key: string;
  finding: string;
  noFindings: string;
  matched: string;
  noMatches: string;
  created: string;
  buyerPhoto: string;
  noPreview: (format: string) => string;
  matchedValue: (n: number) => string;
  frameCaption: (rank: number, relSec: number, score: number) => string;
  claimValue: (c: { id: number; platform: string | null; claimNumber: string | null }) => string;
  createdValue: (iso: string) => string;
}

/** The words are the catalogue's `claimSheet.*` codes (shared/messages). */
function claimLabels(lng: SheetLocale): ClaimSheetLabels {
  const s = (code: MessageCode, params?: Record<string, MessageParam>): string => render(msg(code, params), lng);
  return {
    title: s('claimSheet.title'),
    clip: s('claimSheet.clip'),
    station: s('claimSheet.station'),
    claim: s('claimSheet.claim'),
    photo: s('claimSheet.photo'),
    photoSha: s('claimSheet.photoSha'),
    clipSha: s('claimSheet.clipSha'),
    key: s('claimSheet.key'),
    finding: s('claimSheet.finding'),
    noFindings: s('claimSheet.noFindings'),
    matched: s('claimSheet.matched'),
    noMatches: s('claimSheet.noMatches'),
    created: s('claimSheet.created'),
    buyerPhoto: s('claimSheet.buyerPhoto'),
    noPreview: (format) => s('claimSheet.noPreview', { format }),
    matchedValue: (n) => s('claimSheet.matchedValue', { count: n }),
    frameCaption: (rank, rel, score) => s('claimSheet.frameCaption', { rank, rel: rel.toFixed(3), score }),
    claimValue: (c) => [`#${c.id}`, c.platform, c.claimNumber ? s('claimSheet.claimNumber', { number: c.claimNumber }) : null].filter(Boolean).join(' · '),
    createdValue: (iso) => s('claimSheet.createdValue', { iso }),
  };
}

export const CLAIM_LABELS: Record<SheetLocale, ClaimSheetLabels> = { en: claimLabels('en'), 'zh-CN': claimLabels('zh-CN') };

/** What a claim sheet says about one photo: the same facts for the picture and the PDF. */
export interface ClaimSheetFacts {
  clipId: number;
  codes: string[];
  station: string;
  claim: { id: number; platform: string | null; claimNumber: string | null };
  /** The photo's file name in the bundle. */
  photoFile: string;
  photoSha256: string;
  clipSha256: string;
  keyFingerprint: string;
  findings: ClaimFinding[];
  matches: number;
}

export interface ClaimSheetRow {
  label: string;
  value: string;
  kind: 'text' | 'hash' | 'finding';
}

export function claimSheetRows(L: ClaimSheetLabels, f: ClaimSheetFacts, locale: SheetLocale): ClaimSheetRow[] {
  const rows: ClaimSheetRow[] = [
    { label: L.clip, value: oneLine([`#${f.clipId}`, ...f.codes].join(' · ')), kind: 'text' },
    { label: L.station, value: oneLine(f.station), kind: 'text' },
    { label: L.claim, value: oneLine(L.claimValue(f.claim)), kind: 'text' },
    { label: L.photo, value: f.photoFile, kind: 'text' },
    { label: L.photoSha, value: f.photoSha256, kind: 'hash' },
    { label: L.clipSha, value: f.clipSha256, kind: 'hash' },
    { label: L.key, value: f.keyFingerprint, kind: 'hash' },
  ];
  if (!f.findings.length) rows.push({ label: L.finding, value: L.noFindings, kind: 'finding' });
  for (const x of f.findings) rows.push({ label: L.finding, value: oneLine(x.statement[locale]), kind: 'finding' });
  rows.push({ label: L.matched, value: f.matches ? L.matchedValue(f.matches) : L.noMatches, kind: 'text' });
  return rows;
}
