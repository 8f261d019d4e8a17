/**
 * The processes the recording benchmarks start and watch: the station CLI, the same recording
 * commands run bare, a client watching the live previews, and the small waits around them.
 * `recording` runs them back to back; `recording-paired` runs a station and its bare twin at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FfmpegInfo } from '../electron/station/ffmpeg/locate.js';
import { parseCameraSpec } from '../electron/station/recorder/camera-spec.js';
import { ENCODER_PRESETS, overlayFontSize, recordingInvocation, SEGMENT_LIST_NAME, toArgv } from '../electron/station/recorder/ffmpeg-command.js';
import { writeOverlaySync } from '../electron/station/recorder/overlay.js';
import { parseSegmentListLine } from '../electron/station/recorder/segment-list.js';
import { appRoot, overlayFont } from '../electron/station/resources.js';
import { round, type TreeSample } from './proc.js';

/** The station prints READY after its first segment closed; the bare run gets the same wait. */
export const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** The station's default name and no active codes: what the station writes into its overlay file. */
export const OVERLAY = { station: 'Station 1', codes: [] as string[] };

export type Exit = { code: number | null; signal: string | null };

// ---------------------------------------------------------------------------------------------------
// The station and its bare twin

export interface RunningStation {
  proc: ChildProcess;
  watched: Watched;
  dataDir: string;
  origin: string;
  /** How it was started: node and its arguments. */
  command: string[];
  /** Ends it (SIGTERM, as an operator's Ctrl-C; SIGKILL for what is left) and removes its data folder. */
  stop: (last: TreeSample | null) => Promise<Exit>;
}

