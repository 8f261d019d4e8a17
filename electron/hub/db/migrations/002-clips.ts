import type { HubMigration } from './types.js';

/**
 * The stations' clips, one row per station + station clip id (uploads are idempotent on it), and the
 * small files of the clip's sealed evidence bundle as the station signed them (manifest, signature,
 * chain entries, checksums, public key, how-to-verify): with the video from the footage store they
 * make the same bundle again, verifiable with `packwitness verify`.
 *
 * Search: `search_text` holds the codes normalised as the station searches them (upper case, no spaces
 * or dashes), one a line; a pg_trgm GIN index serves LIKE '%fragment%' for fragments of 3+ characters.
 */
export const hubMigration002: HubMigration = {
  version: 2,
  name: 'clips',
  up: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE clips (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      station_id        bigint NOT NULL REFERENCES stations(id),
      station_clip_id   bigint NOT NULL,
      station_name      text NOT NULL,
      camera            text NOT NULL,
      mode              text NOT NULL,
      status            text NOT NULL,
      codes             text[] NOT NULL,
      code_details      jsonb NOT NULL,
      search_text       text NOT NULL,
      started_at        timestamptz NOT NULL,
      ended_at          timestamptz,
      end_reason        text,
      protected         boolean NOT NULL DEFAULT false,
      note              text,
      video_bytes       bigint NOT NULL,
      video_sha256      text NOT NULL,
      video_duration_ms integer NOT NULL,
      video_fps         real,
      video_stored_at   timestamptz,
      bundle            jsonb NOT NULL,
      received_at       timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (station_id, station_clip_id)
    );
    CREATE INDEX clips_search_trgm ON clips USING gin (search_text gin_trgm_ops);
    CREATE INDEX clips_started ON clips (started_at DESC, id DESC);
    CREATE INDEX clips_station_started ON clips (station_id, started_at DESC);
  `,
};
