/**
 * `npm run bench` runs every benchmark; `node dist/bench/run.js recording` runs only those named.
 *
 * Each benchmark writes bench/results/<name>.json and prints a short table. A missed target is a
 * result, not a failure: the exit code is non-zero only when a benchmark could not run.
 */

interface BenchmarkModule {
  run: () => Promise<{ meetsTarget: boolean | null; failed: boolean }>;
}

/** Loaded lazily, so naming one benchmark does not load the others. */
const BENCHMARKS: Record<string, () => Promise<BenchmarkModule>> = {
  recording: () => import('./recording.js'),
};

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: node dist/bench/run.js [${Object.keys(BENCHMARKS).join(' | ')} …]   (no name: all)`);
    return 0;
  }
  const names = argv.length ? argv : Object.keys(BENCHMARKS);
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  if (process.platform !== 'linux') {
    console.error('bench: the benchmarks read CPU time from /proc and run on Linux only');
    return 2;
  }
  let code = 0;
  const summary: string[] = [];
  for (const name of names) {
    try {
      const mod = await BENCHMARKS[name]!();
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
