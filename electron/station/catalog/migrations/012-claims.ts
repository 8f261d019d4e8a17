import type { Migration } from './types.js';

/**
 * Claims on a clip: a buyer's after-sale claim (售后) with the photos (and an optional
 * video) the merchant was sent, each stored once under the data folder with its SHA-256 and never
 * modified, and the metadata findings read from it when it was added (kept, so a later reader of the
 * claim sees what the station said then, whatever a newer reader would say).
 *
 * The audit log's action list gains `claim`; SQLite cannot change a CHECK constraint in place, so the
 * table is rebuilt with its rows and ids (the migration's transaction makes that all or nothing).
 */
export const migration012: Migration = {
  version: 12,
  name: 'claims',
  up: `
    CREATE TABLE claims (
      id            INTEGER PRIMARY KEY,
      clip_id       INTEGER NOT NULL REFERENCES clips(id),
      created_ms    INTEGER NOT NULL,
      actor         TEXT    NOT NULL,
      platform      TEXT,
      claim_number  TEXT,
      buyer_words   TEXT
    );
    CREATE INDEX claims_clip ON claims(clip_id, created_ms);

    CREATE TABLE claim_files (
      id            INTEGER PRIMARY KEY,
      claim_id      INTEGER NOT NULL REFERENCES claims(id),
      position      INTEGER NOT NULL,
      kind          TEXT    NOT NULL CHECK (kind IN ('photo', 'video')),
      original_name TEXT    NOT NULL,
      file          TEXT    NOT NULL,
      preview       TEXT,
      bytes         INTEGER NOT NULL,
      sha256        TEXT    NOT NULL,
      format        TEXT    NOT NULL,
      width         INTEGER,
      height        INTEGER,
      findings      TEXT    NOT NULL,
      barcodes      TEXT    NOT NULL DEFAULT '[]',
      matches       TEXT    NOT NULL DEFAULT '[]',
      UNIQUE (claim_id, position)
    );

    CREATE TABLE audit_log_new (
      id       INTEGER PRIMARY KEY,
      at_ms    INTEGER NOT NULL,
      actor    TEXT    NOT NULL,
      action   TEXT    NOT NULL CHECK (action IN ('view', 'protect', 'unprotect', 'note', 'export', 'claim')),
      clip_id  INTEGER NOT NULL REFERENCES clips(id),
      detail   TEXT
    );
    INSERT INTO audit_log_new (id, at_ms, actor, action, clip_id, detail) SELECT id, at_ms, actor, action, clip_id, detail FROM audit_log;
    DROP TABLE audit_log;
    ALTER TABLE audit_log_new RENAME TO audit_log;
    CREATE INDEX audit_log_clip ON audit_log(clip_id, at_ms);
  `,
};
