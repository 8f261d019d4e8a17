/**
 * Zipping a bundle folder that lacks a file its list names (deleted meanwhile, a folder in its place):
 * the zip fails with the file system's error and leaves nothing, instead of an unheard 'error' event
 * ending the process (as it did for the hub's exports before they checked their files first).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipBundle } from '../../electron/station/evidence/bundle.js';

describe('zipBundle with a listed file missing', () => {
  it('rejects with the missing file and leaves no zip or partial file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pw-zip-missing-'));
    const dir = join(root, 'bundle');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), '{}\n');
    const zip = join(root, 'bundle.zip');
    await expect(zipBundle(dir, zip, { paths: ['manifest.json', 'clip.mp4'] })).rejects.toThrow(/ENOENT.*clip\.mp4/);
    expect(existsSync(zip)).toBe(false);
    expect(existsSync(`${zip}.partial`)).toBe(false);
    // And one that has them all still zips.
    writeFileSync(join(dir, 'clip.mp4'), Buffer.alloc(1000, 1));
    const made = await zipBundle(dir, zip, { paths: ['manifest.json', 'clip.mp4'] });
    expect(made.bytes).toBeGreaterThan(1000);
  });
});
