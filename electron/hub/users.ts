/**
 * The hub's office accounts and their sessions. Passwords are hashed with scrypt (node:crypto), a
 * random salt per person, and compared in constant time; the hash text carries its parameters so a
 * later hub can raise them without locking anyone out. A session is a random id in an HttpOnly cookie;
 * the table holds only its SHA-256, and a lookup joins the account, so disabling a person (or
 * resetting their password) ends their sessions at once.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HubUser, HubUserChange, HubUserRole } from '../../shared/api.js';
import { msg, LocalizedError, type Message } from '../station/localized-error.js';
import type { PoolClient } from 'pg';
import type { HubPool } from './db/hub-database.js';
import { sha256Hex } from './protocol.js';

/** N=2^15 (32 MiB, ~0.1 s per login on an office PC): slow for a guesser, quick for a person. */
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32 } as const;
export const SESSION_COOKIE = 'pw_hub_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export class UserRefusedError extends LocalizedError {
  override name = 'UserRefusedError';
  constructor(
    readonly statusCode: number,
    text: Message,
  ) {
    super(text);
  }
}

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, { ...opts, maxmem: 256 * opts.N! * opts.r! }, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64url');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64url'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Checked against when the name is unknown, so a wrong name takes as long as a wrong password. */
let decoy: Promise<string> | null = null;

interface UserRow {
  id: string;
  name: string;
  role: HubUserRole;
  disabled: boolean;
  created_at: Date;
}
const toUser = (r: UserRow): HubUser => ({ id: Number(r.id), name: r.name, role: r.role, disabled: r.disabled, createdAt: r.created_at.toISOString() });

export async function countUsers(pool: HubPool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
}

export async function listUsers(pool: HubPool): Promise<HubUser[]> {
  return (await pool.query<UserRow>('SELECT id, name, role, disabled, created_at FROM users ORDER BY lower(name)')).rows.map(toUser);
}

/**
 * An account change in one transaction holding the users table's lock, which serialises account changes:
 * two "first admin" forms or two demotions cannot both pass their check.
 */
async function changingUsers<T>(pool: HubPool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A new account; `onlyIfNone` makes it the first one or nothing (the READY link's form, raced safely). */
export async function createUser(pool: HubPool, u: { name: string; role: HubUserRole; password: string }, opts: { onlyIfNone?: boolean } = {}): Promise<HubUser> {
  const hash = await hashPassword(u.password);
  return changingUsers(pool, async (client) => {
    if (opts.onlyIfNone && Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n) > 0) {
      throw new UserRefusedError(409, msg('users.hubAlreadyHasAdmin'));
    }
    const taken = await client.query('SELECT 1 FROM users WHERE lower(name) = lower($1)', [u.name]);
    if (taken.rowCount) throw new UserRefusedError(409, msg('users.nameTaken', { name: u.name }));
    const row = (await client.query<UserRow>('INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3) RETURNING id, name, role, disabled, created_at', [u.name, u.role, hash])).rows[0]!;
    return toUser(row);
  });
}

/** Role, disabled and password; the last active admin can be neither demoted nor disabled. */
export async function changeUser(pool: HubPool, id: number, change: HubUserChange): Promise<HubUser> {
  const hash = change.password === undefined ? null : await hashPassword(change.password);
  return changingUsers(pool, async (client) => {
    const cur = (await client.query<UserRow>('SELECT id, name, role, disabled, created_at FROM users WHERE id = $1', [id])).rows[0];
    if (!cur) throw new UserRefusedError(404, msg('users.noAccount', { id }));
    const role = change.role ?? cur.role;
    const disabled = change.disabled ?? cur.disabled;
    if (cur.role === 'admin' && !cur.disabled && (role !== 'admin' || disabled)) {
      const others = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1", [id])).rows[0]!.n);
      if (others === 0) throw new UserRefusedError(409, msg('users.lastAdmin', { name: cur.name }));
    }
    const row = (
      await client.query<UserRow>('UPDATE users SET role = $2, disabled = $3, password_hash = coalesce($4, password_hash) WHERE id = $1 RETURNING id, name, role, disabled, created_at', [
        id,
        role,
        disabled,
        hash,
      ])
    ).rows[0]!;
    // A disabled account or a reset password ends the sessions that were open.
    if (disabled || hash) await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    return toUser(row);
  });
}

/** The account for a name and password, or null (unknown name, wrong password, disabled). */
export async function checkLogin(pool: HubPool, name: string, password: string): Promise<HubUser | null> {
  const row = (await pool.query<UserRow & { password_hash: string }>('SELECT id, name, role, disabled, created_at, password_hash FROM users WHERE lower(name) = lower($1)', [name])).rows[0];
  if (!row) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await passwordMatches(await decoy, password);
    return null;
  }
  const ok = await passwordMatches(row.password_hash, password);
  return ok && !row.disabled ? toUser(row) : null;
}

export async function startSession(pool: HubPool, userId: number): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await pool.query('INSERT INTO sessions (id_sha256, user_id, expires_at) VALUES ($1, $2, $3)', [sha256Hex(id), userId, new Date(Date.now() + SESSION_TTL_MS)]);
  // Expired rows go as new ones come, so the table stays small without a timer.
  await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  return id;
}

/** The signed-in account of a session cookie; null when unknown, expired or the account is disabled. */
export async function sessionUser(pool: HubPool, sessionId: string | null): Promise<HubUser | null> {
  if (!sessionId || sessionId.length > 100) return null;
  const row = (
    await pool.query<UserRow>(
      'SELECT u.id, u.name, u.role, u.disabled, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_sha256 = $1 AND s.expires_at > now() AND NOT u.disabled',
      [sha256Hex(sessionId)],
    )
  ).rows[0];
  return row ? toUser(row) : null;
}

export async function endSession(pool: HubPool, sessionId: string | null): Promise<void> {
  if (sessionId) await pool.query('DELETE FROM sessions WHERE id_sha256 = $1', [sha256Hex(sessionId)]);
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`;
}
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
