import { SUFFIX_TRIGGERS } from './004-search-suffix.js';
import type { Migration } from './types.js';

/**
 * Product codes on clips: clip_codes.kind accepts 'item' (an EAN/UPC or SKU scanned while packing,
 * kept and searchable, never naming the parcel). SQLite changes a CHECK constraint no other way than
 * rebuilding the table (lang_altertable.html, "other kinds of table schema changes"), as 014 did for
 * clips. The rows keep their rowids: the search's suffix index (004) is contentless and keyed by
 * them, so it stays valid without a rebuild. Its triggers and the code index go with the old table
 * and are made again. Nothing references clip_codes, so foreign keys can stay on (clip_id is checked
 * as the rows are copied).
 */
export const migration016: Migration = {
  version: 16,
  name: 'item-codes',
  up: `
    CREATE TABLE clip_codes_new (
      clip_id     INTEGER NOT NULL REFERENCES clips(id),
      code        TEXT    NOT NULL,
      kind        TEXT    NOT NULL CHECK (kind IN ('order', 'waybill', 'item')),
      scanned_ms  INTEGER NOT NULL,
      code_norm   TEXT    NOT NULL DEFAULT '',
      PRIMARY KEY (clip_id, code)
    );
    INSERT INTO clip_codes_new (rowid, clip_id, code, kind, scanned_ms, code_norm)
      SELECT rowid, clip_id, code, kind, scanned_ms, code_norm FROM clip_codes ORDER BY rowid;
    DROP TABLE clip_codes;
    ALTER TABLE clip_codes_new RENAME TO clip_codes;

    CREATE INDEX clip_codes_code ON clip_codes(code COLLATE NOCASE, scanned_ms);

${SUFFIX_TRIGGERS}  `,
};
