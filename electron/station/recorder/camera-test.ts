/**
 * "Test connection" in the settings screen: open a camera spec with ffmpeg and grab one frame, the
 * same input options the recording uses (RTSP over TCP with its socket time-out), so a camera that
 * passes here is one the recorder can open. Runs beside the recording: a USB camera that is already
 * recording is busy, so the test is meant for RTSP cameras (several clients may read their stream).
 *
 *   ffmpeg -hide_banner -nostdin -loglevel error -rtsp_transport tcp -stimeout 5000000 -i rtsp://…
 *     -frames:v 1 -vf scale=640:-2 -f image2pipe -c:v mjpeg -q:v 5 pipe:1
 */
import type { CameraTestResult } from '../../../shared/api.js';
import { FfmpegError, runFfmpeg } from '../ffmpeg/runner.js';
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
  try {
    // One JPEG of at most 640 px: 16 MiB is far more than it can be.
    const { stdout } = await runFfmpeg(ffmpegPath, args, { timeoutMs, maxStdoutBytes: 16 << 20, stderrBytes: 8_000 });
    if (stdout.length > 0) return { ok: true, jpegBase64: stdout.toString('base64'), ms: ms() };
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    if (err.failure === 'timeout') return { ok: false, error: `No picture from ${host} within ${Math.round(timeoutMs / 1000)} s: check the address and that the camera is on.`, ms: ms() };
    if (err.failure === 'spawn') return { ok: false, error: err.message, ms: ms() };
    const known = knownFailure(err.stderr, host);
    return { ok: false, error: known ?? `The camera could not be opened: ${err.said || err.message}`, ms: ms() };
  }
  return { ok: false, error: 'The camera could not be opened: ffmpeg gave no picture', ms: ms() };
}
