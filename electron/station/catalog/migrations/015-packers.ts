import type { Migration } from './types.js';

/**
 * Packer names: a badge (`PK-…`, a scan rule of kind `packer`) is a code, and a code means nothing on a
 * clip page or burned into a frame. `packers` maps a badge code (upper case, as a scan stores it) to the
 * name printed on the badge. A badge missing from the table still signs in (its name is its code).
 *
 * A clip keeps the name it was packed under (`clips.packer_name`), as it keeps its order (migration
 * 013): renaming or removing a packer later must not change what the evidence says. It depends on
 * nothing after 014.
 */
export const migration015: Migration = {
  version: 15,
  name: 'packers',
  up: `
    CREATE TABLE packers (
      code        TEXT    PRIMARY KEY,
      name        TEXT    NOT NULL,
      created_ms  INTEGER NOT NULL,
      updated_ms  INTEGER NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE clips ADD COLUMN packer_name TEXT;
  `,
};
