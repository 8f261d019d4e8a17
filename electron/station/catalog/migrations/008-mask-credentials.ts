import type { Migration } from './types.js';

/**
 * Camera passwords written before they were masked: ffmpeg's error, which quotes the camera
 * URL with its password, was stored as a run's end reason and a gap's reason. Both are rewritten
 * through `mask_credentials()` (shared/credentials.ts, registered on every connection by
 * database.ts); rows without a password are left as they are.
 *
 * `secure_delete` makes SQLite zero the old text instead of leaving it in the page's free space; the
 * runner restores the connection's setting afterwards and truncates the WAL, so the old page images
 * are gone from the files too.
 */
export const migration008: Migration = {
  version: 8,
  name: 'mask-credentials',
  up: `
    PRAGMA secure_delete = ON;
    UPDATE runs SET end_reason = mask_credentials(end_reason) WHERE end_reason IS NOT mask_credentials(end_reason);
    UPDATE gaps SET reason = mask_credentials(reason) WHERE reason IS NOT mask_credentials(reason);
  `,
};
