import type { HubMigration } from './types.js';

/**
 * Several cameras per station: a clip's other cameras, as the station's clip_cameras (station
 * migration 017). The main camera's video stays on the clip row; each row here is one camera of the
 * clip (position 0 is the main camera, kept for its name only), with the video the station declared
 * in its signed record and `stored_at` once the footage store holds exactly those bytes. Keyed by the
 * clip (station + station clip id) and the camera id, so a record sent again updates, never duplicates.
 */
export const hubMigration008: HubMigration = {
  version: 8,
  name: 'clip cameras',
  up: `
    CREATE TABLE clip_cameras (
      clip_id      bigint  NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
      camera       text    NOT NULL,
      name         text    NOT NULL,
      position     integer NOT NULL,
      main         boolean NOT NULL,
      bytes        bigint,
      sha256       text,
      duration_ms  integer,
      fps          real,
      stored_at    timestamptz,
      PRIMARY KEY (clip_id, camera)
    );
  `,
};
