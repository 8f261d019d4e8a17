import type { Migration } from './types.js';

/**
 * Finding clips by any fragment of a code, and protecting them.
 *
 * - `clip_codes.code_norm`: the code as searched (upper case, no spaces or dashes), so "sf 1234-56"
 *   finds SF123456.
 * - `clip_code_search`: an FTS5 trigram index over code_norm (external content: the codes are stored
 *   once). A fragment of 3+ characters is looked up through its trigrams instead of scanning every code.
 *   detail=none keeps it small; the fragment is verified against code_norm itself. Replaced by the
 *   suffix index of migration 004 (too slow for 6-10 digit fragments at a million clips).
 * - `clips.protected` / `note`: a disputed clip is never deleted automatically.
 * - `audit_log`: who viewed, protected, noted or exported a clip, and when.
 */
export const migration003: Migration = {
  version: 3,
  name: 'search',
  up: `
    ALTER TABLE clip_codes ADD COLUMN code_norm TEXT NOT NULL DEFAULT '';
    UPDATE clip_codes SET code_norm = upper(replace(replace(code, ' ', ''), '-', ''));

    CREATE VIRTUAL TABLE clip_code_search USING fts5(
      code_norm, content = 'clip_codes', content_rowid = 'rowid', tokenize = 'trigram', detail = 'none'
    );
    INSERT INTO clip_code_search(clip_code_search) VALUES ('rebuild');
    CREATE TRIGGER clip_codes_ai AFTER INSERT ON clip_codes BEGIN
      INSERT INTO clip_code_search(rowid, code_norm) VALUES (new.rowid, new.code_norm);
    END;
    CREATE TRIGGER clip_codes_ad AFTER DELETE ON clip_codes BEGIN
      INSERT INTO clip_code_search(clip_code_search, rowid, code_norm) VALUES ('delete', old.rowid, old.code_norm);
    END;
    CREATE TRIGGER clip_codes_au AFTER UPDATE OF code_norm ON clip_codes BEGIN
      INSERT INTO clip_code_search(clip_code_search, rowid, code_norm) VALUES ('delete', old.rowid, old.code_norm);
      INSERT INTO clip_code_search(rowid, code_norm) VALUES (new.rowid, new.code_norm);
    END;

    ALTER TABLE clips ADD COLUMN protected INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE clips ADD COLUMN note TEXT;
    ALTER TABLE clips ADD COLUMN thumb TEXT;
    CREATE INDEX clips_protected ON clips(start_ms) WHERE protected = 1;

    CREATE TABLE audit_log (
      id       INTEGER PRIMARY KEY,
      at_ms    INTEGER NOT NULL,
      actor    TEXT    NOT NULL,
      action   TEXT    NOT NULL CHECK (action IN ('view', 'protect', 'unprotect', 'note', 'export')),
      clip_id  INTEGER NOT NULL REFERENCES clips(id),
      detail   TEXT
    );
    CREATE INDEX audit_log_clip ON audit_log(clip_id, at_ms);
  `,
};