/** The built CLI as an operator starts it (`packwitness station --camera …`), once it printed READY. */
export async function startStation(cameras: string[]): Promise<RunningStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pw-bench-station-'));
  const cli = join(appRoot(), 'bin', 'packwitness.js');
  const args = [cli, 'station', '--data', dataDir, ...cameras.flatMap((c) => ['--camera', c]), '--port', '0', '--token', 't'];
  const proc = spawn(process.execPath, args, { cwd: appRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watch(proc);
  const end = async (last: TreeSample | null): Promise<Exit> => {
    try {
      return await stop(proc, 'SIGTERM', watched, last);
    } finally {
      if (watched.exitInfo() === null) await stop(proc, 'SIGKILL', watched, null);
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await waitUntil(() => /^READY (\S+)$/m.test(watched.stdout()), READY_TIMEOUT_MS, watched, 'the station to print READY');
  } catch (err) {
    await end(null);
    throw err;
  }
  const origin = new URL(/^READY (\S+)$/m.exec(watched.stdout())![1]!).origin;
  return { proc, watched, dataDir, origin, command: [process.execPath, ...args], stop: end };
}

export interface BareRun {
  procs: Array<{ proc: ChildProcess; watched: Watched; runDir: string; argv: string[] }>;
  /** Frames encoded so far over all cameras (ffmpeg's stats line), null before every camera reported one. */
  frames: () => number | null;
  /** How the first camera's ffmpeg was started. */
  command: string[];
  stop: (last: TreeSample | null) => Promise<Exit>;
}

/**
 * The station's recording commands without the station: `recordingInvocation()` per camera, run
 * directly with the same ffmpeg, once each closed its first segment. `withFeeds` keeps the motion and
 * progress outputs (sent to sockets that only drain them); without, no Node is involved at all.
 */
export async function startBare(cameras: string[], height: number, withFeeds: boolean, ffmpeg: FfmpegInfo): Promise<BareRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-bare-'));
  const overlayFile = join(dir, 'overlay.txt');
  writeOverlaySync(overlayFile, OVERLAY);
  const procs: BareRun['procs'] = [];
  const feeds: Array<{ motion: Socket; progress: Socket }> = [];
  const cleanUp = async (): Promise<void> => {
    for (const p of procs) if (p.watched.exitInfo() === null) await stop(p.proc, 'SIGKILL', p.watched, null);
    rmSync(dir, { recursive: true, force: true });
    for (const f of feeds) {
      f.motion.close();
      f.progress.close();
    }
  };
  try {
    for (const [i, camera] of cameras.entries()) {
      const runDir = join(dir, `run${i}`);
      mkdirSync(runDir);
      const f = withFeeds ? await drainingFeeds() : null;
      if (f) feeds.push(f);
      const invocation = recordingInvocation({
        source: parseCameraSpec(camera, { ffmpegMajor: ffmpeg.major }),
        t0Ms: Date.now(),
        runDir,
        overlayFile,
        fontFile: overlayFont(),
        fontSize: overlayFontSize(height),
        encoder: ENCODER_PRESETS.standard,
        feeds: f ? { motionPort: f.motion.address().port, progressPort: f.progress.address().port } : null,
      });
      const argv = toArgv(invocation);
      // stdin a pipe, as the station gives its ffmpeg; the bare run's stats come on stderr.
      const proc = spawn(ffmpeg.path, argv, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
      procs.push({ proc, watched: watch(proc), runDir, argv });
    }
    for (const p of procs) await waitUntil(() => segmentListEnd(p.runDir) !== null, READY_TIMEOUT_MS, p.watched, 'ffmpeg to close its first segment');
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const frames = (): number | null => {
    const all = procs.map((p) => p.watched.frame());
    return all.every((x) => x !== null) ? all.reduce((t: number, x) => t + x!, 0) : null;
  };
  const end = async (last: TreeSample | null): Promise<Exit> => {
    try {
      const exits = await Promise.all(procs.map((p) => stop(p.proc, 'SIGINT', p.watched, last)));
      return exits.find((e) => e.code !== 0 && e.code !== 255) ?? exits[0]!;
    } finally {
      await cleanUp();
    }
  };
  return { procs, frames, command: [ffmpeg.path, ...procs[0]!.argv], stop: end };
}

// ---------------------------------------------------------------------------------------------------
// Watching

export interface Viewer {
  /** JPEGs received so far, per camera stream (main first). */
  frames: () => number[];
  close: () => void;
}

/** A client watching every camera's live preview, as the station screen does: one multipart stream per camera. */
export async function openViewer(origin: string, token: string): Promise<Viewer> {
  const headers = { authorization: `Bearer ${token}` };
  const status = (await (await fetch(`${origin}/api/status`, { headers })).json()) as { cameras?: Array<{ id: string }> };
  const others = (status.cameras ?? []).slice(1).map((c) => `?camera=${encodeURIComponent(c.id)}`);
  const ac = new AbortController();
  const counts: number[] = [];
  for (const [i, query] of ['', ...others].entries()) {
    counts[i] = 0;
    const res = await fetch(`${origin}/api/preview.mjpeg${query}`, { headers, signal: ac.signal });
    if (res.status !== 200 || !res.body) throw new Error(`the preview answered ${res.status}`);
    const reader = res.body.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        counts[i]! += (Buffer.from(value).toString('latin1').match(/Content-Type: image\/jpeg/g) ?? []).length;
      }
    })().catch(() => undefined);
  }
  return { frames: () => [...counts], close: () => ac.abort() };
}

/** Loopback UDP sockets that take (and drop) the motion and progress datagrams, as the station's do. */
async function drainingFeeds(): Promise<{ motion: Socket; progress: Socket }> {
  const open = async (): Promise<Socket> => {
    const sock = createSocket('udp4');
    sock.on('message', () => undefined);
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    return sock;
  };
  return { motion: await open(), progress: await open() };
}

/** End (seconds on the run's clock) of the last segment in a segment list, or null before the first. */
export function segmentListEnd(runDir: string | null): number | null {
  if (!runDir) return null;
  let text: string;
  try {
    text = readFileSync(join(runDir, SEGMENT_LIST_NAME), 'utf8');
  } catch {
    return null;
  }
  let end: number | null = null;
  for (const line of text.split('\n')) {
    const e = parseSegmentListLine(line);
    if (e) end = e.endSec;
  }
  return end;
}

