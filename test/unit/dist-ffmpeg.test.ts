/**
 * The installer's ffmpeg (scripts/dist-ffmpeg.ts) and the packaged app finding it (locate.ts).
 * No ffmpeg 6+ exists on these machines: the accepted case runs a stand-in script that prints what a
 * 7.1 build prints; the refused case runs the real 2018 build npm installs.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateFfmpeg, shippedFfmpegPath } from '../../electron/station/ffmpeg/locate.js';
import { DIST_FFMPEG_STAMP, DistFfmpegError, prepareDistFfmpeg } from '../../scripts/dist-ffmpeg.js';

const npmFfmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'pw-dist-ffmpeg-'));

/** A folder as a static build unpacks: bin/ffmpeg and a licence, the binary printing a 7.1 version. */
function currentBuild(): string {
  const dir = tmp();
  mkdirSync(join(dir, 'bin'));
  const bin = join(dir, 'bin', 'ffmpeg');
  writeFileSync(bin, '#!/bin/sh\nprintf "ffmpeg version 7.1.1-static https://example.org\\nlibavutil      59. 39.100 / 59. 39.100\\nlibavformat    61.  7.100 / 61.  7.100\\n"\n');
  chmodSync(bin, 0o755);
  writeFileSync(join(dir, 'LICENSE.txt'), 'GPL v3\n');
  return dir;
}

describe('npm run dist: the ffmpeg the installer ships', () => {
  it('is refused with one sentence when none is named, the name is wrong, or the folder holds none', () => {
    const out = join(tmp(), 'ffmpeg');
    expect(() => prepareDistFfmpeg(undefined, out)).toThrow(/^Set PACKWITNESS_DIST_FFMPEG to a static ffmpeg 6\.0 or newer/);
    expect(() => prepareDistFfmpeg('/nowhere/ffmpeg', out)).toThrow('PACKWITNESS_DIST_FFMPEG names /nowhere/ffmpeg, which does not exist.');
    const empty = tmp();
    expect(() => prepareDistFfmpeg(empty, out)).toThrow(`${empty} holds no ffmpeg (looked in it and in its bin/ folder).`);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses npm's 2018 ffmpeg 4.1 as older than 6.0 and copies nothing", () => {
    const out = join(tmp(), 'ffmpeg');
    expect(() => prepareDistFfmpeg(npmFfmpeg, out)).toThrow(DistFfmpegError);
    expect(() => prepareDistFfmpeg(npmFfmpeg, out)).toThrow(/\(libavformat 58\.\d+\.\d+\), older than 6\.0; the installer needs a current one\.$/);
    expect(existsSync(out)).toBe(false);
  });

  it('copies a current build from its folder with its licence and a stamp of what it is', () => {
    const from = currentBuild();
    const out = join(tmp(), 'ffmpeg');
    const stamp = prepareDistFfmpeg(from, out, 'linux');
    expect(stamp).toMatchObject({ source: join(from, 'bin', 'ffmpeg'), lavf: [61, 7, 100], major: 7, licences: ['LICENSE.txt'] });
    const copied = readFileSync(join(out, 'ffmpeg'));
    expect(copied.equals(readFileSync(join(from, 'bin', 'ffmpeg')))).toBe(true);
    expect(stamp.sha256).toBe(createHash('sha256').update(copied).digest('hex'));
    expect(readFileSync(join(out, 'LICENSE.txt'), 'utf8')).toBe('GPL v3\n');
    expect(JSON.parse(readFileSync(join(out, DIST_FFMPEG_STAMP), 'utf8'))).toEqual(stamp);
  });
});

describe('the packaged app finds the ffmpeg its installer shipped', () => {
  const saved = (process as { resourcesPath?: string }).resourcesPath;
  const savedEnv = process.env.PACKWITNESS_FFMPEG;
  afterEach(() => {
    (process as { resourcesPath?: string }).resourcesPath = saved;
    if (savedEnv === undefined) delete process.env.PACKWITNESS_FFMPEG;
    else process.env.PACKWITNESS_FFMPEG = savedEnv;
  });

  it('prefers resources/ffmpeg/ffmpeg to the npm package as the bundled ffmpeg, and falls back without it', async () => {
    const resources = tmp();
    expect(shippedFfmpegPath(resources)).toBeNull();
    expect(shippedFfmpegPath(undefined)).toBeNull();
    mkdirSync(join(resources, 'ffmpeg'));
    // A real ffmpeg standing where an installer puts its own (a link: the test needs no 70 MB copy).
    symlinkSync(npmFfmpeg, join(resources, 'ffmpeg', 'ffmpeg'));
    expect(shippedFfmpegPath(resources)).toBe(join(resources, 'ffmpeg', 'ffmpeg'));

    (process as { resourcesPath?: string }).resourcesPath = resources;
    const found = await locateFfmpeg('bundled');
    expect(found).toMatchObject({ path: join(resources, 'ffmpeg', 'ffmpeg'), source: 'bundled', major: 4 });
    (process as { resourcesPath?: string }).resourcesPath = undefined;
    expect((await locateFfmpeg('bundled')).path).toBe(npmFfmpeg);
  });
});
