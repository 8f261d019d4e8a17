import type { HubMigration } from './types.js';

/**
 * Office accounts: named people with a password (scrypt; the parameters and salt live in the hash
 * text so they can be raised later) and a role. Sessions are rows, not signed cookies, so disabling a
 * person ends their sessions at once; the cookie holds a random id and the table only its SHA-256.
 */
export const hubMigration006: HubMigration = {
  version: 6,
  name: 'users and sessions',
  up: `
    CREATE TABLE users (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'service')),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled boolean NOT NULL DEFAULT false
    );
    CREATE UNIQUE INDEX users_name_ci ON users (lower(name));
    CREATE TABLE sessions (
      id_sha256 text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
  `,
};