/** The station's current run folder: <data>/runs/<camera>/<stamp>/, the newest stamp (ISO, sorts by time). */
export function newestRunDir(dataDir: string): string | null {
  const root = join(dataDir, 'runs');
  if (!existsSync(root)) return null;
  let best: { dir: string; stamp: string } | null = null;
  for (const cam of readdirSync(root)) {
    for (const stamp of readdirSync(join(root, cam))) {
      if (!best || stamp > best.stamp) best = { dir: join(root, cam, stamp), stamp };
    }
  }
  return best?.dir ?? null;
}

export interface Watched {
  stdout: () => string;
  stderrTail: () => string;
  frame: () => number | null;
  exitInfo: () => { code: number | null; signal: string | null } | null;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

export function watch(proc: ChildProcess): Watched {
  let out = '';
  let tail = '';
  let frame: number | null = null;
  let exitInfo: { code: number | null; signal: string | null } | null = null;
  proc.stdout?.on('data', (d: Buffer) => {
    // The station prints one line; a bare-preview ffmpeg writes JPEGs here, which are only drained.
    if (out.length < 64 * 1024) out += d.toString('latin1');
  });
  proc.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-8_000);
    const all = [...tail.matchAll(/frame=\s*(\d+)/g)];
    const lastMatch = all[all.length - 1];
    if (lastMatch) frame = Number(lastMatch[1]);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    }),
  );
  proc.on('error', () => undefined);
  return { stdout: () => out, stderrTail: () => tail, frame: () => frame, exitInfo: () => exitInfo, exited };
}

export async function waitUntil(check: () => boolean, timeoutMs: number, w: Watched, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    const ex = w.exitInfo();
    if (ex) throw new Error(`exited (code ${ex.code}, signal ${ex.signal}) while waiting for ${what}\n${w.stderrTail().slice(-1500)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${w.stderrTail().slice(-1500)}`);
    await sleep(100);
  }
}

/**
 * Stop a process we started and wait for it. If it does not exit in time it is killed, and so are the
 * descendants seen in the last sample (the station's ffmpeg), by pid.
 */
export async function stop(proc: ChildProcess, signal: NodeJS.Signals, w: Watched, lastSample: TreeSample | null): Promise<Exit> {
  const done = w.exitInfo();
  if (done) return done;
  proc.kill(signal);
  const timeout = sleep(STOP_TIMEOUT_MS).then(() => null);
  const result = await Promise.race([w.exited, timeout]);
  if (result) return result;
  for (const p of lastSample?.procs ?? []) {
    try {
      if (p.pid !== proc.pid) process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  proc.kill('SIGKILL');
  const killed = await w.exited;
  return { ...killed, signal: `${killed.signal ?? ''} (did not stop on ${signal} within ${STOP_TIMEOUT_MS / 1000} s)` };
}

export function log(msg: string): void {
  console.log(`[bench] ${msg}`);
}

/** What a result file says about the machine it was measured on. */
export function machineInfo(): { cpuModel: string; cpuCount: number; os: string; totalMemoryGB: number; node: string } {
  const list = cpus();
  return { cpuModel: list[0]?.model ?? 'unknown', cpuCount: list.length, os: `${osType()} ${release()}`, totalMemoryGB: round(totalmem() / 2 ** 30, 1), node: process.version };
}

/** What a result file says about the ffmpeg it measured. */
export function ffmpegReport(f: FfmpegInfo): { path: string; realPath: string | null; source: string; versionLine: string; major: number } {
  return { path: f.path, realPath: safeRealpath(f.path), source: f.source, versionLine: f.versionLine, major: f.major };
}

function safeRealpath(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** The middle value (the mean of the two middle ones for an even count), unrounded. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
