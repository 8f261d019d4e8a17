import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/station-process.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]!);

describe('process boundaries', () => {
  it('the station core never imports Electron (it must run headless)', () => {
    const offenders = sources(join(repoRoot, 'electron', 'station'))
      .concat(sources(join(repoRoot, 'electron', 'cli')))
      .filter((f) => importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/')));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('the renderer and the shared contract never import Node modules', () => {
    const files = [...sources(join(repoRoot, 'renderer', 'src')), ...sources(join(repoRoot, 'shared'))];
    const offenders = files.filter((f) => importsOf(f).some((i) => i.startsWith('node:') || ['fs', 'path', 'child_process', 'better-sqlite3', 'fluent-ffmpeg'].includes(i)));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
