/**
 * `packwitness hub add-user`: an office account made from the command line, for the first admin or
 * when every admin has forgotten their password. It opens the hub's database itself, so it takes the
 * data folder's lock: while the hub runs it refuses and says so (the running hub's Users page, or
 * POST /api/users with the admin token, adds accounts then). Opening the embedded PostgreSQL from a
 * second process would mean two servers on one data directory. With --database (an external
 * PostgreSQL) it works beside a running hub.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { HubNewUser, HUB_PASSWORD_MIN, type HubUser } from '../../shared/api.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../hub/db/embedded-postgres.js';
import { migrateHub, openHubPool, type HubPool } from '../hub/db/hub-database.js';
import { lockHubDir, HubStartError } from '../hub/hub.js';
import { recordEvent } from '../hub/hub-events.js';
import { createUser, UserRefusedError } from '../hub/users.js';

export class HubUserCommandError extends Error {
  override name = 'HubUserCommandError';
}

/** The first line of stdin, without its line end. */
async function readPassword(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function addHubUser(o: { dataDir: string; name: string; role: 'admin' | 'service'; database?: string; stdin: Readable }): Promise<HubUser> {
  const password = await readPassword(o.stdin);
  if (password.length < HUB_PASSWORD_MIN) throw new HubUserCommandError(`The password is too short: give at least ${HUB_PASSWORD_MIN} characters on stdin.`);
  const checked = HubNewUser.safeParse({ name: o.name, role: o.role, password });
  if (!checked.success) throw new HubUserCommandError(`That account cannot be made: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}.`);
  const dir = resolve(o.dataDir);
  // An external PostgreSQL is shared safely (the account changes lock their table); the embedded one
  // belongs to the process holding the folder's lock.
  let release: () => void = () => undefined;
  try {
    if (!o.database) {
      // Before the hub's first start, add-user makes its folder (the first admin can come first).
      mkdirSync(dir, { recursive: true });
      release = lockHubDir(dir);
    }
  } catch (err) {
    if (err instanceof HubStartError && /already running/.test(err.message)) {
      throw new HubUserCommandError(`The hub is running on ${dir}: add the account on its Users page (as an admin), or stop the hub and run this again.`);
    }
    throw err;
  }
  let embedded: EmbeddedPostgres | null = null;
  let pool: HubPool | null = null;
  try {
    let url = o.database;
    if (!url) {
      embedded = await startEmbeddedPostgres(dir);
      url = embedded.connectionString;
    }
    pool = openHubPool(url);
    await migrateHub(pool);
    const user = await createUser(pool, checked.data);
    await recordEvent(pool, { kind: 'user-created', actor: 'command-line', detail: { user: user.name, role: user.role } });
    return user;
  } catch (err) {
    if (err instanceof UserRefusedError) throw new HubUserCommandError(err.message);
    throw err;
  } finally {
    await pool?.end().catch(() => undefined);
    await embedded?.stop();
    release();
  }
}
