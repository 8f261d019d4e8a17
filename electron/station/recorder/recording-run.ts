/**
 * One ffmpeg process recording one camera into one run folder, driven through fluent-ffmpeg.
 *
 * A run ends for good when ffmpeg exits, for whatever reason; the watchdog decides whether to start
 * the next one. The run reports closed segments (from the segment list), liveness (ffmpeg's stats
 * line), preview frames, and its exit.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import { FFMPEG_STOP_GRACE_MS } from '../limits.js';
import { log } from '../log.js';
import type { FfmpegInvocation } from './ffmpeg-command.js';
import { SEGMENT_LIST_NAME } from './ffmpeg-command.js';
import { JpegSplitter, type PreviewHub } from './preview.js';
import { SegmentListFollower, type SegmentListEntry } from './segment-list.js';

export interface RunExit {
  /** True when we asked it to stop; false when it died or was killed by someone else. */
  requested: boolean;
  error: string | null;
  /** The last lines ffmpeg wrote to stderr, for the status page and the log. */
  stderrTail: string[];
}

interface RunEvents {
  segment: [SegmentListEntry];
  progress: [];
  exit: [RunExit];
  /** ffmpeg reported ENOSPC: what it wrote since may be cut short (issue 6). */
  diskFull: [];
}

const STDERR_TAIL_LINES = 20;

export class RecordingRun extends EventEmitter<RunEvents> {
  /** Set once ffmpeg has said "No space left on device": its segments are decode-checked before indexing. */
  diskFullSeen = false;
  private command: ffmpeg.FfmpegCommand | null = null;
  private follower: SegmentListFollower;
  private stopRequested = false;
  private exited: Promise<RunExit>;
  private resolveExit!: (e: RunExit) => void;
  private stderrTail: string[] = [];
  pid: number | null = null;
  /** When ffmpeg last reported progress (or when the run started). */
  lastProgressAt = Date.now();
  lastFrame = -1;

  constructor(
    private readonly ffmpegPath: string,
    private readonly invocation: FfmpegInvocation,
    readonly runDir: string,
    private readonly preview: PreviewHub | null,
  ) {
    super();
    this.follower = new SegmentListFollower(`${runDir}/${SEGMENT_LIST_NAME}`, (e) => this.emit('segment', e));
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  start(): void {
    const inv = this.invocation;
    const cmd = ffmpeg({ stdoutLines: STDERR_TAIL_LINES });
    cmd.setFfmpegPath(this.ffmpegPath);
    // Global options ride on the input: ffmpeg accepts them anywhere, fluent-ffmpeg has no slot for them.
    cmd.input(inv.input).inputOptions([...inv.globalOptions, ...inv.inputOptions]);
    cmd.complexFilter(inv.filterGraph);
    for (const out of inv.outputs) {
      if (out.target === 'pipe:1') {
        const sink = new PassThrough();
        const splitter = new JpegSplitter((jpeg) => this.preview?.publish(jpeg));
        sink.on('data', (chunk: Buffer) => splitter.push(chunk));
        cmd.output(sink, { end: true }).outputOptions(out.options);
      } else {
        cmd.output(out.target).outputOptions(out.options);
      }
    }
    cmd.on('start', () => {
      this.pid = procOf(cmd)?.pid ?? null;
      this.lastProgressAt = Date.now();
      // stop() came before fluent-ffmpeg had spawned the process (it prepares asynchronously): quit now.
      if (this.stopRequested) this.quit(this.stopGraceMs);
    });
    cmd.on('stderr', (line: string) => this.onStderr(line));
    cmd.on('end', () => void this.finish(null));
    cmd.on('error', (err: Error) => void this.finish(err));
    this.command = cmd;
    this.follower.start();
    cmd.run();
  }

  /**
   * Ask ffmpeg to finish: it closes the current segment and writes its list entry. We type `q` on its
   * stdin rather than sending SIGINT: Windows has no SIGINT for child processes, and this ffmpeg build
   * dies outright on a second SIGINT (a Ctrl-C in a terminal already sends it one). SIGKILL after the grace.
   */
  async stop(graceMs = FFMPEG_STOP_GRACE_MS): Promise<RunExit> {
    this.stopRequested = true;
    this.stopGraceMs = graceMs;
    this.quit(graceMs);
    return this.exited;
  }

  private stopGraceMs = FFMPEG_STOP_GRACE_MS;

  private quit(graceMs: number): void {
    const proc = this.command ? procOf(this.command) : undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.stdin?.on('error', () => undefined); // it may exit before reading
    proc.stdin?.write('q');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    void this.exited.then(() => clearTimeout(timer));
  }

  whenExited(): Promise<RunExit> {
    return this.exited;
  }

  private onStderr(line: string): void {
    // Stats lines ("frame=  123 fps= 30 …") are the heartbeat; keep everything else as context.
    const m = /frame=\s*(\d+)/.exec(line);
    if (m) {
      const frame = Number(m[1]);
      if (frame !== this.lastFrame) {
        this.lastFrame = frame;
        this.lastProgressAt = Date.now();
        this.emit('progress');
      }
      return;
    }
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    if (!this.diskFullSeen && /no space left on device/i.test(line)) {
      this.diskFullSeen = true;
      this.emit('diskFull');
    }
  }

  private async finish(err: Error | null): Promise<void> {
    if (this.pid === null && this.command === null) return;
    // The segment list's last line is written as ffmpeg exits: read it before reporting the exit.
    await this.follower.stop();
    this.pid = null;
    const exit: RunExit = {
      requested: this.stopRequested,
      error: err && !this.stopRequested ? describeFfmpegError(err.message, this.stderrTail) : null,
      stderrTail: [...this.stderrTail],
    };
    this.command = null;
    log.debug('ffmpeg exited', { dir: this.runDir, requested: exit.requested, error: err?.message ?? null, stderr: exit.stderrTail.slice(-5) });
    this.emit('exit', exit);
    this.resolveExit(exit);
  }
}

/** The first sentence a person should read about a failed ffmpeg: ffmpeg's own last error line if it has one. */
function describeFfmpegError(message: string, tail: string[]): string {
  const last = [...tail].reverse().find((l) => /error|failed|invalid|no such|not found|denied|refused|timed out|i\/o/i.test(l));
  const first = message.split('\n')[0] ?? message;
  return last ? `${first}: ${last.trim()}` : first;
}

/** fluent-ffmpeg keeps the child on the command while it runs; its typings leave that out. */
function procOf(cmd: ffmpeg.FfmpegCommand): ChildProcess | undefined {
  return (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
}
