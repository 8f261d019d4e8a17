import type { Migration } from './types.js';

/**
 * Epochs of the evidence chain (evidence/segment-chain.ts). When the database was lost, `packwitness
 * recover` cannot know the entries recorded after its last backup, so it does not pretend to: it
 * signs an epoch entry that takes a sequence number above any the station can have used, links to
 * the last entry it does know (or to none), and says why. Segment entries then continue after it.
 * Kept apart from segment_chain, whose rows each name a segment; seq numbers are one space for both.
 */
export const migration009: Migration = {
  version: 9,
  name: 'chain-epochs',
  up: `
    CREATE TABLE chain_epochs (
      seq         INTEGER PRIMARY KEY,            -- above every seq the station may have used before
      after_seq   INTEGER NOT NULL,               -- the last entry the recovery knew (0: none)
      line        TEXT    NOT NULL,               -- the canonical text that was hashed and signed
      prev_hash   TEXT    NOT NULL,               -- entry after_seq's hash (64 zeros when none)
      entry_hash  TEXT    NOT NULL,
      signature   TEXT    NOT NULL,
      at_ms       INTEGER NOT NULL,
      reason      TEXT    NOT NULL,
      backup      TEXT                            -- the backup file restored, or NULL
    );
  `,
};
