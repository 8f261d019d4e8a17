import type { Migration } from './types.js';

/**
 * Signed checkpoints of the evidence chain (evidence/chain-checkpoint.ts). Compaction
 * (storage/compaction.ts) removes the rows of footage retention deleted long ago; before it removes
 * any, it signs a checkpoint that commits to the chain's head at that moment and lists the runs of
 * older entries that stay (kept, protected or not-yet-uploaded clips). The stored chain is then
 * checked from the checkpoint on, and before it only those runs.
 *
 * The partial index finds compaction's candidates (footage gone, oldest first) without scanning the
 * rows still on disk.
 */
export const migration018: Migration = {
  version: 18,
  name: 'chain-checkpoints',
  up: `
    CREATE TABLE chain_checkpoints (
      n           INTEGER PRIMARY KEY,            -- 1, 2, 3…: each checkpoint links to the one before
      line        TEXT    NOT NULL,               -- the canonical text that was hashed and signed
      prev_hash   TEXT    NOT NULL,               -- checkpoint n-1's entry_hash (64 zeros for n = 1)
      seq         INTEGER NOT NULL,               -- the chain entry committed to (the head then)
      seq_hash    TEXT    NOT NULL,               -- that entry's entry_hash
      kept        TEXT    NOT NULL,               -- runs of entries before seq that stay: "a-b,c-d" or "-"
      entry_hash  TEXT    NOT NULL,               -- SHA-256 of line + "\\n", hex
      signature   TEXT    NOT NULL,               -- Ed25519 over line + "\\n", hex
      at_ms       INTEGER NOT NULL,
      before_ms   INTEGER NOT NULL                -- footage that ended before this could be compacted
    );
    CREATE INDEX segments_file_gone ON segments(end_ms) WHERE file_deleted_ms IS NOT NULL;
  `,
};
