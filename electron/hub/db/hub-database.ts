/**
 * The hub's index: PostgreSQL through node-postgres' pool. Schema by numbered migrations
 * (db/migrations/), each in its own transaction, under an advisory lock so that two hubs started on
 * one --database at once do not both migrate. A database newer than this hub is refused.
 *
 * When PostgreSQL stops answering, requests fail with HubDatabaseUnavailableError, which the HTTP
 * server turns into a 503 with one sentence; the pool reconnects by itself when it is back.
 */
import pg from 'pg';
import { PG_CONNECT_TIMEOUT_MS, PG_POOL_SIZE } from '../limits.js';
import { log } from '../../station/log.js';
import { hubMigrations } from './migrations/index.js';
import type { HubMigration } from './migrations/types.js';

export type HubPool = pg.Pool;

/** "pwhub" as a number: the advisory lock the migrations hold. */
const MIGRATION_LOCK = 0x70776875;

export class HubDatabaseTooNewError extends Error {
  override name = 'HubDatabaseTooNewError';
}

export class HubDatabaseUnavailableError extends Error {
  override name = 'HubDatabaseUnavailableError';
}

export function openHubPool(connectionString: string): HubPool {
  const pool = new pg.Pool({
    connectionString,
    max: PG_POOL_SIZE,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    // A statement that hangs (a lock, a dying server) fails the request instead of holding it.
    statement_timeout: 30_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by a restarting server must not crash the hub: the pool replaces it.
  pool.on('error', (err) => log.warn('a PostgreSQL connection of the hub was closed', { error: err.message }));
  return pool;
}

/** Errors that mean "PostgreSQL is not there right now", as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof HubDatabaseUnavailableError) return true;
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  // Class 08: connection exceptions; 57P01-57P03: admin/crash shutdown, cannot connect now.
  if (typeof e.code === 'string' && (/^08/.test(e.code) || /^57P0[123]$/.test(e.code))) return true;
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EPIPE') return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(e.message ?? '');
}

export async function migrateHub(pool: HubPool, migrations: readonly HubMigration[] = hubMigrations): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS hub_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const cur = Number((await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_schema')).rows[0]?.v ?? 0);
      const latest = migrations.at(-1)?.version ?? 0;
      if (cur > latest) {
        throw new HubDatabaseTooNewError(`The hub's database has schema version ${cur}, newer than this hub knows (${latest}); run the newer PackWitness hub, or give another --database.`);
      }
      for (const m of migrations) {
        if (m.version <= cur) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.up);
          await client.query('INSERT INTO hub_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        log.info('hub database migrated', { version: m.version, name: m.name });
      }
      return latest;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
