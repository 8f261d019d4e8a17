import type { Migration } from './types.js';

/**
 * The hub outbox: one row per clip to send to a warehouse hub, filled by triggers so no
 * code path that finishes a clip or changes it can forget it: a clip whose MP4 is written is queued,
 * and a later protect or note change queues it again (the hub updates its record; the video, already
 * confirmed, is not sent twice). `uploaded_ms` is set only after the hub has confirmed the SHA-256 of
 * the video it stored (`hub_sha256`). Clips cut before this migration are not queued.
 */
export const migration011: Migration = {
  version: 11,
  name: 'hub-outbox',
  up: `
    CREATE TABLE hub_outbox (
      clip_id      INTEGER PRIMARY KEY REFERENCES clips(id),
      queued_ms    INTEGER NOT NULL,
      attempts     INTEGER NOT NULL DEFAULT 0,
      next_try_ms  INTEGER NOT NULL DEFAULT 0,
      last_error   TEXT,
      uploaded_ms  INTEGER,
      hub_sha256   TEXT
    );
    CREATE INDEX hub_outbox_pending ON hub_outbox(next_try_ms, clip_id) WHERE uploaded_ms IS NULL;

    CREATE TRIGGER hub_outbox_clip_video AFTER UPDATE OF sha256 ON clips
      WHEN NEW.sha256 IS NOT NULL AND NEW.status <> 'recording'
    BEGIN
      INSERT INTO hub_outbox (clip_id, queued_ms) VALUES (NEW.id, CAST(unixepoch('subsec') * 1000 AS INTEGER))
        ON CONFLICT(clip_id) DO UPDATE SET uploaded_ms = NULL, next_try_ms = 0, attempts = 0;
    END;

    CREATE TRIGGER hub_outbox_clip_change AFTER UPDATE OF protected, note ON clips
      WHEN NEW.sha256 IS NOT NULL AND NEW.status <> 'recording'
    BEGIN
      INSERT INTO hub_outbox (clip_id, queued_ms) VALUES (NEW.id, CAST(unixepoch('subsec') * 1000 AS INTEGER))
        ON CONFLICT(clip_id) DO UPDATE SET uploaded_ms = NULL, next_try_ms = 0, attempts = 0;
    END;
  `,
};
