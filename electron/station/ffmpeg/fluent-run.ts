/**
 * Running a command fluent-ffmpeg built (the clip cut, the thumbnail, the export encode) with the
 * runner's rules: SIGKILL on time-out or abort, and an FfmpegError that names what ffmpeg said.
 * Only fluent-ffmpeg's public API: its kill() reaches the process once its 'start' event says there
 * is one (before that it checks the formats and encoders it was given, and a kill would find nothing
 * to stop), so a stop asked for earlier is carried out at 'start'.
 *
 * That check runs `ffmpeg -formats` and `ffmpeg -encoders` once per process, before the first
 * command (test/unit/fluent-capabilities.test.ts). fluent-ffmpeg (2.1.3) spawns them itself, without
 * windowsHide, so a console window can flash once on Windows. It offers no public way around it:
 * _prepare always calls the private _checkCapabilities, whose answers sit in a cache private to
 * lib/capabilities.js; the public availableFormats/availableEncoders fill that cache only by the
 * same spawn. Replacing them on the command would rely on how the private check calls them, so it
 * stays as it is.
 */
import type { FfmpegCommand } from 'fluent-ffmpeg';
import { ffmpegError, type FfmpegFailure } from './runner.js';

export interface FluentRunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function runFluent(cmd: FfmpegCommand, o: FluentRunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(ffmpegError('aborted', { code: null, signal: null, stderr: '' }));
    let started = false;
    let stopFor: FfmpegFailure | null = null;
    const stop = (why: FfmpegFailure): void => {
      if (stopFor) return;
      stopFor = why;
      if (started) cmd.kill('SIGKILL');
    };
    const onAbort = (): void => stop('aborted');
    const timer = o.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), o.timeoutMs) : null;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    cmd
      .on('start', () => {
        started = true;
        if (stopFor) cmd.kill('SIGKILL');
      })
      .on('end', () => {
        finish();
        resolve();
      })
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        finish();
        // fluent-ffmpeg says "ffmpeg exited with code N: …" or "ffmpeg was killed with signal S"; anything else is a start that failed.
        const code = /exited with code (-?\d+)/.exec(err.message);
        const signal = /killed with signal (\w+)/.exec(err.message);
        const failure: FfmpegFailure = stopFor ?? (code || signal ? 'exit' : 'spawn');
        reject(ffmpegError(failure, { code: code ? Number(code[1]) : null, signal: (signal?.[1] as NodeJS.Signals | undefined) ?? null, stderr: stderr ?? '', timeoutMs: o.timeoutMs, detail: err.message }));
      });
    cmd.run();
  });
}
