/**
 * What the recorder gives ffmpeg to write to never makes it wait, and takes only what ffmpeg sends.
 * Real sockets and a real child process; the station's event loop is blocked by a busy
 * loop, as a long synchronous call would block it.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FFMPEG_LOG_MAX_BYTES } from '../../electron/station/limits.js';
import { FfmpegLogFile, LoopbackFeed, progressFrame } from '../../electron/station/recorder/ffmpeg-feeds.js';

const blockEventLoop = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* a synchronous call that takes a while */
  }
};

describe("ffmpeg's stderr file", () => {
  it('takes megabytes while the station does not read, then gives the newest 256 KB of lines in order', async () => {
    const lines: string[] = [];
    const log = await FfmpegLogFile.create((l) => lines.push(l));
    // 40,000 lines of ~100 bytes (4 MB: a pipe holds 64 KB, a socketpair ~270 writes), one write each,
    // as a camera logging an error per frame would; the child reports how long its writes took.
    const writer = `const fs = require('fs'); const t0 = Date.now();
      for (let i = 0; i < 40000; i++) fs.writeSync(2, '[h264 @ 0x1] error while decoding MB 23 45, bytestream -5 (line ' + i + ')' + ' '.repeat(30) + '\\n');
      fs.writeSync(2, 'wrote in ' + (Date.now() - t0) + ' ms\\n');`;
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'ignore', log.fd] });
    log.handedOver();
    const exited = once(child, 'exit');
    blockEventLoop(5_000);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    await log.close();
    // Catching up reads only the newest FFMPEG_LOG_MAX_BYTES: whole lines, consecutive, up to the last.
    const last = lines.at(-1)!;
    const numbered = lines.slice(0, -1).map((l) => Number(/\(line (\d+)\)/.exec(l)?.[1]));
    expect(numbered.at(-1)).toBe(39_999);
    expect(numbered.every((n, i) => n === numbered[0]! + i)).toBe(true);
    expect(lines.slice(0, -1).join('\n').length).toBeLessThanOrEqual(FFMPEG_LOG_MAX_BYTES);
    expect(lines.length).toBeGreaterThan(FFMPEG_LOG_MAX_BYTES / 200);
    // It did not wait for the station, which was not running for 5 s (through a pipe the same writes took ~5 s).
    const took = Number(/^wrote in (\d+) ms$/.exec(last)?.[1]);
    expect(took).toBeLessThan(2_500);
  });
});

describe('a loopback feed', () => {
  it('takes datagrams from the first sender it recognises only, and never from anyone else', async () => {
    const got: string[] = [];
    const feed = await LoopbackFeed.open((d) => progressFrame(d) !== null, (d) => got.push(d.toString('latin1')));
    const sender = async (): Promise<Socket> => {
      const s = createSocket('udp4');
      await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
      return s;
    };
    const [a, b] = [await sender(), await sender()];
    const send = (s: Socket, bytes: number[]) => new Promise<void>((resolve, reject) => s.send(Buffer.from(bytes), feed.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    try {
      await send(b, [1, 2, 3]); // not a progress block: does not make b the sender
      await send(a, [...Buffer.from('frame=1\n')]); // a is ffmpeg from now on
      await send(b, [...Buffer.from('frame=2\n')]); // a stranger, even with a progress block
      await send(a, [0x43]);
      const deadline = Date.now() + 2_000;
      while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual(['frame=1\n', 'C']);
    } finally {
      a.close();
      b.close();
      feed.close();
    }
  });
});
