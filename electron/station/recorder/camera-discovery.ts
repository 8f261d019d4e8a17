/**
 * Finding a camera when the user did not name one (`--camera auto`, the default of `npm run station`):
 * the first video device the platform offers, or the demo camera when there is none, so the app always
 * starts and says which camera it is using.
 */
import { readdirSync } from 'node:fs';
import { FfmpegError, runFfmpeg } from '../ffmpeg/runner.js';

export async function listCameraSpecs(ffmpegPath: string): Promise<string[]> {
  switch (process.platform) {
    case 'linux':
      return linuxVideoDevices().map((d) => `v4l2:${d}`);
    case 'win32':
      return parseDshowDevices(await listDevicesOutput(ffmpegPath, ['-f', 'dshow', '-list_devices', 'true', '-i', 'dummy'])).map((n) => `dshow:${n}`);
    case 'darwin':
      return parseAvfoundationDevices(await listDevicesOutput(ffmpegPath, ['-f', 'avfoundation', '-list_devices', 'true', '-i', ''])).map((i) => `avfoundation:${i}`);
    default:
      return [];
  }
}

export async function autoCameraSpec(ffmpegPath: string): Promise<string> {
  return (await listCameraSpecs(ffmpegPath).catch(() => []))[0] ?? 'demo';
}

function linuxVideoDevices(): string[] {
  try {
    return readdirSync('/dev')
      .filter((f) => /^video\d+$/.test(f))
      .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
      .map((f) => `/dev/${f}`);
  } catch {
    return [];
  }
}

/** `ffmpeg -list_devices` always "fails" (there is no input called dummy); the list is on stderr. */
async function listDevicesOutput(ffmpegPath: string, args: string[]): Promise<string> {
  try {
    return (await runFfmpeg(ffmpegPath, ['-hide_banner', ...args], { timeoutMs: 10_000 })).stderr;
  } catch (err) {
    if (err instanceof FfmpegError) return err.stderr;
    throw err;
  }
}

/** Video device names from dshow's listing (older ffmpeg: a "video devices" section; newer: "(video)" after the name). */
export function parseDshowDevices(out: string): string[] {
  const names: string[] = [];
  let section: 'video' | 'audio' | null = null;
  for (const line of out.split('\n')) {
    if (/DirectShow video devices/i.test(line)) section = 'video';
    else if (/DirectShow audio devices/i.test(line)) section = 'audio';
    if (/Alternative name/i.test(line)) continue;
    const m = /\]\s+"([^"]+)"(\s+\((video|audio|none)\))?/.exec(line);
    if (!m) continue;
    const kind = m[3] ?? section;
    if (kind === 'video') names.push(m[1]!);
  }
  return names;
}

/** Indexes from "AVFoundation video devices:" up to the audio section, skipping screen capture. */
export function parseAvfoundationDevices(out: string): string[] {
  const idx: string[] = [];
  let inVideo = false;
  for (const line of out.split('\n')) {
    if (/AVFoundation video devices/i.test(line)) inVideo = true;
    else if (/AVFoundation audio devices/i.test(line)) inVideo = false;
    else if (inVideo) {
      const m = /\]\s+\[(\d+)\]\s+(.+)$/.exec(line);
      if (m && !/capture screen/i.test(m[2]!)) idx.push(m[1]!);
    }
  }
  return idx;
}
