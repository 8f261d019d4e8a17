import type { Migration } from './types.js';

/**
 * The evidence chain over segments (see evidence/segment-chain.ts). One entry per indexed segment, in
 * the order they were indexed; each entry's hash covers the previous entry's hash, so removing,
 * inserting or reordering a segment breaks every later link. Entries are signed with the station key.
 *
 * `segment_chain_backfill` remembers the last segment that existed before the chain did: only those are
 * chained afterwards (at start-up, in index order). A later segment without an entry was not indexed by
 * the station and is reported, never chained after the fact.
 *
 * The foreign key keeps a chained segment row from being deleted: clean-up of old footage may delete
 * files, but the row (and so the chain) stays.
 */
export const migration005: Migration = {
  version: 5,
  name: 'segment-chain',
  up: `
    CREATE TABLE segment_chain (
      seq         INTEGER PRIMARY KEY,            -- 1, 2, 3… without holes
      segment_id  INTEGER NOT NULL UNIQUE REFERENCES segments(id),
      line        TEXT    NOT NULL,               -- the canonical text that was hashed and signed
      prev_hash   TEXT    NOT NULL,               -- the previous entry's entry_hash (64 zeros for seq 1)
      entry_hash  TEXT    NOT NULL,               -- SHA-256 of line + "\\n", hex
      signature   TEXT    NOT NULL                -- Ed25519 over line + "\\n", hex
    );

    CREATE TABLE segment_chain_backfill (
      upto_segment_id INTEGER NOT NULL
    );
    INSERT INTO segment_chain_backfill (upto_segment_id) SELECT coalesce(max(id), 0) FROM segments;
  `,
};
