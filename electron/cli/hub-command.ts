/**
 * `packwitness hub`: the warehouse hub. Prints `READY <url>` once it answers; the URL
 * carries the admin token. SIGINT/SIGTERM stop the HTTP server, then PostgreSQL.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { Hub, HubStartError } from '../hub/hub.js';
import { EmbeddedPostgresError } from '../hub/db/embedded-postgres.js';
import { HubDatabaseTooNewError } from '../hub/db/hub-database.js';
import { HUB_DEFAULT_PORT } from '../hub/limits.js';
import { addHubUser, HubUserCommandError } from './hub-user-command.js';

const KNOWN = [HubStartError, EmbeddedPostgresError, HubDatabaseTooNewError, HubUserCommandError];

function fail(err: unknown): never {
  if (KNOWN.some((E) => err instanceof E)) {
    process.stderr.write(`packwitness: ${(err as Error).message}\n`);
  } else {
    process.stderr.write(`packwitness: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
}

function database(value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw new InvalidArgumentError('a PostgreSQL URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  return value;
}

export function registerHubCommand(program: Command, port: (v: string) => number): void {
  // `hub --data DIR` and `hub add-user --data DIR` both have --data: each command reads its own
  // options (after its name), so hub's checks do not run for add-user.
  program.enablePositionalOptions();
  const hubCommand = program
    .command('hub')
    .enablePositionalOptions()
    .description("the warehouse hub: every station's clips in one searchable place, with a second copy of their footage; prints READY <url> when it answers")
    .option('--data <dir>', 'the hub data folder (embedded PostgreSQL, footage)')
    .option('--port <n>', 'HTTP port (0 = any free port)', port, HUB_DEFAULT_PORT)
    .option('--host <addr>', 'address to listen on (0.0.0.0 for the office network)', '127.0.0.1')
    .option('--token <t>', 'admin API token for scripts (random when not given; the READY URL carries it)')
    .option('--database <url>', 'an existing PostgreSQL server (postgres://…) instead of the embedded one', database)
    .action(async (o: { data?: string; port: number; host: string; token?: string; database?: string }) => {
      if (!o.data) {
        process.stderr.write("packwitness: the hub needs its data folder: packwitness hub --data DIR\n");
        process.exit(1);
      }
      const hub = new Hub({ dataDir: o.data, port: o.port, host: o.host, token: o.token, database: o.database });
      let stopping = false;
      const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`packwitness: ${signal} received, stopping the hub…\n`);
        hub.stop().then(
          () => process.exit(0),
          (err) => fail(err),
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      try {
        await hub.start();
      } catch (err) {
        if (stopping) return;
        fail(err);
      }
      process.stdout.write(`READY ${hub.url}\n`);
    });
  registerHubAddUser(hubCommand);
}

function role(value: string): 'admin' | 'service' {
  if (value !== 'admin' && value !== 'service') throw new InvalidArgumentError('admin or service');
  return value;
}

export function registerHubAddUser(hubCommand: Command): void {
  hubCommand
    .command('add-user')
    .description('add an office account to a stopped hub (the password is read from stdin); while the hub runs, an admin adds accounts on its Users page')
    .requiredOption('--data <dir>', 'the hub data folder')
    .requiredOption('--name <name>', 'the name the person logs in with')
    .requiredOption('--role <role>', 'admin (pairs stations, manages accounts) or service (searches, plays, exports)', role)
    .option('--password-stdin', 'read the password from stdin (the default; kept for scripts that say so)')
    .option('--database <url>', 'the hub’s external PostgreSQL (postgres://…), when it was started with --database', database)
    .action(async (o: { data: string; name: string; role: 'admin' | 'service'; database?: string }) => {
      try {
        const user = await addHubUser({ dataDir: o.data, name: o.name, role: o.role, database: o.database, stdin: process.stdin });
        process.stdout.write(`added ${user.role} ${JSON.stringify(user.name)} (account ${user.id})\n`);
        process.exit(0);
      } catch (err) {
        fail(err);
      }
    });
}
