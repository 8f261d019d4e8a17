import type { Migration } from './types.js';

/**
 * Several cameras per station: a clip covers every camera for its time range. The main camera's
 * video stays on the clip row (clips.file, …), so every reader of one video keeps working; each
 * other camera's cut of the same range is a row here, in the order the cameras were given.
 * `file` is NULL until cut, and stays NULL when that camera recorded nothing of the clip.
 */
export const migration017: Migration = {
  version: 17,
  name: 'clip-cameras',
  up: `
    CREATE TABLE clip_cameras (
      clip_id      INTEGER NOT NULL REFERENCES clips(id),
      camera       TEXT    NOT NULL,
      name         TEXT    NOT NULL,
      position     INTEGER NOT NULL,            -- 1 = the second camera given, …
      file         TEXT,                        -- relative to the data folder
      bytes        INTEGER,
      sha256       TEXT,
      duration_ms  INTEGER,
      fps          REAL,
      PRIMARY KEY (clip_id, camera)
    );
  `,
};
