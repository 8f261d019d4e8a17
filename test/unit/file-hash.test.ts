import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File, spareHashBuffers } from '../../electron/station/catalog/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): { path: string; sha: string } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, sha: createHash('sha256').update(bytes).digest('hex') };
}

describe('sha256File', () => {
  it('hashes an empty file, a small one, and files across and exactly at the read-buffer boundary', async () => {
    for (const [name, size] of [['empty', 0], ['small', 1000], ['one-mib', 1024 * 1024], ['odd', 3 * 1024 * 1024 + 17]] as const) {
      const f = file(name, randomBytes(size));
      expect(await sha256File(f.path), name).toBe(f.sha);
    }
  });

  it('gives each of many overlapping hashes its own buffer: every digest is right', async () => {
    const files = Array.from({ length: 12 }, (_, i) => file(`c${i}`, randomBytes(1024 * 1024 + i * 70_001)));
    const got = await Promise.all(files.map((f) => sha256File(f.path)));
    expect(got).toEqual(files.map((f) => f.sha));
    // Reuse is bounded: twelve overlapping hashes leave at most four buffers behind.
    expect(spareHashBuffers()).toBeLessThanOrEqual(4);
    expect(spareHashBuffers()).toBeGreaterThan(0);
  });

  it('rejects for a missing file and still hashes afterwards', async () => {
    await expect(sha256File(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    const f = file('after', randomBytes(5000));
    expect(await sha256File(f.path)).toBe(f.sha);
  });
});
