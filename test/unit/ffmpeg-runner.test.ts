import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFluent } from '../../electron/station/ffmpeg/fluent-run.js';
import { FfmpegError, ffmpegSaid, runFfmpeg, spawnFfmpeg } from '../../electron/station/ffmpeg/runner.js';
import { ffmpegBin } from '../helpers/media.js';
import { repoRoot } from '../helpers/station-process.js';
import { alive } from '../helpers/processes.js';

/** A test picture that never ends, read at its own rate: ffmpeg runs until it is killed. */
const FOREVER = ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-f', 'null', '-'];

async function failure(p: Promise<unknown>): Promise<FfmpegError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FfmpegError);
  return err as FfmpegError;
}

let bin: string;
let dir: string;
beforeAll(async () => {
  bin = await ffmpegBin();
  dir = mkdtempSync(join(tmpdir(), 'pw-runner-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ffmpeg runner', () => {
  it('kills an ffmpeg that runs past its time-out', async () => {
    const proc = spawnFfmpeg(bin, FOREVER, { timeoutMs: 400 });
    const pid = proc.pid!;
    expect(alive(pid)).toBe(true);
    const end = await proc.ended;
    expect(end).toMatchObject({ failure: 'timeout', signal: 'SIGKILL' });
    expect(end.error?.message).toMatch(/^ffmpeg gave no result within 400 ms/);
    expect(alive(pid)).toBe(false);
    await expect(runFfmpeg(bin, FOREVER, { timeoutMs: 300 })).rejects.toMatchObject({ failure: 'timeout' });
  });

  it('kills an ffmpeg when its AbortSignal fires, and starts none for a signal already aborted', async () => {
    const ac = new AbortController();
    const proc = spawnFfmpeg(bin, FOREVER, { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const end = await proc.ended;
    expect(end).toMatchObject({ failure: 'aborted', signal: 'SIGKILL' });
    expect(alive(proc.pid!)).toBe(false);
    const err = await failure(runFfmpeg(bin, FOREVER, { signal: ac.signal }));
    expect(err.failure).toBe('aborted');
  });

  it('names what ffmpeg said about a bad input, never its banner', async () => {
    // No -hide_banner: the banner and the configuration go to stderr first.
    const err = await failure(runFfmpeg(bin, ['-nostdin', '-i', join(dir, 'missing.mp4'), '-f', 'null', '-']));
    expect(err.failure).toBe('exit');
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/ffmpeg version/);
    expect(err.said).toMatch(/missing\.mp4: No such file or directory/);
    expect(err.message).toMatch(/^ffmpeg exited with code 1: .*missing\.mp4: No such file or directory/);
    expect(err.message).not.toMatch(/ffmpeg version|configuration:|libavformat/);
  });

  it('stops an ffmpeg that writes more than its output cap', async () => {
    const err = await failure(runFfmpeg(bin, ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'rawvideo', '-'], { maxStdoutBytes: 500_000 }));
    expect(err.failure).toBe('output-cap');
    expect(err.signal).toBe('SIGKILL');
    expect(err.message).toBe('ffmpeg wrote more than 500000 bytes of output');
  });

  it('keeps stderr bounded: its start and its end', async () => {
    const { stderr } = await runFfmpeg(bin, ['-nostdin', '-loglevel', 'debug', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25:duration=2', '-f', 'null', '-'], { stderrBytes: 4_000 });
    expect(stderr.length).toBeLessThan(4_100);
    expect(stderr).toMatch(/^ffmpeg version/);
    expect(stderr).toMatch(/\[… \d+ characters left out …\]/);
    // The last lines ffmpeg writes on its way out are there.
    expect(stderr.slice(-1_000)).toMatch(/video:\d+kB|Exiting|muxing overhead|frame=/);
  });

  it('returns stdout whole within the cap', async () => {
    const { stdout } = await runFfmpeg(bin, ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'color=c=red:size=16x16:rate=5:duration=1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(stdout.length).toBe(5 * 16 * 16);
  });

  it('says when ffmpeg cannot be started', async () => {
    const err = await failure(runFfmpeg(join(dir, 'no-ffmpeg-here'), ['-version']));
    expect(err).toMatchObject({ failure: 'spawn', errno: 'ENOENT' });
    expect(err.message).toMatch(/^ffmpeg could not be started: /);
  });

  it('hands a file descriptor to ffmpeg as its stderr (the recording run)', async () => {
    const file = join(dir, 'stderr.log');
    const fd = openSync(file, 'a');
    const proc = spawnFfmpeg(bin, ['-hide_banner', '-nostdin', '-i', join(dir, 'also-missing.ts'), '-f', 'null', '-'], { stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    const end = await proc.ended;
    expect(end.failure).toBe('exit');
    expect(end.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/also-missing\.ts: No such file or directory/);
  });
});

describe('what ffmpeg said', () => {
  it('is the first error line and the last, without the banner, stream listing or "Conversion failed!"', () => {
    const stderr = [
      'ffmpeg version 4.1 Copyright (c) 2000-2018 the FFmpeg developers',
      '  configuration: --enable-gpl',
      '  libavformat    58. 20.100 / 58. 20.100',
      "Input #0, lavfi, from 'testsrc':",
      '    Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24, 320x240',
      '[tcp @ 0x55] Connection to tcp://rtsp://admin:secret@10.0.0.5:554 failed: Connection refused',
      'rtsp://admin:secret@10.0.0.5:554/x: Connection refused',
      'Conversion failed!',
    ].join('\n');
    expect(ffmpegSaid(stderr)).toBe('[tcp @ 0x55] Connection to tcp://rtsp://admin:***@10.0.0.5:554 failed: Connection refused (then: rtsp://admin:***@10.0.0.5:554/x: Connection refused)');
    expect(ffmpegSaid('ffmpeg version 4.1\n  built with gcc\nAt least one output file must be specified\n')).toBe('At least one output file must be specified');
    expect(ffmpegSaid('ffmpeg version 4.1\n  built with gcc\n')).toBe('');
  });
});

describe('a fluent-ffmpeg command run by the runner', () => {
  it('fails with what ffmpeg said, and is killed by its AbortSignal', async () => {
    const bad = ffmpeg().setFfmpegPath(bin).input(join(dir, 'gone.mp4')).inputOptions(['-nostdin']).output(join(dir, 'out.mp4')).outputOptions(['-f', 'mp4']);
    const err = await failure(runFluent(bad));
    expect(err.failure).toBe('exit');
    expect(err.said).toMatch(/gone\.mp4: No such file or directory/);
    expect(err.message).not.toMatch(/ffmpeg version|configuration:/);

    // Aborted once it reports progress, so the kill reaches a running ffmpeg.
    const ac = new AbortController();
    const endless = ffmpeg().setFfmpegPath(bin).input('testsrc=size=64x48:rate=10').inputOptions(['-nostdin', '-re', '-f', 'lavfi']).output('-').outputOptions(['-f', 'null']).on('progress', () => ac.abort());
    const aborted = await failure(runFluent(endless, { signal: ac.signal }));
    expect(aborted).toMatchObject({ failure: 'aborted', signal: 'SIGKILL' });
  });

  it('is killed by its time-out', async () => {
    const endless = ffmpeg().setFfmpegPath(bin).input('testsrc=size=64x48:rate=10').inputOptions(['-nostdin', '-re', '-f', 'lavfi']).output('-').outputOptions(['-f', 'null']);
    const err = await failure(runFluent(endless, { timeoutMs: 500 }));
    expect(err.failure).toBe('timeout');
  });
});

describe('who starts ffmpeg', () => {
  const sources = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? sources(join(d, f)) : /\.ts$/.test(f) ? [join(d, f)] : []));
  const files = [...sources(join(repoRoot, 'electron', 'station')), ...sources(join(repoRoot, 'electron', 'cli'))];
  const importing = (module: string): string[] =>
    files.filter((f) => new RegExp(`^import (?!type )[^;]*from '${module}';`, 'm').test(readFileSync(f, 'utf8'))).map((f) => relative(repoRoot, f).split('\\').join('/'));

  it('is the runner alone in the station and the CLI (node-child.ts starts Node, not ffmpeg)', () => {
    expect(importing('node:child_process').sort()).toEqual(['electron/station/ffmpeg/runner.ts', 'electron/station/node-child.ts']);
  });

  it('fluent-ffmpeg only builds commands, which runFluent runs', () => {
    expect(importing('fluent-ffmpeg').sort()).toEqual(['electron/station/clips/clip-writer.ts', 'electron/station/export/transcode.ts']);
    for (const f of importing('fluent-ffmpeg')) {
      const text = readFileSync(join(repoRoot, f), 'utf8');
      expect(text, f).toMatch(/runFluent\(/);
      expect(text, f).not.toMatch(/\.run\(\)|\.kill\(|ffmpegProc|_getArguments/);
    }
  });
});
