/**
 * The warehouse hub's composition root: lock the data folder → PostgreSQL (the embedded server in
 * DIR/postgres, or --database) → migrations → footage store → HTTP server. stop() runs it backwards.
 *
 *   DIR/hub.lock      one hub per folder (pid)
 *   DIR/postgres/     the embedded PostgreSQL (db/embedded-postgres.ts)
 *   DIR/footage/      the stations' clip videos (storage/local-footage-store.ts)
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { log } from '../station/log.js';
import { appRoot } from '../station/resources.js';
import { lockFolder } from '../station/station-lock.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.js';
import { migrateHub, openHubPool, type HubPool } from './db/hub-database.js';
import { HUB_DEFAULT_PORT } from './limits.js';
import { createHubServer } from './server/hub-server.js';
import type { FootageStore } from './storage/footage-store.js';
import { LocalFootageStore } from './storage/local-footage-store.js';

export interface HubOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** The admin API token; random when not given (carried by the READY URL). */
  token?: string;
  /** postgres://… of an existing server; the embedded one when not given. */
  database?: string;
}

export class HubStartError extends Error {
  override name = 'HubStartError';
}

export class Hub {
  readonly token: string;
  dataDir = '';
  url = '';
  pool: HubPool | null = null;
  footage: FootageStore | null = null;
  private embedded: EmbeddedPostgres | null = null;
  private server: FastifyInstance | null = null;
  private releaseLock: (() => void) | null = null;

  constructor(private readonly opts: HubOptions) {
    this.token = opts.token ?? randomBytes(24).toString('base64url');
  }

  /** The embedded server's pid (tests stop it to see the hub answer 503); null with --database. */
  get embeddedPostgresPid(): number | null {
    return this.embedded?.pid ?? null;
  }

  async start(): Promise<void> {
    try {
      await this.startInner();
    } catch (err) {
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  private async startInner(): Promise<void> {
    this.dataDir = resolve(this.opts.dataDir);
    try {
      mkdirSync(this.dataDir, { recursive: true });
      accessSync(this.dataDir, constants.W_OK);
    } catch (err) {
      throw new HubStartError(`The hub's data folder ${this.dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose another with --data DIR or fix its permissions.`);
    }
    this.releaseLock = lockHubDir(this.dataDir);
    let connectionString = this.opts.database;
    if (!connectionString) {
      this.embedded = await startEmbeddedPostgres(this.dataDir);
      connectionString = this.embedded.connectionString;
    }
    this.pool = openHubPool(connectionString);
    try {
      await migrateHub(this.pool);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (this.opts.database && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000')) {
        throw new HubStartError(`The PostgreSQL server given by --database cannot be used (${(err as Error).message}); check the address, user, password and database name.`);
      }
      throw err;
    }
    this.footage = new LocalFootageStore(join(this.dataDir, 'footage'));
    this.server = await createHubServer({ pool: this.pool, adminToken: this.token, footage: this.footage, workDir: join(this.dataDir, 'work'), uiDir: join(appRoot(), 'dist', 'renderer') });
    const host = this.opts.host ?? '127.0.0.1';
    try {
      await this.server.listen({ port: this.opts.port ?? HUB_DEFAULT_PORT, host });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new HubStartError(`Port ${this.opts.port ?? HUB_DEFAULT_PORT} on ${host} is already in use. Stop the other program or choose another port with --port N (0 picks a free one).`);
      }
      throw err;
    }
    const addr = this.server.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/?token=${encodeURIComponent(this.token)}`;
    log.info('hub started', { dataDir: this.dataDir, database: this.embedded ? 'embedded' : 'external' });
  }

  async stop(): Promise<void> {
    await this.server?.close().catch(() => undefined);
    this.server = null;
    await this.pool?.end().catch(() => undefined);
    this.pool = null;
    await this.embedded?.stop();
    this.embedded = null;
    this.releaseLock?.();
    this.releaseLock = null;
  }
}

/** One hub per data folder; a lock left by a dead hub is taken over. */
export function lockHubDir(dir: string): () => void {
  return lockFolder(dir, 'hub.lock', (pid) =>
    new HubStartError(pid ? `Another hub (pid ${pid}) is already running on ${dir}. Stop it first, or use another --data folder.` : `Could not lock ${dir}.`),
  );
}
