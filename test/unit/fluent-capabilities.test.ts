/**
 * What fluent-ffmpeg starts besides the command it was given. Before its first command in a process
 * it checks the formats and encoders by running `ffmpeg -formats` and `ffmpeg -encoders` itself,
 * spawned without windowsHide (a console window can flash on Windows), outside runFluent's rules;
 * it keeps the answers for the process. It has no public way to skip the check or give it the
 * answers (fluent-run.ts). This pins that down: a new fluent-ffmpeg that starts anything else, or
 * checks again per command, fails here. ffmpeg is a wrapper script that logs its arguments and runs
 * the real one.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { describe, expect, it } from 'vitest';
import { runFluent } from '../../electron/station/ffmpeg/fluent-run.js';
import { ffmpegBin } from '../helpers/media.js';

describe('fluent-ffmpeg’s own ffmpeg runs', () => {
  it.skipIf(process.platform === 'win32')('are its capability check, once per process, before the first command', async () => {
    const dir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-fluent-'));
    const calls = join(dir, 'calls.log');
    const wrapper = join(dir, 'ffmpeg');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec '${await ffmpegBin()}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    // A clip-like command: an MP4 cut from a test picture.
    const clip = (n: number) =>
      ffmpeg()
        .setFfmpegPath(wrapper)
        .input('testsrc=size=64x48:rate=10:duration=0.5')
        .inputFormat('lavfi')
        .videoCodec('libx264')
        .outputOptions(['-movflags', '+faststart'])
        .output(join(dir, `clip-${n}.mp4`));
    await runFluent(clip(1));
    await runFluent(clip(2));
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['-formats', '-encoders']);
    expect(lines.slice(2).map((l) => l.includes('testsrc'))).toEqual([true, true]);
  });
});
