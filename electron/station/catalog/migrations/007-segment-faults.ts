import type { Migration } from './types.js';

/**
 * Damage found on segment files after they were indexed: the file no longer has the size and SHA-256
 * it was indexed with (bit rot, a truncating copy, a hand edit). One row per damaged segment, kept
 * from its first detection; the segment row and file are never changed (footage is evidence, and a
 * damaged file may still be repairable).
 */
export const migration007: Migration = {
  version: 7,
  name: 'segment-faults',
  up: `
    CREATE TABLE segment_faults (
      segment_id  INTEGER PRIMARY KEY REFERENCES segments(id),
      kind        TEXT    NOT NULL CHECK (kind IN ('truncated', 'altered')),
      detail      TEXT    NOT NULL,            -- one sentence: what was found (sizes, hashes)
      found_ms    INTEGER NOT NULL,
      found_by    TEXT    NOT NULL             -- 'scrub', 'clip', 'export'
    );
  `,
};
