import type { HubMigration } from './types.js';

/**
 * Stations and how they joined. A station is known by its Ed25519 public key (learnt at pairing):
 * every later request it signs is checked against that key. Pairing tokens are kept as SHA-256
 * hashes only, so the index never holds a token that still works. hub_events is the hub's audit log.
 */
export const hubMigration001: HubMigration = {
  version: 1,
  name: 'stations',
  up: `
    CREATE TABLE stations (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name          text NOT NULL,
      public_key_pem text NOT NULL,
      fingerprint   text NOT NULL UNIQUE,
      paired_at     timestamptz NOT NULL DEFAULT now(),
      last_seen_at  timestamptz,
      -- hub clock minus the station's, at its last signed request (the station's times are kept as signed)
      clock_skew_ms bigint,
      -- the last status the station reported (recording, backlog, disk), as it sent it
      last_status   jsonb
    );

    CREATE TABLE pairings (
      token_sha256  text PRIMARY KEY,
      created_at    timestamptz NOT NULL DEFAULT now(),
      expires_at    timestamptz NOT NULL,
      used_at       timestamptz,
      station_id    bigint REFERENCES stations(id),
      created_by    text NOT NULL
    );

    CREATE TABLE hub_events (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at          timestamptz NOT NULL DEFAULT now(),
      kind        text NOT NULL,
      station_id  bigint REFERENCES stations(id),
      actor       text,
      address     text,
      detail      jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX hub_events_at ON hub_events (at DESC);
  `,
};
