import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipBundle } from '../../electron/station/evidence/bundle.js';
import { useNativeZipCrc } from '../../electron/station/evidence/zip-crc.js';

describe('bundle zips with the native CRC-32', () => {
  it('is switched on, and every entry carries the CRC that zlib and Python’s zipfile agree on', async () => {
    expect(useNativeZipCrc()).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'pw-zip-'));
    const bundle = join(dir, 'bundle');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bundle);
    // Larger than one read chunk, so the running CRC is carried from chunk to chunk.
    const video = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(bundle, 'clip.mp4'), video);
    writeFileSync(join(bundle, 'notes.txt'), 'SF1234567890123\n'.repeat(1000));
    const zip = join(dir, 'bundle.zip');
    const digest = await zipBundle(bundle, zip, { paths: ['clip.mp4', 'notes.txt'] });
    expect(digest.bytes).toBeGreaterThan(video.length);
    const listed = execFileSync(
      'python3',
      ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(f"{i.filename} {i.CRC}" for i in z.infolist()))', zip],
      { encoding: 'utf8' },
    );
    expect(listed).toContain(`bundle/clip.mp4 ${crc32(video)}`);
  });
});
