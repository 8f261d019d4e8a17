/**
 * A network camera stand-in: an ffmpeg this test starts, serving a real-time H.264 test picture in
 * MPEG-TS on tcp:// (as IP encoders do), for one client. Kill it to unplug the camera.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ffmpegBin } from './media.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startTcpCamera(port: number, size = '320x240'): Promise<ChildProcess> {
  return spawn(await ffmpegBin(), [
    '-hide_banner', '-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-pix_fmt', 'yuv420p',
    '-f', 'mpegts', `tcp://127.0.0.1:${port}?listen=1`,
  ], { stdio: 'ignore' });
}
