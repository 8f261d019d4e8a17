/**
 * Claims and their files in SQLite (migration 012). Rows are only added: a claim file is evidence,
 * so nothing here updates or deletes one.
 */
import type { Claim, ClaimBarcode, ClaimFile, ClaimFinding } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { stmt } from '../catalog/statements.js';
import { toIso } from '../catalog/time.js';

export interface NewClaimFile {
  position: number;
  kind: 'photo' | 'video';
  originalName: string;
  /** Relative to the data folder, `/`-separated. */
  file: string;
  preview: string | null;
  bytes: number;
  sha256: string;
  format: string;
  width: number | null;
  height: number | null;
  findings: ClaimFinding[];
  barcodes: ClaimBarcode[];
  matches: Array<{ atSeconds: number; score: number }>;
}

interface ClaimRow {
  id: number;
  clip_id: number;
  created_ms: number;
  actor: string;
  platform: string | null;
  claim_number: string | null;
  buyer_words: string | null;
}

interface FileRow {
  claim_id: number;
  position: number;
  kind: 'photo' | 'video';
  original_name: string;
  file: string;
  preview: string | null;
  bytes: number;
  sha256: string;
  format: string;
  width: number | null;
  height: number | null;
  findings: string;
  barcodes: string;
  matches: string;
}

export class ClaimsRepo {
  constructor(private readonly db: Db) {}

  /** The next claim's id, so its files can be moved into their folder inside the inserting transaction. */
  insertClaim(c: { clipId: number; createdMs: number; actor: string; platform: string | null; claimNumber: string | null; buyerWords: string | null }): number {
    return Number(
      stmt(this.db, 'INSERT INTO claims (clip_id, created_ms, actor, platform, claim_number, buyer_words) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.clipId, c.createdMs, c.actor, c.platform, c.claimNumber, c.buyerWords).lastInsertRowid,
    );
  }

  insertFile(claimId: number, f: NewClaimFile): void {
    stmt(
      this.db,
      'INSERT INTO claim_files (claim_id, position, kind, original_name, file, preview, bytes, sha256, format, width, height, findings, barcodes, matches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(claimId, f.position, f.kind, f.originalName, f.file, f.preview, f.bytes, f.sha256, f.format, f.width, f.height, JSON.stringify(f.findings), JSON.stringify(f.barcodes), JSON.stringify(f.matches));
  }

  forClip(clipId: number): Claim[] {
    const claims = stmt(this.db, 'SELECT * FROM claims WHERE clip_id = ? ORDER BY created_ms DESC, id DESC').all(clipId) as ClaimRow[];
    return claims.map((c) => this.toClaim(c));
  }

  get(claimId: number): Claim | null {
    const row = stmt(this.db, 'SELECT * FROM claims WHERE id = ?').get(claimId) as ClaimRow | undefined;
    return row ? this.toClaim(row) : null;
  }

  /** A file's stored paths (relative to the data folder), for the preview route and exports. */
  filePaths(claimId: number, position: number): { file: string; preview: string | null } | null {
    return (stmt(this.db, 'SELECT file, preview FROM claim_files WHERE claim_id = ? AND position = ?').get(claimId, position) as { file: string; preview: string | null } | undefined) ?? null;
  }

  private toClaim(c: ClaimRow): Claim {
    const files = stmt(this.db, 'SELECT * FROM claim_files WHERE claim_id = ? ORDER BY position').all(c.id) as FileRow[];
    return {
      id: c.id,
      clipId: c.clip_id,
      createdAt: toIso(c.created_ms),
      actor: c.actor,
      platform: c.platform,
      claimNumber: c.claim_number,
      buyerWords: c.buyer_words,
      files: files.map(
        (f): ClaimFile => ({
          position: f.position,
          kind: f.kind,
          originalName: f.original_name,
          bytes: f.bytes,
          sha256: f.sha256,
          format: f.format,
          width: f.width,
          height: f.height,
          hasPreview: f.preview !== null,
          findings: JSON.parse(f.findings) as ClaimFinding[],
          barcodes: JSON.parse(f.barcodes) as ClaimBarcode[],
          matches: JSON.parse(f.matches) as ClaimFile['matches'],
        }),
      ),
    };
  }
}
