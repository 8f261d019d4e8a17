/**
 * A network camera stand-in: an ffmpeg serving a real-time test picture as H.264 in MPEG-TS on
 * tcp:// (what IP encoders serve), waiting for one client. Kill it and the camera is gone.
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

export async function startNetworkCamera(port: number, fps = 30): Promise<ChildProcess> {
  return spawn(await ffmpegBin(), [
    '-hide_banner', '-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${fps}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(fps), '-pix_fmt', 'yuv420p',
    '-f', 'mpegts', `tcp://127.0.0.1:${port}?listen=1`,
  ], { stdio: 'ignore' });
}
