/**
 * `npm run bench` runs every benchmark; `node dist/bench/run.js recording` runs only those named.
 *
 * Each benchmark writes bench/results/<name>.json and prints a short table. A missed target is a
 * result, not a failure: the exit code is non-zero only when a benchmark could not run.
 */

import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchmarkModule {
  run: () => Promise<{ meetsTarget: boolean | null; failed: boolean }>;
}

/**
 * Every module next to this one that exports `run()` is a benchmark, named after its file
 * (recording.ts → `recording`); helpers (proc.ts, …) export no `run` and are skipped. Adding a
 * benchmark is adding a file: nothing to register here.
 */
const here = dirname(fileURLToPath(import.meta.url));
const candidates = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .map((f) => f.slice(0, -'.js'.length))
  .sort();

async function load(name: string): Promise<BenchmarkModule | null> {
  const mod = (await import(`./${name}.js`)) as Partial<BenchmarkModule>;
  return typeof mod.run === 'function' ? (mod as BenchmarkModule) : null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: node dist/bench/run.js [name …]   (no name: every benchmark in ${here})`);
    return 0;
  }
  if (process.platform !== 'linux') {
    console.error('bench: the benchmarks read CPU time from /proc and run on Linux only');
    return 2;
  }
  // Named ones are loaded one by one (naming one does not load the others); no name loads them all.
  const names = argv.length ? argv : candidates;
  const modules = new Map<string, BenchmarkModule>();
  for (const name of names) {
    const mod = candidates.includes(name) ? await load(name) : null;
    if (mod) modules.set(name, mod);
    else if (argv.length) {
      const known: string[] = [];
      for (const c of candidates) if (await load(c)) known.push(c);
      console.error(`bench: unknown benchmark ${name}; known: ${known.join(', ')}`);
      return 2;
    }
  }
  let code = 0;
  const summary: string[] = [];
  for (const [name, mod] of modules) {
    try {
      const r = await mod.run();
      if (r.failed) code = 1;
      summary.push(`${name}: ${r.failed ? 'some measurements failed; ' : ''}target ${r.meetsTarget === null ? 'not evaluated' : r.meetsTarget ? 'met' : 'missed'}`);
    } catch (err) {
      code = 1;
      summary.push(`${name}: could not run (${err instanceof Error ? err.message : String(err)})`);
      console.error(err);
    }
  }
  for (const line of summary) console.log(`bench ${line}`);
  return code;
}

process.exitCode = await main(process.argv.slice(2));
