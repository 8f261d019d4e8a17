/**
 * npm 11 runs a dependency's install scripts only when package.json's `allowScripts` names it; an npm
 * that enforces it would otherwise install better-sqlite3 without its native build, esbuild (Vite)
 * without its binary, and ffmpeg without its execute bit, and the build or the station would fail
 * later with a far-off error. package-lock.json records which packages have install scripts
 * (`hasInstallScript`), for every platform's optional packages too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/station-process.js';

interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
}
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

const withScripts = Object.entries(lock.packages)
  .filter(([path, e]) => path !== '' && e.hasInstallScript === true)
  .map(([path, e]) => ({ name: packageName(path), version: e.version ?? '' }));

/** An entry covers a package by name, or by name@version (what `npm install-scripts approve` may write). */
function allowed(name: string, version: string): boolean | undefined {
  return pkg.allowScripts?.[`${name}@${version}`] ?? pkg.allowScripts?.[name];
}

describe('install scripts (npm allowScripts)', () => {
  it('finds the packages whose scripts the build relies on in the lock file', () => {
    const names = withScripts.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['better-sqlite3', 'esbuild', 'electron-winstaller', '@ffmpeg-installer/linux-x64']));
  });

  it('allows every dependency with an install script in package-lock.json', () => {
    const missing = withScripts.filter((p) => allowed(p.name, p.version) !== true).map((p) => `${p.name}@${p.version}`);
    expect(missing, 'declare them in package.json "allowScripts" (npm install-scripts approve <name>)').toEqual([]);
  });

  it('allows nothing that is not in the lock file with an install script (no stale or blanket approvals)', () => {
    const names = new Set(withScripts.flatMap((p) => [p.name, `${p.name}@${p.version}`]));
    const extra = Object.keys(pkg.allowScripts ?? {}).filter((k) => !names.has(k));
    expect(extra).toEqual([]);
  });
});
