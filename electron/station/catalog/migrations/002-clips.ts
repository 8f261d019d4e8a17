import type { Migration } from './types.js';

/**
 * Clips (a time range over the continuous segments, plus the MP4 cut from them), the codes scanned
 * onto each clip, the scan log (every scan and what it did), and settings.
 */
export const migration002: Migration = {
  version: 2,
  name: 'clips',
  up: `
    CREATE TABLE settings (
      key         TEXT PRIMARY KEY,
      value       TEXT NOT NULL,               -- JSON, validated by the code that owns the key
      updated_ms  INTEGER NOT NULL
    );

    CREATE TABLE clips (
      id                 INTEGER PRIMARY KEY,
      station            TEXT    NOT NULL,
      camera             TEXT    NOT NULL,
      mode               TEXT    NOT NULL CHECK (mode IN ('pack', 'return')),
      status             TEXT    NOT NULL CHECK (status IN ('recording', 'closed', 'cancelled', 'interrupted')),
      start_ms           INTEGER NOT NULL,
      end_ms             INTEGER,
      end_reason         TEXT,
      file               TEXT,                 -- the clip MP4, relative to the data folder
      bytes              INTEGER,
      sha256             TEXT,
      video_duration_ms  INTEGER,
      created_ms         INTEGER NOT NULL,
      CHECK (end_ms IS NULL OR end_ms >= start_ms)
    );
    CREATE INDEX clips_start ON clips(start_ms);
    CREATE INDEX clips_recording ON clips(status) WHERE status = 'recording';

    CREATE TABLE clip_codes (
      clip_id     INTEGER NOT NULL REFERENCES clips(id),
      code        TEXT    NOT NULL,
      kind        TEXT    NOT NULL CHECK (kind IN ('order', 'waybill')),
      scanned_ms  INTEGER NOT NULL,
      PRIMARY KEY (clip_id, code)
    );
    CREATE INDEX clip_codes_code ON clip_codes(code COLLATE NOCASE, scanned_ms);

    CREATE TABLE scans (
      id             INTEGER PRIMARY KEY,
      at_ms          INTEGER NOT NULL,
      station        TEXT    NOT NULL,
      raw            TEXT    NOT NULL,
      code           TEXT    NOT NULL,
      kind           TEXT    NOT NULL,
      action         TEXT    NOT NULL,
      reason         TEXT    NOT NULL,
      message        TEXT    NOT NULL,        -- JSON {"zh-CN": …, "en": …}: what the packer was told
      mode           TEXT    NOT NULL,
      clip_id        INTEGER,
      ended_clip_id  INTEGER,
      duplicate_of   TEXT                      -- JSON array of {id, startedAt}, or NULL
    );
    CREATE INDEX scans_at ON scans(at_ms);
  `,
};
