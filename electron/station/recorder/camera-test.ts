/**
 * "Test connection" in the settings screen: open a camera spec with ffmpeg and grab one frame, the
 * same input options the recording uses (RTSP over TCP with its socket time-out), so a camera that
 * passes here is one the recorder can open. Runs beside the recording: a USB camera that is already
 * recording is busy, so the test is meant for RTSP cameras (several clients may read their stream).
 *
 *   ffmpeg -hide_banner -nostdin -loglevel error -rtsp_transport tcp -stimeout 5000000 -i rtsp://…
 *     -frames:v 1 -vf scale=640:-2 -f image2pipe -c:v mjpeg -q:v 5 pipe:1
 */
import { spawn } from 'node:child_process';
import type { CameraTestResult } from '../../../shared/api.js';
import { maskCredentials } from '../../../shared/credentials.js';
import { CameraSpecError, parseCameraSpec } from './camera-spec.js';
import { hostOf, knownFailure } from './ffmpeg-failures.js';

/** The whole test gives up after this long (the RTSP socket time-out is 5 s; a slow camera's first keyframe can take a few more). */
export const CAMERA_TEST_TIMEOUT_MS = 12_000;

export async function testCamera(ffmpegPath: string, spec: string, ffmpegMajor: number, timeoutMs = CAMERA_TEST_TIMEOUT_MS): Promise<CameraTestResult> {
  const started = Date.now();
  const ms = (): number => Date.now() - started;
  let source;
  try {
    source = parseCameraSpec(spec, { ffmpegMajor });
  } catch (err) {
    if (err instanceof CameraSpecError) return { ok: false, error: err.message, ms: ms() };
    throw err;
  }
  const host = hostOf(spec);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...source.inputOptions, '-i', source.input, '-frames:v', '1', '-vf', 'scale=640:-2', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '5', 'pipe:1'];
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `ffmpeg could not be started: ${e.message}`, ms: ms() });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) return resolve({ ok: true, jpegBase64: jpeg.toString('base64'), ms: ms() });
      if (timedOut) return resolve({ ok: false, error: `No picture from ${host} within ${Math.round(timeoutMs / 1000)} s: check the address and that the camera is on.`, ms: ms() });
      const known = knownFailure(err, host);
      const last = maskCredentials(err.trim().split('\n').pop() ?? '');
      resolve({ ok: false, error: known ?? `The camera could not be opened: ${last || `ffmpeg exited with code ${code}`}`, ms: ms() });
    });
  });
}
