/**
 * One ffmpeg process recording one camera into one run folder.
 *
 * A run ends for good when ffmpeg exits, for whatever reason; the watchdog decides whether to start
 * the next one. The run reports closed segments (from the segment list), liveness (ffmpeg's progress
 * reports), motion pictures (for the idle stop), and its exit. The live preview is not the run's: it
 * is made on demand from the segment files (preview-tap.ts).
 *
 * ffmpeg is started by the runner's spawnFfmpeg, not through fluent-ffmpeg: its stderr must be a file
 * descriptor and its motion and progress UDP datagrams, so that nothing it writes waits for Node
 * (ffmpeg-feeds.ts says why), and fluent-ffmpeg always pipes stdout and stderr to the parent.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { errorCauseAndConsequence, spawnFfmpeg } from '../ffmpeg/runner.js';
import { FFMPEG_STOP_GRACE_MS } from '../limits.js';
import { log } from '../log.js';
import type { FfmpegInvocation, RecorderFeeds } from './ffmpeg-command.js';
import { SEGMENT_LIST_NAME, toArgv } from './ffmpeg-command.js';
import { FfmpegLogFile, LoopbackFeed, progressFrame } from './ffmpeg-feeds.js';
import { isMotionPicture, type MotionMeter } from './motion.js';
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
  /** ffmpeg reported ENOSPC: what it wrote since may be cut short. */
  diskFull: [];
  /** A command meant for a frame time had not reached ffmpeg shortly before that time (see sendCommand). */
  commandLate: [{ dueMs: number; checkedMs: number }];
}

const STDERR_TAIL_LINES = 20;
/**
 * How long before a command's frame time its echo is looked for: a frame stamped up to half a frame
 * before that time can be given it (the fps filter rounds to its grid), and reading the file takes a
 * moment. Within OVERLAY_SWITCH_LEAD_MS, which leaves ffmpeg ~400 ms to take it.
 */
const COMMAND_CHECK_BEFORE_MS = 60;

export class RecordingRun extends EventEmitter<RunEvents> {
  /** Set once ffmpeg has said "No space left on device": its segments are decode-checked before indexing. */
  diskFullSeen = false;
  private child: ChildProcess | null = null;
  private follower: SegmentListFollower;
  private stopRequested = false;
  private stopGraceMs = FFMPEG_STOP_GRACE_MS;
  private finished = false;
  private exited: Promise<RunExit>;
  private resolveExit!: (e: RunExit) => void;
  private stderrTail: string[] = [];
  private feeds: LoopbackFeed[] = [];
  private stderrFile: FfmpegLogFile | null = null;
  pid: number | null = null;
  /** Commands typed on stdin (sendCommand), and how many ffmpeg has taken (it echoes "Enter command:" on stderr for each). */
  private commandsSent = 0;
  private commandsTaken = 0;
  private pendingCommands: Array<{ line: string; dueMs: number | null }> = [];
  /** performance.now() when ffmpeg's frame counter last moved (or when the run started): monotonic, so a wall-clock step cannot age it. */
  lastProgressAt = performance.now();
  lastFrame = -1;

