/**
 * One camera's live preview, made only while someone watches.
 *
 * The recording ffmpeg makes no preview (ffmpeg-command.ts says why). When the first viewer comes, the
 * tap starts a small ffmpeg and feeds it the keyframe packets (ts-keyframes.ts) of the camera's segment
 * files as they are written (segment-tail.ts); it decodes the keyframes only (`-skip_frame nokey`: one a second), scales them to
 * 512 px and writes JPEGs to its stdout, which go to the viewers through a PreviewHub. When the last
 * viewer has been gone for PREVIEW_LINGER_MS, that ffmpeg is killed: an unwatched station runs none.
 *
 * The recording never depends on it: the tap only reads files, and the preview ffmpeg is a separate
 * process at a lower priority. If it dies while someone watches it is started again; if it falls
 * behind, the tail skips to the newest segment; if Node stalls, only the preview waits (its pipes).
 */
import { setPriority } from 'node:os';
import { spawnFfmpeg, type FfmpegProcess } from '../ffmpeg/runner.js';
import { PREVIEW, PREVIEW_LINGER_MS, PREVIEW_RESTART_MS } from '../limits.js';
import { log } from '../log.js';
import { JpegStream, PreviewHub } from './preview.js';
import { SegmentTail } from './segment-tail.js';
import { KeyframePackets } from './ts-keyframes.js';

/** Below normal, so a busy machine gives the recording the CPU first (a nice value; Windows maps it to a priority class). */
const PREVIEW_NICE = 10;
const STDERR_TAIL_BYTES = 2_000;

/**
 * The preview ffmpeg's command: MPEG-TS on stdin, JPEGs on stdout.
 * - `-threads 1`: a frame-threaded decoder holds one picture per thread before it gives any out,
 *   which at one keyframe a second is seconds of delay.
 * - `-probesize 2048 -analyzeduration 0`: the first picture as soon as the first keyframe has
 *   arrived, not after ffmpeg has looked at seconds of stream; the few packets it looked at are kept
 *   and decoded (`-fflags nobuffer` dropped them, and with them the first keyframe, or the first two of
 *   a small camera, since the stream it reads is keyframes only).
 * - `-skip_loop_filter all`: no deblocking; a keyframe scaled down to 512 px looks the same, and
 *   decoding it takes ~6 % (720p) to ~10 % (1080p) fewer instructions (valgrind, ffmpeg 4.1).
 * - `-vsync 0`: each decoded picture once, never duplicated to fill a frame rate.
 * It is fed the keyframes only (ts-keyframes.ts): the same pictures, byte for byte, from about a
 * ninth of the stream.
 */
export function previewTapArgv(): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-threads', '1', '-skip_frame', 'nokey', '-skip_loop_filter', 'all', '-probesize', '2048', '-analyzeduration', '0',
    '-f', 'mpegts', '-i', 'pipe:0',
    // Never wider than the camera: a small side camera is not blown up.
    '-map', '0:v:0', '-vf', `scale='min(${PREVIEW.width},iw)':-2:flags=fast_bilinear`, '-vsync', '0',
    '-c:v', 'mjpeg', '-q:v', String(PREVIEW.jpegQuality), '-f', 'image2pipe', 'pipe:1',
  ];
}

export class PreviewTap {
  readonly hub = new PreviewHub();
  private viewers = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private child: FfmpegProcess | null = null;
  private tail: SegmentTail | null = null;
  private closed = false;

  constructor(
    private readonly ffmpegPath: string,
    readonly cameraId: string,
    /** The folder the camera's running ffmpeg writes to (absolute), or null between runs. */
    private readonly runDir: () => string | null,
  ) {}

  /** The preview ffmpeg's pid while one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Someone watches from now until the returned function is called (once is enough; more are ignored). */
  watch(): () => void {
    this.viewers++;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (!this.child && !this.restartTimer && !this.closed) this.launch();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.viewers--;
      if (this.viewers > 0 || this.closed) return;
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        if (this.viewers === 0) this.halt();
      }, PREVIEW_LINGER_MS);
      this.lingerTimer.unref();
    };
  }

  /** The station stops: no preview from here on. */
  close(): void {
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.halt();
  }

  private launch(): void {
    const child = spawnFfmpeg(this.ffmpegPath, previewTapArgv(), { stdio: ['pipe', 'pipe', 'pipe'], stderrBytes: STDERR_TAIL_BYTES });
    this.child = child;
    if (child.pid !== null) {
      try {
        setPriority(child.pid, PREVIEW_NICE);
      } catch {
        /* not allowed here: it runs at normal priority */
      }
    }
    const jpegs = new JpegStream((jpeg) => this.hub.publish(jpeg));
    child.child.stdout?.on('data', (d: Buffer) => jpegs.push(d));
    const stdin = child.child.stdin!;
    stdin.on('error', () => undefined); // it may exit with bytes still queued
    const write = (chunk: Buffer): Promise<void> =>
      new Promise((resolve) => {
        if (!stdin.writable || stdin.write(chunk)) return resolve();
        const done = (): void => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.once('drain', done);
        stdin.once('close', done);
      });
    // A new run's timestamps start again near 0: a new preview ffmpeg for it rather than one that sees time run backwards.
    let firstDir: string | null = null;
    let newRun = false;
    const keyframes = new KeyframePackets();
    const tail = new SegmentTail(this.runDir, (chunk) => {
      const wanted = keyframes.push(chunk);
      return wanted.length ? write(wanted) : Promise.resolve();
    }, {
      segment: (dir) => {
        if (firstDir === null) firstDir = dir;
        else if (dir !== firstDir && !newRun) {
          newRun = true;
          child.kill();
        }
      },
    });
    this.tail = tail;
    tail.start();
    const ended = (why: string): void => {
      void tail.stop();
      if (this.child !== child) return;
      this.child = null;
      this.tail = null;
      if (this.viewers === 0 && !this.lingerTimer) return;
      if (this.closed) return;
      if (!newRun) log.warn('the live preview ffmpeg ended; starting it again', { camera: this.cameraId, why, stderr: child.stderr().trim().split('\n').slice(-3) });
      this.restartTimer = setTimeout(
        () => {
          this.restartTimer = null;
          if (!this.closed && (this.viewers > 0 || this.lingerTimer)) this.launch();
        },
        newRun ? 0 : PREVIEW_RESTART_MS,
      );
      this.restartTimer.unref();
    };
    void child.ended.then((end) => ended(end.failure === 'spawn' ? end.error!.message : end.signal ? `killed with ${end.signal}` : `exit code ${end.code}`));
    log.debug('live preview started', { camera: this.cameraId, pid: child.pid });
  }

  /** Kill the preview ffmpeg (its output is pictures nobody waits for) and stop reading the files. */
  private halt(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    const tail = this.tail;
    this.child = null;
    this.tail = null;
    void tail?.stop();
    child?.kill();
    this.hub.clear();
    if (child) log.debug('live preview stopped', { camera: this.cameraId });
  }
}
