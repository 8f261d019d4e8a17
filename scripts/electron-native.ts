/**
 * `npm run rebuild:electron`: builds better-sqlite3 for Electron's ABI into build/electron-native/,
 * leaving node_modules (Node's ABI, used by `npm test` and the CLI) untouched. `npm start` and
 * `npm run dist` run it with --if-missing: it does nothing when the stamp matches the installed
 * Electron and better-sqlite3.
 *
 * How: better-sqlite3 is copied (without its build) into build/electron-native/work/ and
 * @electron/rebuild runs there: it first fetches the prebuilt Electron binary (prebuild-install),
 * else compiles it with node-gyp against Electron's headers. Both need the internet, once.
 * (electron-builder's own npmRebuild would rebuild node_modules in place and break `npm test`,
 * so electron-builder.yml turns it off.)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_NATIVE_BINDING, ELECTRON_NATIVE_DIR, ELECTRON_NATIVE_STAMP, type NativeStamp } from '../electron/native-binding.js';

/** A prebuilt download takes seconds and a node-gyp compile a few minutes; more means it is stuck. */
const REBUILD_LIMIT_MS = 10 * 60_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

export function wantedStamp(): NativeStamp {
  return { electron: installedVersion('electron'), betterSqlite3: installedVersion('better-sqlite3'), platform: process.platform, arch: process.arch };
}

export function isUpToDate(): boolean {
  const stampFile = join(root, ELECTRON_NATIVE_STAMP);
  if (!existsSync(join(root, ELECTRON_NATIVE_BINDING)) || !existsSync(stampFile)) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(stampFile, 'utf8'))) === JSON.stringify(wantedStamp());
  } catch {
    return false;
  }
}

async function build(): Promise<void> {
  const stamp = wantedStamp();
  const work = join(root, ELECTRON_NATIVE_DIR, 'work');
  const moduleDir = join(work, 'node_modules', 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(dirname(moduleDir), { recursive: true });
  cpSync(dirname(require.resolve('better-sqlite3/package.json')), moduleDir, { recursive: true, filter: (src) => !/[\\/]better-sqlite3[\\/]build([\\/]|$)/.test(src) });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'electron-native-work', private: true, dependencies: { 'better-sqlite3': stamp.betterSqlite3 } }));
  const { rebuild } = (await import('@electron/rebuild')) as typeof import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion: stamp.electron, arch: stamp.arch, onlyModules: ['better-sqlite3'], force: true, projectRootPath: work });
  const built = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`the rebuild finished but ${built} is missing`);
  copyFileSync(built, join(root, ELECTRON_NATIVE_BINDING));
  writeFileSync(join(root, ELECTRON_NATIVE_STAMP), `${JSON.stringify(stamp)}\n`);
  rmSync(work, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const ifMissing = process.argv.includes('--if-missing');
  if (ifMissing && isUpToDate()) return;
  const s = wantedStamp();
  process.stderr.write(`electron-native: building better-sqlite3 ${s.betterSqlite3} for Electron ${s.electron} (${s.platform}-${s.arch}) into ${ELECTRON_NATIVE_DIR}/\n`);
  // Offline, node-gyp keeps retrying its header download for minutes: give up with a sentence instead.
  const limit = setTimeout(() => {
    process.stderr.write(`electron-native: no result after ${REBUILD_LIMIT_MS / 60_000} min (offline?); node_modules was not changed.\n`);
    process.exit(1);
  }, REBUILD_LIMIT_MS);
  limit.unref();
  try {
    await build();
    clearTimeout(limit);
  } catch (err) {
    process.stderr.write(
      `electron-native: could not build better-sqlite3 for Electron (${(err as Error).message.split('\n')[0]}). It needs the internet once (prebuilt binary or Electron's headers); node_modules was not changed.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`electron-native: ${ELECTRON_NATIVE_BINDING} ready\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