  constructor(
    private readonly ffmpegPath: string,
    /** The command, once the run has bound the ports its progress and motion pictures go to. */
    private readonly invocationFor: (feeds: RecorderFeeds) => FfmpegInvocation,
    readonly runDir: string,
    /** Where the motion pictures go; null: they are received (a dead station's ffmpeg ends by them) and dropped. */
    private readonly motion: MotionMeter | null = null,
  ) {
    super();
    this.follower = new SegmentListFollower(`${runDir}/${SEGMENT_LIST_NAME}`, (e) => this.emit('segment', e));
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  start(): void {
    void this.launch().catch((err: Error) => void this.finish(err));
  }

  private async launch(): Promise<void> {
    this.feeds.push(await LoopbackFeed.open((d) => progressFrame(d) !== null, (d) => this.onProgress(d)));
    this.feeds.push(await LoopbackFeed.open(isMotionPicture, (d) => this.motion?.push(d)));
    this.stderrFile = await FfmpegLogFile.create((line) => this.onStderr(line));
    // stop() came while the sockets were bound: no ffmpeg at all.
    if (this.stopRequested) return void this.finish(null);
    const [progress, motionFeed] = this.feeds as [LoopbackFeed, LoopbackFeed];
    const argv = toArgv(this.invocationFor({ progressPort: progress.port, motionPort: motionFeed.port }));
    // No time-out: a run lasts until it is stopped; the watchdog kills a stalled one.
    const child = spawnFfmpeg(this.ffmpegPath, argv, { stdio: ['pipe', 'ignore', this.stderrFile.fd] }).child;
    this.child = child;
    this.stderrFile.handedOver();
    child.stdin?.on('error', () => undefined); // it may exit before reading our `q`
    child.once('error', (err) => void this.finish(err));
    child.once('exit', (code, signal) => {
      void this.finish(code === 0 ? null : new Error(signal ? `ffmpeg was killed with signal ${signal}` : `ffmpeg exited with code ${code}`));
    });
    this.pid = child.pid ?? null;
    this.lastProgressAt = performance.now();
    this.follower.start();
    const pending = this.pendingCommands;
    this.pendingCommands = [];
    for (const c of pending) this.sendCommand(c.line, c.dueMs);
  }

  /**
   * Type one command line on ffmpeg's stdin (overlay.ts's codesCommand); before ffmpeg is spawned it
   * waits and goes first. `dueMs` (wall clock): the command must have been taken by then, or frames
   * stamped from then on may be drawn before it runs. ffmpeg echoes every command it takes on stderr;
   * shortly before `dueMs` that file is read, and a command not echoed yet is reported as late
   * (`commandLate`). When the station itself ran late for the check, nothing can be said and nothing is.
   */
  sendCommand(line: string, dueMs: number | null = null): void {
    const proc = this.child;
    if (!proc) {
      if (!this.finished && !this.stopRequested) this.pendingCommands.push({ line, dueMs });
      return;
    }
    if (proc.exitCode !== null || proc.signalCode !== null || !proc.stdin?.writable) return;
    proc.stdin.write(line);
    const index = ++this.commandsSent;
    if (dueMs === null) return;
    const checkAt = dueMs - COMMAND_CHECK_BEFORE_MS;
    const timer = setTimeout(() => {
      const checkedMs = Date.now();
      if (checkedMs > dueMs || this.finished) return;
      void this.stderrFile
        ?.readNow()
        .then(() => {
          if (this.commandsTaken < index && !this.finished) this.emit('commandLate', { dueMs, checkedMs });
        })
        .catch(() => undefined);
    }, Math.max(0, checkAt - Date.now()));
    timer.unref();
  }

  /**
   * Ask ffmpeg to finish: it closes the current segment and writes its list entry. We type `q` on its
   * stdin rather than sending SIGINT: Windows has no SIGINT for child processes, and this ffmpeg build
   * dies outright on a second SIGINT (a Ctrl-C in a terminal already sends it one). SIGKILL after the grace.
   */
  async stop(graceMs = FFMPEG_STOP_GRACE_MS): Promise<RunExit> {
    this.stopRequested = true;
    this.stopGraceMs = graceMs;
    this.quit(this.stopGraceMs);
    return this.exited;
  }

  private quit(graceMs: number): void {
    const proc = this.child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.stdin?.write('q');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    void this.exited.then(() => clearTimeout(timer));
  }

  whenExited(): Promise<RunExit> {
    return this.exited;
  }

  /** One `-progress` block, about every 0.5 s: the heartbeat is its frame counter moving. */
  private onProgress(block: Buffer): void {
    const frame = progressFrame(block);
    if (frame === null || frame === this.lastFrame) return;
    this.lastFrame = frame;
    this.lastProgressAt = performance.now();
    this.emit('progress');
  }

  private onStderr(line: string): void {
    // ffmpeg's prompt for a typed command: counted, and kept out of the tail that errors are told from.
    if (line.startsWith('Enter command:')) {
      this.commandsTaken++;
      return;
    }
    if (line.startsWith('Command reply for stream')) return;
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    if (!this.diskFullSeen && /no space left on device/i.test(line)) {
      this.diskFullSeen = true;
      this.emit('diskFull');
    }
  }

  private async finish(err: Error | null): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const f of this.feeds) f.close();
    // ffmpeg's last words (and the segment list's last line) are written as it exits: read them first.
    await Promise.all([this.follower.stop(), this.stderrFile?.close()]);
    this.pid = null;
    this.child = null;
    const exit: RunExit = {
      requested: this.stopRequested,
      error: err && !this.stopRequested ? describeFfmpegError(err.message, this.stderrTail) : null,
      stderrTail: [...this.stderrTail],
    };
    log.debug('ffmpeg exited', { dir: this.runDir, requested: exit.requested, error: err?.message ?? null, stderr: exit.stderrTail.slice(-5) });
    this.emit('exit', exit);
    this.resolveExit(exit);
  }
}

/**
 * The first sentence a person should read about a failed ffmpeg: its exit, then ffmpeg's first error
 * line of the tail (usually the cause: "Device creation failed", "Connection to tcp://… failed:
 * Connection refused") and its last (usually the consequence) when they differ. A camera URL's
 * password is masked (shared/credentials.ts): the status, which viewers read, shows this sentence.
 */
export function describeFfmpegError(message: string, tail: string[]): string {
  const first = message.split('\n')[0] ?? message;
  const said = errorCauseAndConsequence(tail);
  return said ? `${first}: ${said}` : first;
}

