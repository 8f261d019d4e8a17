import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, prepareDataDir, resolveDataDir } from '../../electron/station/data-dir.js';

describe('a moved data folder', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'pw-pointer-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const point = (from: string, to: unknown) => writeFileSync(join(from, 'MOVED-TO.json'), JSON.stringify({ movedTo: to, from }));

  it('is found through the pointer left in the old folder', () => {
    const [old, now] = [temp(), temp()];
    point(old, now);
    expect(resolveDataDir(old)).toBe(now);
    expect(prepareDataDir(old)).toBe(now);
    expect(resolveDataDir(now)).toBe(now);
  });

  it('follows one hop only: a folder moved twice is named, not chased', () => {
    const [a, b, c] = [temp(), temp(), temp()];
    point(a, b);
    point(b, c);
    expect(() => resolveDataDir(a)).toThrow(DataDirError);
    expect(() => resolveDataDir(a)).toThrow(`The data folder moved from ${a} to ${b}, which was moved again; pass the current folder with --data DIR.`);
  });

  it('refuses a pointer it cannot read, in one sentence', () => {
    const a = temp();
    writeFileSync(join(a, 'MOVED-TO.json'), '{not json');
    expect(() => resolveDataDir(a)).toThrow(/MOVED-TO\.json is unreadable \(.*\); fix it or pass the new folder with --data DIR\.$/);
    point(a, 'relative/path');
    expect(() => resolveDataDir(a)).toThrow(/does not name a folder/);
  });
});
