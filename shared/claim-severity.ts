/**
 * How much a claim finding should catch a merchant's eye. Used by the clip page (the look
 * of each finding) and the appeal text (the order of the statements, and which go first when it is
 * shortened). The wording of a finding stays a fact about the file; only its weight is decided here.
 */
import type { ClaimFindingKind } from './api.js';

/**
 * - ai:      the file itself says it was made or changed by generative AI (a GB 45438 label, an IPTC
 *            AI source type, a generator's text, a C2PA credential whose actions name a generative
 *            model): the strongest thing to show a platform
 * - notice:  worth a reviewer's look (edited by software, taken before the parcel was packed)
 * - info:    plain facts about the capture (camera, time)
 * - neutral: absence of metadata, which proves nothing alone
 */
export type FindingSeverity = 'ai' | 'notice' | 'info' | 'neutral';

const SEVERITY: Record<ClaimFindingKind, FindingSeverity> = {
  'aigc-label': 'ai',
  // A content credential is a provenance record worth a look; one whose actions name a generative model weighs as an AI label (below).
  'c2pa-manifest': 'notice',
  'ai-source-type': 'ai',
  'generator-text': 'ai',
  'edited-by': 'notice',
  'taken-before-packing': 'notice',
  camera: 'info',
  'taken-at': 'info',
  'no-camera-metadata': 'neutral',
};

const RANK: Record<FindingSeverity, number> = { ai: 0, notice: 1, info: 2, neutral: 3 };

export function findingSeverity(kind: ClaimFindingKind, values?: Readonly<Record<string, string>>): FindingSeverity {
  if (kind === 'c2pa-manifest' && values?.generativeAi === 'yes') return 'ai';
  return SEVERITY[kind];
}

/** Strongest first; findings of equal weight keep the order the station read them in. */
export function bySeverity<T extends { kind: ClaimFindingKind; values?: Readonly<Record<string, string>> }>(findings: readonly T[]): T[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[findingSeverity(a.f.kind, a.f.values)] - RANK[findingSeverity(b.f.kind, b.f.values)] || a.i - b.i)
    .map((x) => x.f);
}

export function severityRank(s: FindingSeverity): number {
  return RANK[s];
}
