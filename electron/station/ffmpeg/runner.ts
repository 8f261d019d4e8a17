/**
 * Every ffmpeg the station starts goes through here, so that each one is started the same way (no
 * console window on Windows), can be stopped the same way (SIGKILL: the work of a one-shot ffmpeg is
 * thrown away when it is stopped, and this static build dies on a second SIGINT anyway), and fails
 * with the same kind of message: what ffmpeg said (its first error line, the cause, and its last, the
 * consequence), never its banner or stream listing.
 *
 *   runFfmpeg    run to completion: stdout (capped), stderr (kept bounded), time-out, AbortSignal
 *   spawnFfmpeg  a running ffmpeg whose pipes the caller uses (the live preview, the recording run),
 *                with the same time-out, abort and kill; its stdio may be a file descriptor
 *
 * fluent-ffmpeg builds the clip and export commands and starts them itself: fluent-run.ts gives them
 * the same stop and the same failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { maskCredentials } from '../../../shared/credentials.js';

/** How an ffmpeg run ended without doing its work. */
export type FfmpegFailure =
  /** it exited non-zero or was killed by someone else */
  | 'exit'
  /** it ran past its time-out and was killed */
  | 'timeout'
  /** the caller's AbortSignal fired and it was killed */
  | 'aborted'
  /** it wrote more to stdout than the caller allowed and was killed */
  | 'output-cap'
  /** it could not be started (no such file, not executable) */
  | 'spawn';

export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    readonly failure: FfmpegFailure,
    /** What ffmpeg said, in one line ('' when it said nothing): see ffmpegSaid. */
    readonly said: string,
    /** ffmpeg's stderr as kept (bounded: see FfmpegRunOptions.stderrBytes). */
    readonly stderr: string,
    readonly code: number | null = null,
    readonly signal: NodeJS.Signals | null = null,
    /** A start that failed: the system's error code (ENOENT, EACCES). */
    readonly errno: string | null = null,
  ) {
    super(message);
  }
}

export interface FfmpegSpawnOptions {
  /** Killed (SIGKILL) after this long; the failure is then 'timeout'. None by default. */
  timeoutMs?: number;
  /** Killed (SIGKILL) when this fires; the failure is then 'aborted'. */
  signal?: AbortSignal;
  cwd?: string;
  /** stdin, stdout, stderr: a pipe, nothing, or a file descriptor the child writes to directly. */
  stdio?: [StdioChoice, StdioChoice, StdioChoice];
  /**
   * stderr kept in memory (when piped). Past this, the first and the last halves are kept: the cause
   * is usually near the start and the consequence at the end, and a camera that logs an error per
   * frame must not fill the memory.
   */
  stderrBytes?: number;
}

type StdioChoice = 'pipe' | 'ignore' | number;

export interface FfmpegRunOptions extends Omit<FfmpegSpawnOptions, 'stdio'> {
  /** stdout beyond this kills ffmpeg (failure 'output-cap'). 1 MiB by default, as execFile's. */
  maxStdoutBytes?: number;
}

export interface FfmpegOutput {
  stdout: Buffer;
  stderr: string;
}

/** How a spawned ffmpeg ended: failure null means exit code 0. Never rejected. */
export interface FfmpegEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  failure: FfmpegFailure | null;
  /** Set when failure is (the message a caller may throw). */
  error: FfmpegError | null;
  stderr: string;
}

export const DEFAULT_STDERR_BYTES = 1 << 20;
export const DEFAULT_MAX_STDOUT_BYTES = 1 << 20;

/** A running ffmpeg. */
export class FfmpegProcess {
  readonly child: ChildProcess;
  /** Settles once ffmpeg has exited and its pipes are closed (or it could not start). */
  readonly ended: Promise<FfmpegEnd>;
  private readonly err: BoundedText;
  private failure: FfmpegFailure | null = null;
  private failureDetail = '';
  private errno: string | null = null;
  private settled = false;

