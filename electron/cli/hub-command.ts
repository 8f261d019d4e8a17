/**
 * `packwitness hub`: the warehouse hub (issue 16). Prints `READY <url>` once it answers; the URL
 * carries the admin token. SIGINT/SIGTERM stop the HTTP server, then PostgreSQL.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { Hub, HubStartError } from '../hub/hub.js';
import { EmbeddedPostgresError } from '../hub/db/embedded-postgres.js';
import { HubDatabaseTooNewError } from '../hub/db/hub-database.js';
import { HUB_DEFAULT_PORT } from '../hub/limits.js';

const KNOWN = [HubStartError, EmbeddedPostgresError, HubDatabaseTooNewError];

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
  program
    .command('hub')
    .description("the warehouse hub: every station's clips in one searchable place, with a second copy of their footage; prints READY <url> when it answers")
    .requiredOption('--data <dir>', 'the hub data folder (embedded PostgreSQL, footage)')
    .option('--port <n>', 'HTTP port (0 = any free port)', port, HUB_DEFAULT_PORT)
    .option('--host <addr>', 'address to listen on (0.0.0.0 for the office network)', '127.0.0.1')
    .option('--token <t>', 'admin API token for scripts (random when not given; the READY URL carries it)')
    .option('--database <url>', 'an existing PostgreSQL server (postgres://…) instead of the embedded one', database)
    .action(async (o: { data: string; port: number; host: string; token?: string; database?: string }) => {
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
}
