import type { Migration } from './types.js';

/**
 * Retention (storage/retention.ts): footage files are deleted, their rows never are. A segment row
 * stays (the evidence chain and its foreign key need it) and says when and why its file went; a clip
 * row stays, marked "video expired", so a later search still answers "it existed, deleted on …".
 *
 * The two partial indexes keep retention's "oldest footage still on disk" and "oldest clip still
 * playable" lookups cheap at millions of rows: they hold only what retention may still delete.
 */
export const migration006: Migration = {
  version: 6,
  name: 'retention',
  up: `
    ALTER TABLE segments ADD COLUMN file_deleted_ms INTEGER;
    ALTER TABLE segments ADD COLUMN file_deleted_reason TEXT;
    ALTER TABLE clips ADD COLUMN video_expired_ms INTEGER;
    ALTER TABLE clips ADD COLUMN video_expired_reason TEXT;
    CREATE INDEX segments_on_disk ON segments(start_ms) WHERE file_deleted_ms IS NULL;
    CREATE INDEX clips_playable ON clips(start_ms) WHERE video_expired_ms IS NULL;
  `,
};