  constructor(bin: string, args: readonly string[], private readonly o: FfmpegSpawnOptions = {}) {
    this.err = new BoundedText(o.stderrBytes ?? DEFAULT_STDERR_BYTES);
    this.child = spawn(bin, args, { cwd: o.cwd, stdio: o.stdio ?? ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const decoder = new StringDecoder('utf8');
    this.child.stderr?.on('data', (d: Buffer) => this.err.push(decoder.write(d)));
    let timer: NodeJS.Timeout | null = null;
    const onAbort = (): void => this.stop('aborted');
    this.ended = new Promise<FfmpegEnd>((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): void => {
        if (this.settled) return;
        this.settled = true;
        if (timer) clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        if (spawnError) {
          this.failure = 'spawn';
          this.failureDetail = spawnError.message;
          this.errno = (spawnError as NodeJS.ErrnoException).code ?? null;
        } else if (!this.failure && code !== 0) this.failure = 'exit';
        const stderr = this.err.text();
        resolve({ code, signal, failure: this.failure, error: this.failure ? this.errorFor(this.failure, code, signal, stderr) : null, stderr });
      };
      // After a start, an 'error' is a failed kill or pipe: 'close' still comes and tells how it ended.
      this.child.on('error', (e) => {
        if (this.child.pid === undefined) settle(null, null, e);
      });
      this.child.once('close', (code, signal) => settle(code, signal, null));
    });
    if (o.timeoutMs !== undefined && Number.isFinite(o.timeoutMs)) {
      timer = setTimeout(() => this.stop('timeout'), o.timeoutMs);
    }
    if (o.signal?.aborted) this.stop('aborted');
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  /** stderr so far (bounded). */
  stderr(): string {
    return this.err.text();
  }

  /** True until ffmpeg has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && !this.settled;
  }

  /** SIGKILL now (no-op once it has exited). The first reason given is the one reported. */
  kill(): void {
    this.stop('exit');
  }

  /** SIGKILL now, reported as `why` (runFfmpeg's output cap uses it). */
  stop(why: FfmpegFailure, detail = ''): void {
    if (!this.running) return;
    if (why !== 'exit' && !this.failure) {
      this.failure = why;
      this.failureDetail = detail;
    }
    this.child.kill('SIGKILL');
  }

  private errorFor(failure: FfmpegFailure, code: number | null, signal: NodeJS.Signals | null, stderr: string): FfmpegError {
    return ffmpegError(failure, { code, signal, stderr, timeoutMs: this.o.timeoutMs, detail: this.failureDetail, errno: this.errno });
  }
}

/** The error for a failed run: how it ended, then what ffmpeg said. */
export function ffmpegError(
  failure: FfmpegFailure,
  e: { code: number | null; signal: NodeJS.Signals | null; stderr: string; timeoutMs?: number; detail?: string; errno?: string | null },
): FfmpegError {
  const said = ffmpegSaid(e.stderr);
  const tail = said ? `: ${said}` : '';
  const message = {
    exit: `${e.signal ? `ffmpeg was killed with signal ${e.signal}` : `ffmpeg exited with code ${e.code}`}${tail}`,
    timeout: `ffmpeg gave no result within ${e.timeoutMs} ms${tail}`,
    aborted: 'ffmpeg was stopped: cancelled',
    'output-cap': `ffmpeg wrote more than ${e.detail} bytes of output`,
    spawn: `ffmpeg could not be started: ${e.detail}`,
  }[failure];
  return new FfmpegError(message, failure, said, e.stderr, e.code, e.signal, e.errno ?? null);
}

/**
 * Starts ffmpeg with the given pipes; the caller reads/writes them and awaits `ended`. With a signal
 * already aborted it is started and killed at once (the caller always gets a process to await).
 */
export function spawnFfmpeg(bin: string, args: readonly string[], o: FfmpegSpawnOptions = {}): FfmpegProcess {
  return new FfmpegProcess(bin, args, o);
}

/** Runs ffmpeg to its end: resolves with its output on exit code 0, else rejects with an FfmpegError. */
export async function runFfmpeg(bin: string, args: readonly string[], o: FfmpegRunOptions = {}): Promise<FfmpegOutput> {
  if (o.signal?.aborted) throw ffmpegError('aborted', { code: null, signal: null, stderr: '' });
  const cap = o.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
  const proc = new FfmpegProcess(bin, args, { ...o, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let bytes = 0;
  proc.child.stdout?.on('data', (d: Buffer) => {
    if (bytes + d.length > cap) {
      proc.stop('output-cap', String(cap));
      return;
    }
    bytes += d.length;
    chunks.push(d);
  });
  const end = await proc.ended;
  if (end.error) throw end.error;
  return { stdout: Buffer.concat(chunks, bytes), stderr: end.stderr };
}

/**
 * ffmpeg's own words for a failure, in one line: among its lines that read as an error, the first
 * (the cause: "Device creation failed", "Connection to tcp://… failed") and, when different, the
 * last (the consequence); with none, its last meaningful line. The banner, stream listings,
 * progress and "Conversion failed!" are never it. Camera passwords are masked.
 */
export function ffmpegSaid(stderr: string | readonly string[]): string {
  const lines = meaningfulLines(stderr);
  return errorCauseAndConsequence(lines) || lines.at(-1) || '';
}

/** "cause (then: consequence)" from the error lines among `lines`, '' when none reads as an error. */
export function errorCauseAndConsequence(lines: readonly string[]): string {
  const errors = lines.filter((l) => ERROR_WORDS.test(l)).map((l) => clip(maskCredentials(l.trim())));
  const cause = errors[0];
  const last = errors.at(-1);
  if (!cause) return '';
  return cause === last ? cause : `${cause} (then: ${last})`;
}

const ERROR_WORDS = /error|failed|invalid|no such|not found|denied|refused|timed out|i\/o|no space/i;

/** ffmpeg's description of itself and its streams (indented, or one of these headings) and its progress. */
const NOT_MEANINGFUL = /^(\s|ffmpeg version |Input #|Output #|Stream mapping:|Press \[q\]|frame=|size=|video:\d|Conversion failed!|Exiting normally)/;

export function meaningfulLines(stderr: string | readonly string[]): string[] {
  const lines = typeof stderr === 'string' ? stderr.split(/\r?\n|\r/) : stderr;
  return lines.filter((l) => l.trim() !== '' && !NOT_MEANINGFUL.test(l)).map((l) => clip(maskCredentials(l.trim())));
}

const clip = (line: string): string => (line.length > 400 ? `${line.slice(0, 400)}…` : line);

/** Text kept within about `max` characters: once full, the first half stays and the rest rolls. */
class BoundedText {
  private head = '';
  private tail = '';
  private overflowed = false;
  private dropped = 0;
  constructor(private readonly max: number) {}

  push(s: string): void {
    const half = Math.floor(this.max / 2);
    if (!this.overflowed) {
      if (this.head.length + s.length <= this.max) {
        this.head += s;
        return;
      }
      this.overflowed = true;
      const all = this.head + s;
      this.head = all.slice(0, half);
      this.tail = all.slice(half);
    } else this.tail += s;
    const room = this.max - half;
    if (this.tail.length > room) {
      this.dropped += this.tail.length - room;
      this.tail = this.tail.slice(-room);
    }
  }

  text(): string {
    return this.dropped === 0 ? this.head + this.tail : `${this.head}\n[… ${this.dropped} characters left out …]\n${this.tail}`;
  }
}
