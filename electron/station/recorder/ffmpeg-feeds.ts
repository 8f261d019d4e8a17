/**
 * How the station reads a recording ffmpeg without ever making it wait.
 *
 * While Node is not running — a long synchronous call, a GC pause, a debugger, SIGSTOP — nothing
 * reads what ffmpeg writes. Whatever ffmpeg writes to must then absorb or drop it, never block:
 * ffmpeg writes all its outputs from one thread, so one blocked write stops the segments too (measured
 * with the old stdout pipe: the segments stopped the moment Node did, and 96 s were lost).
 *
 * - Progress and motion pictures: UDP datagrams to 127.0.0.1 (`LoopbackFeed`). A datagram the receiver has no
 *   buffer room for is dropped by the kernel; the sender is never held up. Same on Windows and macOS.
 * - stderr: a file (`FfmpegLogFile`), never a pipe or a socket: a pipe or socketpair fills in ~270 small
 *   writes (measured here: ffmpeg writes a log line in up to four pieces, so about 70 lines), which a
 *   camera logging an error per frame writes in a second or two. A file absorbs any amount; it is
 *   emptied once read past FFMPEG_LOG_MAX_BYTES. It lives in a private temporary folder, not on the
 *   data disk: on a full data disk, ffmpeg's "No space left on device" must still be readable.
 */
import dgram from 'node:dgram';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFMPEG_LOG_MAX_BYTES, FFMPEG_LOG_POLL_MS } from '../limits.js';
import { log } from '../log.js';
import { FEED_HOST } from './ffmpeg-command.js';

/**
 * A UDP socket on 127.0.0.1 that takes datagrams from one sender: the first from a loopback address
 * that `accept` recognises (a progress block, a motion picture) pins that sender's port, and datagrams from
 * any other address or port are ignored. This keeps out strays and other programs sending to a port
 * they found; a local program that races ffmpeg's very first datagram could still be taken for it (the
 * watchdog then sees no heartbeat and restarts the run on new ports).
 */
export class LoopbackFeed {
  private sender: number | null = null;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {}

  static async open(accept: (first: Buffer) => boolean, onMessage: (msg: Buffer) => void): Promise<LoopbackFeed> {
    const socket = dgram.createSocket({ type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, FEED_HOST, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const feed = new LoopbackFeed(socket, socket.address().port);
    socket.on('error', (err) => log.warn('recorder feed socket error', { port: feed.port, error: err.message }));
    socket.on('message', (msg, from) => {
      if (from.address !== FEED_HOST) return;
      if (feed.sender === null) {
        if (!accept(msg)) return;
        feed.sender = from.port;
      } else if (from.port !== feed.sender) return;
      onMessage(msg);
    });
    return feed;
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      /* already closed */
    }
  }
}

/** The frame counter of one `-progress` block ("frame=123\nfps=…\nprogress=continue\n"), or null. */
export function progressFrame(block: Buffer): number | null {
  const m = /^frame=(\d+)$/m.exec(block.toString('latin1'));
  return m ? Number(m[1]) : null;
}

/**
 * ffmpeg's stderr as a file: `fd` goes to spawn() as the child's fd 2 (opened for appending, so after
 * the recorder empties it ffmpeg goes on at the new end), and the recorder reads new lines from it.
 */
export class FfmpegLogFile {
  private offset = 0;
  private partial = '';
  private skipToNextLine = false;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private childFd: number | null;

  private constructor(
    private readonly dir: string,
    private readonly reader: FileHandle,
    childFd: number,
    private readonly onLine: (line: string) => void,
  ) {
    this.childFd = childFd;
  }

  static async create(onLine: (line: string) => void): Promise<FfmpegLogFile> {
    const dir = await mkdtemp(join(tmpdir(), 'packwitness-ffmpeg-'));
    const file = join(dir, 'stderr.log');
    // 0600: ffmpeg's messages can quote the camera URL, password included.
    const childFd = openSync(file, 'a', 0o600);
    try {
      return new FfmpegLogFile(dir, await open(file, 'r+'), childFd, onLine);
    } catch (err) {
      closeSync(childFd);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The descriptor to give the child as its stderr. */
  get fd(): number {
    if (this.childFd === null) throw new Error('the ffmpeg log file was already handed over');
    return this.childFd;
  }

  /**
   * After spawn: the child holds its own copy, ours is closed. The file is deleted at once (ffmpeg
   * and the reader keep it open, so it lives until both close it): a station that is killed leaves
   * nothing behind. Windows refuses to delete an open file; there it goes in close().
   */
  handedOver(): void {
    if (this.childFd !== null) closeSync(this.childFd);
    this.childFd = null;
    if (process.platform !== 'win32') void rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    this.timer = setInterval(() => void this.poll(), FFMPEG_LOG_POLL_MS);
  }

  /** Read what is left (after ffmpeg exited), then close the file and delete its folder if still there. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.poll().catch(() => undefined);
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
    if (this.childFd !== null) closeSync(this.childFd);
    this.childFd = null;
    await this.reader.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Read what ffmpeg has written so far now, not at the next poll (a typed command's echo). */
  readNow(): Promise<void> {
    return this.poll();
  }

  private poll(): Promise<void> {
    if (!this.reading) this.reading = this.readNew().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readNew(): Promise<void> {
    const { size } = await this.reader.stat();
    if (size < this.offset) this.offset = 0; // emptied by someone else: start again
    if (size - this.offset > FFMPEG_LOG_MAX_BYTES) {
      // Far behind (Node did not run while a camera logged an error per frame): only the newest lines
      // matter (the tail for an error sentence), so the work of catching up stays bounded.
      this.offset = size - FFMPEG_LOG_MAX_BYTES;
      this.partial = '';
      this.skipToNextLine = true;
    }
    if (size > this.offset) {
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await this.reader.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      // ffmpeg ends lines with \n, and progress-style lines with \r.
      const lines = (this.partial + buf.subarray(0, bytesRead).toString('utf8')).split(/\r\n|\r|\n/);
      this.partial = lines.pop() ?? '';
      if (this.skipToNextLine && lines.length) {
        lines.shift(); // the end of a line whose start was skipped
        this.skipToNextLine = false;
      }
      for (const line of lines) if (line.trim()) this.onLine(line);
    }
    if (this.offset >= FFMPEG_LOG_MAX_BYTES) {
      // What ffmpeg appends between the read above and this is lost: log lines, never footage.
      await this.reader.truncate(0);
      this.offset = 0;
    }
  }
}
