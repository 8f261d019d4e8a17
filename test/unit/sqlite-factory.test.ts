import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/station-process.js';

/** Every source file the app, CLI, benchmarks and scripts are built from. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx|cts|mts|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}

const FACTORY = join('electron', 'station', 'catalog', 'sqlite.ts');

describe('one SQLite factory per process', () => {
  it('only catalog/sqlite.ts imports better-sqlite3 or constructs a Database (so every open gets the process binding)', () => {
    const files = ['electron', 'bench', 'scripts', 'shared', 'renderer/src'].flatMap((d) => sources(join(repoRoot, d)));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((f) => relative(repoRoot, f) !== FACTORY)
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return /(?:from|import\(|require\()\s*['"]better-sqlite3['"]/.test(text) || /new\s+Database\s*\(/.test(text);
      });
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('the factory itself is where the binding is applied', () => {
    const text = readFileSync(join(repoRoot, FACTORY), 'utf8');
    expect(text).toMatch(/from 'better-sqlite3'/);
    expect(text).toMatch(/nativeBinding/);
  });
});
