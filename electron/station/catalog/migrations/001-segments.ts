import type { Migration } from './types.js';

/**
 * Recording runs (one per ffmpeg process), the segments they closed, and the gaps between runs.
 * Times are integer milliseconds since the Unix epoch: UTC by construction, cheap to compare.
 */
export const migration001: Migration = {
  version: 1,
  name: 'segments',
  up: `
    CREATE TABLE runs (
      id          INTEGER PRIMARY KEY,
      camera      TEXT    NOT NULL,
      dir         TEXT    NOT NULL UNIQUE,      -- relative to the data folder
      t0_ms       INTEGER NOT NULL,             -- wall clock that ffmpeg timestamp 0 stands for
      pid         INTEGER,                      -- ffmpeg's process id, to stop an orphan after a crash
      started_ms  INTEGER NOT NULL,
      ended_ms    INTEGER,
      end_reason  TEXT
    );

    CREATE TABLE segments (
      id           INTEGER PRIMARY KEY,
      run_id       INTEGER NOT NULL REFERENCES runs(id),
      camera       TEXT    NOT NULL,
      file         TEXT    NOT NULL UNIQUE,     -- relative to the data folder, forward slashes
      start_ms     INTEGER NOT NULL,
      end_ms       INTEGER NOT NULL,
      duration_ms  INTEGER NOT NULL,
      bytes        INTEGER NOT NULL,
      sha256       TEXT    NOT NULL,
      status       TEXT    NOT NULL CHECK (status IN ('ok', 'recovered', 'damaged')),
      indexed_ms   INTEGER NOT NULL,
      CHECK (end_ms >= start_ms)
    );
    CREATE INDEX segments_camera_start ON segments(camera, start_ms);

    CREATE TABLE gaps (
      id        INTEGER PRIMARY KEY,
      camera    TEXT    NOT NULL,
      start_ms  INTEGER NOT NULL,
      end_ms    INTEGER,                        -- NULL while nothing has been recorded since
      reason    TEXT    NOT NULL
    );
    CREATE INDEX gaps_camera_start ON gaps(camera, start_ms);
  `,
};
