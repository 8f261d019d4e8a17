/**
 * The words on a claim sheet, in the export's language: the one source of every text on it, so the
 * picture (PNG, drawn by ffmpeg) and the PDF (pdf-lib) say the same. zh-CN labels are bilingual like
 * the evidence sheet's: a Chinese merchant files it, a foreign platform's reviewer may read it.
 * Findings are worded in findings.ts (facts about the file, never a verdict on the buyer); the sheet
 * prints the statement in its language.
 */
import type { ClaimFinding } from '../../../shared/api.js';
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

export const CLAIM_LABELS: Record<SheetLocale, ClaimSheetLabels> = {
  en: {
    title: 'PackWitness claim sheet',
    clip: 'Clip',
    station: 'Station',
    claim: 'Claim',
    photo: 'Buyer photo',
    photoSha: 'Photo SHA-256',
    clipSha: 'Clip SHA-256',
    key: 'Station key',
    finding: 'Finding',
    noFindings: 'The station found nothing to report in this file.',
    matched: 'Matched frames',
    noMatches: 'No moment of the clip was matched to this photo.',
    created: 'Sheet made',
    buyerPhoto: "Buyer's photo (station preview)",
    noPreview: (format) => `No preview: this station cannot decode ${format} pictures`,
    matchedValue: (n) => `${n} moment${n === 1 ? '' : 's'} of the clip that look most like the photo, best first (the overlay in the frame is the recording's own)`,
    frameCaption: (rank, rel, score) => `#${rank} · +${rel.toFixed(3)} s · score ${score}`,
    claimValue: (c) => [`#${c.id}`, c.platform, c.claimNumber ? `claim number ${c.claimNumber}` : null].filter(Boolean).join(' · '),
    createdValue: (iso) => `${iso} (by the station when exporting)`,
  },
  'zh-CN': {
    title: '打包见证 售后核验页 · PackWitness claim sheet',
    clip: '片段 / Clip',
    station: '打包台 / Station',
    claim: '售后 / Claim',
    photo: '买家照片 / Photo',
    photoSha: '照片 SHA-256',
    clipSha: '片段 SHA-256',
    key: '站点密钥 / Key',
    finding: '发现 / Finding',
    noFindings: '未在此文件中发现可报告的信息。',
    matched: '匹配画面 / Frames',
    noMatches: '片段中没有与此照片匹配的画面。',
    created: '生成时间 / Made',
    buyerPhoto: '买家照片（站点预览）/ Buyer photo',
    noPreview: (format) => `无预览：本站点无法解码 ${format} 图片`,
    matchedValue: (n) => `片段中与照片最相似的 ${n} 个时刻，按相似度排序（画面中的水印为录像原有）`,
    frameCaption: (rank, rel, score) => `#${rank} · +${rel.toFixed(3)} 秒 · 得分 ${score}`,
    claimValue: (c) => [`#${c.id}`, c.platform, c.claimNumber ? `售后单号 ${c.claimNumber}` : null].filter(Boolean).join(' · '),
    createdValue: (iso) => `${iso}（导出时由站点生成）`,
  },
};

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
