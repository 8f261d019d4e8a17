import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../helpers/electron-binary.js';

/** An electron package folder as npm leaves it: path.txt only once the download ran, dist/ with the binary. */
function fakePackage(o: { pathTxt?: string; binary?: boolean }): string {
  const pkg = mkdtempSync(join(tmpdir(), 'pw-electron-pkg-'));
  if (o.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), o.pathTxt);
  if (o.binary) {
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', o.pathTxt ?? 'electron'), '');
  }
  return pkg;
}

describe('the Electron binary the shell e2e test launches', () => {
  it('is missing, with the reason, when the package never downloaded it', () => {
    const r = electronBinary({}, fakePackage({}));
    expect(r).toEqual({ missing: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH') });
  });

  it('is missing when path.txt names a binary that is not there', () => {
    const pkg = fakePackage({ pathTxt: 'electron' });
    expect(electronBinary({}, pkg)).toEqual({ missing: expect.stringContaining(join(pkg, 'dist', 'electron')) });
  });

  it('is the package’s own binary once downloaded', () => {
    const pkg = fakePackage({ pathTxt: 'electron', binary: true });
    expect(electronBinary({}, pkg)).toEqual({ path: join(pkg, 'dist', 'electron') });
  });

  it('is the one in ELECTRON_OVERRIDE_DIST_PATH when set, and missing when that folder lacks it', () => {
    const pkg = fakePackage({ pathTxt: 'electron', binary: true });
    const dist = mkdtempSync(join(tmpdir(), 'pw-electron-dist-'));
    expect(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist }, pkg)).toEqual({ missing: expect.stringContaining(dist) });
    writeFileSync(join(dist, 'electron'), '');
    expect(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist }, pkg)).toEqual({ path: join(dist, 'electron') });
  });
});
