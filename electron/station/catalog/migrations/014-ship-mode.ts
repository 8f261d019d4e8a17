import type { Migration } from './types.js';

/**
 * Hand-over mode: clips.mode accepts 'ship'. SQLite cannot change a CHECK constraint in
 * place (better-sqlite3 runs in defensive mode, so sqlite_schema cannot be edited either), so the
 * table is rebuilt the documented way (lang_altertable.html, "other kinds of table schema changes"):
 * a new table with the same columns in the same order, the rows copied with their ids, the old table
 * dropped, the new one renamed, then its indexes and the hub outbox triggers (migration 011) made
 * again. Other tables reference clips(id) by name, so the rebuild runs with foreign keys off and the
 * runner checks them all before it commits (Migration.foreignKeysOff).
 */
export const migration014: Migration = {
  version: 14,
  name: 'ship-mode',
  foreignKeysOff: true,
  up: `
    CREATE TABLE clips_new (
      id                    INTEGER PRIMARY KEY,
      station               TEXT    NOT NULL,
      camera                TEXT    NOT NULL,
      mode                  TEXT    NOT NULL CHECK (mode IN ('pack', 'return', 'ship')),
      status                TEXT    NOT NULL CHECK (status IN ('recording', 'closed', 'cancelled', 'interrupted')),
      start_ms              INTEGER NOT NULL,
      end_ms                INTEGER,
      end_reason            TEXT,
      file                  TEXT,                 -- the clip MP4, relative to the data folder
      bytes                 INTEGER,
      sha256                TEXT,
      video_duration_ms     INTEGER,
      created_ms            INTEGER NOT NULL,
      protected             INTEGER NOT NULL DEFAULT 0,
      note                  TEXT,
      thumb                 TEXT,
      video_expired_ms      INTEGER,
      video_expired_reason  TEXT,
      video_fps             REAL,
      order_id              INTEGER REFERENCES orders(id),
      order_json            TEXT,
      packer                TEXT,
      CHECK (end_ms IS NULL OR end_ms >= start_ms)
    );
    INSERT INTO clips_new (id, station, camera, mode, status, start_ms, end_ms, end_reason, file, bytes, sha256, video_duration_ms, created_ms,
                           protected, note, thumb, video_expired_ms, video_expired_reason, video_fps, order_id, order_json, packer)
      SELECT id, station, camera, mode, status, start_ms, end_ms, end_reason, file, bytes, sha256, video_duration_ms, created_ms,
             protected, note, thumb, video_expired_ms, video_expired_reason, video_fps, order_id, order_json, packer
      FROM clips;
    DROP TABLE clips;
    ALTER TABLE clips_new RENAME TO clips;

    CREATE INDEX clips_start ON clips(start_ms);
    CREATE INDEX clips_recording ON clips(status) WHERE status = 'recording';
    CREATE INDEX clips_protected ON clips(start_ms) WHERE protected = 1;
    CREATE INDEX clips_playable ON clips(start_ms) WHERE video_expired_ms IS NULL;
    CREATE INDEX clips_order ON clips(order_id) WHERE order_id IS NOT NULL;
    CREATE INDEX clips_packer ON clips(packer, start_ms) WHERE packer IS NOT NULL;

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
