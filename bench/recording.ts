/**
 * `recording`: what the station costs on top of the ffmpeg command it runs.
 *
 * For each configuration (720p30, 1080p30, demo camera, burned-in overlay) two things are measured
 * back to back, in CPU seconds per minute of recording (60 = one core busy all the time):
 *
 * - station: the built CLI (`node bin/packwitness.js station …`) as an operator starts it; the node
 *   process and its ffmpeg child (and anything else it starts) are counted.
 * - bare: the same recording command without the station: `recordingInvocation()` with
 *   `preview: false` (no MJPEG output, no Node), run directly with the same ffmpeg binary. This is the
 *   baseline; the target is station / bare <= 1.10.
 *
 * CPU comes from /proc/<pid>/stat over a steady-state window that starts after a warm-up, so start-up
 * (node loading, the first-segment probe, x264's look-ahead filling) is left out.
 *
 * Knobs (environment): BENCH_WINDOW_SECONDS (default 45), BENCH_WARMUP_SECONDS (5),
 * BENCH_RECORDING_CONFIGS (e.g. "720p30"), BENCH_RECORDING_VARIANTS (default "station,bare";
 * diagnostics: "bare-preview" = the station's ffmpeg command, preview included, run without Node).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { locateFfmpeg, type FfmpegInfo } from '../electron/station/ffmpeg/locate.js';
import { parseCameraSpec } from '../electron/station/recorder/camera-spec.js';
import { ENCODER_PRESETS, overlayFontSize, recordingInvocation, SEGMENT_LIST_NAME, toArgv } from '../electron/station/recorder/ffmpeg-command.js';
import { writeOverlaySync } from '../electron/station/recorder/overlay.js';
import { parseSegmentListLine } from '../electron/station/recorder/segment-list.js';
import { appRoot, overlayFont } from '../electron/station/resources.js';
import { clockTicksPerSecond, cmdlineOf, cpuBetween, round, sampleTree, type TreeSample, type WindowCpu } from './proc.js';

export const TARGET_RATIO = 1.1;

const CONFIGS = [
  { name: '720p30', width: 1280, height: 720, fps: 30 },
  { name: '1080p30', width: 1920, height: 1080, fps: 30 },
] as const;

type Variant = 'station' | 'bare' | 'bare-preview';
const VARIANTS: readonly Variant[] = ['station', 'bare', 'bare-preview'];

/** The station prints READY after its first segment closed; the bare run gets the same wait. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** The window is also sampled every few seconds, to show how steady the rate is. */
const INTERVAL_SECONDS = 5;
/** The station's default name and no active codes: what the station writes into its overlay file. */
const OVERLAY = { station: 'Station 1', codes: [] as string[] };

interface Settings {
  windowSeconds: number;
  warmupSeconds: number;
  configs: Array<(typeof CONFIGS)[number]>;
  variants: Variant[];
}

export interface VariantResult {
  variant: Variant;
  cpuSecondsPerMinute: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** Per live process: its own CPU in the window, in seconds per minute. */
  processes: Array<{ pid: number; comm: string; exe: string | null; cpuSecondsPerMinute: number }>;
  reapedChildrenCpuSecondsPerMinute: number;
  /** Rates of the INTERVAL_SECONDS slices of the window (steadiness). */
  intervalCpuSecondsPerMinute: { min: number; max: number; values: number[] };
  /** Video seconds the segment list grew by during the window (2 s granularity), / wall seconds. */
  recordedSeconds: number | null;
  realtimeFactor: number | null;
  /** ffmpeg's own frame counter over the window (bare runs only: the station reads ffmpeg's stderr itself). */
  encodedFps: number | null;
  /** argv of every ffmpeg that ran in the window (the station's child, or the bare process). */
  ffmpegCommands: string[][];
  /** How this variant was started (the station CLI, or the ffmpeg argv). */
  command: string[];
  exit: { code: number | null; signal: string | null };
}

export interface ConfigResult {
  name: string;
  camera: string;
  station: VariantResult | { error: string } | null;
  bare: VariantResult | { error: string } | null;
  diagnostics: Record<string, VariantResult | { error: string }>;
  ratio: number | null;
  meetsTarget: boolean | null;
}

function settings(): Settings {
  const num = (name: string, dflt: number): number => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : dflt;
  };
  const list = (name: string): string[] | null => process.env[name]?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const configNames = list('BENCH_RECORDING_CONFIGS');
  const configs = CONFIGS.filter((c) => !configNames || configNames.includes(c.name));
  if (configNames && configs.length !== configNames.length) throw new Error(`BENCH_RECORDING_CONFIGS: known configurations are ${CONFIGS.map((c) => c.name).join(', ')}`);
  const variants = (list('BENCH_RECORDING_VARIANTS') ?? ['station', 'bare']) as Variant[];
  const unknown = variants.filter((v) => !VARIANTS.includes(v));
  if (unknown.length) throw new Error(`BENCH_RECORDING_VARIANTS: unknown ${unknown.join(', ')}; known: ${VARIANTS.join(', ')}`);
  return { windowSeconds: num('BENCH_WINDOW_SECONDS', 45), warmupSeconds: num('BENCH_WARMUP_SECONDS', 5), configs, variants };
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const s = settings();
  const ffmpeg = await locateFfmpeg();
  const startedAt = Date.now();
  const cpuList = cpus();
  const machine = {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: cpuList.length,
    os: `${osType()} ${release()}`,
    totalMemoryGB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
  };
  const estimate = s.configs.length * s.variants.length * (s.windowSeconds + s.warmupSeconds + 8);
  log(`recording: ${s.configs.map((c) => c.name).join(', ')} × ${s.variants.join(', ')}; ${s.warmupSeconds} s warm-up + ${s.windowSeconds} s window each (about ${Math.ceil(estimate / 60)} min)`);
  log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source}) ${ffmpeg.versionLine}`);

  const results: ConfigResult[] = [];
  for (const config of s.configs) {
    const camera = `demo:${config.width}x${config.height}@${config.fps}`;
    const r: ConfigResult = { name: config.name, camera, station: null, bare: null, diagnostics: {}, ratio: null, meetsTarget: null };
    for (const variant of s.variants) {
      log(`${config.name} ${variant}: starting`);
      let vr: VariantResult | { error: string };
      try {
        vr = variant === 'station' ? await measureStation(camera, s) : await measureBare(camera, config.height, variant === 'bare-preview', ffmpeg, s);
        log(`${config.name} ${variant}: ${vr.cpuSecondsPerMinute.toFixed(2)} CPU s/min (${breakdown(vr)})`);
      } catch (err) {
        vr = { error: err instanceof Error ? err.message : String(err) };
        log(`${config.name} ${variant}: FAILED ${vr.error}`);
      }
      if (variant === 'station') r.station = vr;
      else if (variant === 'bare') r.bare = vr;
      else r.diagnostics[variant] = vr;
    }
    if (r.station && 'cpuSecondsPerMinute' in r.station && r.bare && 'cpuSecondsPerMinute' in r.bare) {
      r.ratio = round(r.station.cpuSecondsPerMinute / r.bare.cpuSecondsPerMinute, 3);
      r.meetsTarget = r.ratio <= TARGET_RATIO;
    }
    results.push(r);
  }

  const ratios = results.filter((r) => r.meetsTarget !== null);
  const meetsTarget = ratios.length === 0 ? null : ratios.every((r) => r.meetsTarget);
  const failed = results.some((r) => [r.station, r.bare, ...Object.values(r.diagnostics)].some((v) => v && 'error' in v));
  const report = {
    benchmark: 'recording',
    description:
      'CPU seconds per minute of recording (60 = one core fully busy), demo camera with the burned-in overlay. ' +
      'station = the built CLI (node + its ffmpeg child); bare = recordingInvocation({ preview: false }) run directly with the same ffmpeg (the baseline).',
    date: new Date(startedAt).toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine,
    ffmpeg: { path: ffmpeg.path, realPath: safeRealpath(ffmpeg.path), source: ffmpeg.source, versionLine: ffmpeg.versionLine, major: ffmpeg.major },
    method: {
      cpuSource: '/proc/<pid>/stat utime+stime of every live process in the tree, plus cutime+cstime (reaped children), difference over the window',
      clockTicksPerSecond: clockTicksPerSecond(),
      warmupSeconds: s.warmupSeconds,
      windowSeconds: s.windowSeconds,
      intervalSeconds: INTERVAL_SECONDS,
      order: 'per configuration, the variants back to back in this order: ' + s.variants.join(', '),
      encoder: 'standard',
      overlay: OVERLAY,
    },
    target: { metric: 'station.cpuSecondsPerMinute / bare.cpuSecondsPerMinute', maxRatio: TARGET_RATIO },
    meetsTarget,
    configurations: results,
  };
  const out = join(appRoot(), 'bench', 'results', 'recording.json');
  mkdirSync(join(appRoot(), 'bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  printTable(results, s, machine);
  console.log(`written: ${out}`);
  return { meetsTarget, failed };
}

// ---------------------------------------------------------------------------------------------------
// The two ways of recording

async function measureStation(camera: string, s: Settings): Promise<VariantResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pw-bench-station-'));
  const cli = join(appRoot(), 'bin', 'packwitness.js');
  const args = [cli, 'station', '--data', dataDir, '--camera', camera, '--port', '0', '--token', 't'];
  const proc = spawn(process.execPath, args, { cwd: appRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watch(proc);
  try {
    await waitUntil(() => /^READY (\S+)$/m.test(watched.stdout()), READY_TIMEOUT_MS, watched, 'the station to print READY');
    const m = await measureWindow(proc.pid!, () => segmentListEnd(newestRunDir(dataDir)), () => null, s);
    return finish('station', m, [process.execPath, ...args], await stop(proc, 'SIGTERM', watched, m.last));
  } finally {
    if (watched.exitInfo() === null) await stop(proc, 'SIGKILL', watched, null);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureBare(camera: string, height: number, preview: boolean, ffmpeg: FfmpegInfo, s: Settings): Promise<VariantResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-bare-'));
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const overlayFile = join(dir, 'overlay.txt');
  writeOverlaySync(overlayFile, OVERLAY);
  const invocation = recordingInvocation({
    source: parseCameraSpec(camera, { ffmpegMajor: ffmpeg.major }),
    t0Ms: Date.now(),
    runDir,
    overlayFile,
    fontFile: overlayFont(),
    fontSize: overlayFontSize(height),
    encoder: ENCODER_PRESETS.standard,
    preview,
  });
  const argv = toArgv(invocation);
  // stdin a pipe, as fluent-ffmpeg gives the station's ffmpeg; stdout drained (only used with the preview).
  const proc = spawn(ffmpeg.path, argv, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const watched = watch(proc);
  try {
    await waitUntil(() => segmentListEnd(runDir) !== null, READY_TIMEOUT_MS, watched, 'ffmpeg to close its first segment');
    const m = await measureWindow(proc.pid!, () => segmentListEnd(runDir), () => watched.frame(), s);
    return finish(preview ? 'bare-preview' : 'bare', m, [ffmpeg.path, ...argv], await stop(proc, 'SIGINT', watched, m.last));
  } finally {
    if (watched.exitInfo() === null) await stop(proc, 'SIGKILL', watched, null);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Measured {
  cpu: WindowCpu;
  intervals: number[];
  recordedSeconds: number | null;
  frames: number | null;
  ffmpegCommands: string[][];
  last: TreeSample;
}

async function measureWindow(rootPid: number, mediaEnd: () => number | null, frame: () => number | null, s: Settings): Promise<Measured> {
  await sleep(s.warmupSeconds * 1000);
  const first = sampleTree(rootPid);
  const media0 = mediaEnd();
  const frame0 = frame();
  const intervals: number[] = [];
  const ffmpegCommands = new Map<string, string[]>();
  const noteFfmpeg = (t: TreeSample): void => {
    for (const p of t.procs) {
      if (!/ffmpeg/i.test(p.comm)) continue;
      const argv = cmdlineOf(p.pid);
      if (argv) ffmpegCommands.set(`${p.pid}@${p.starttime}`, argv);
    }
  };
  noteFfmpeg(first);
  let prev = first;
  const endAt = first.atNs + BigInt(Math.round(s.windowSeconds * 1e9));
  for (;;) {
    const left = Number(endAt - process.hrtime.bigint()) / 1e6;
    if (left <= 0) break;
    await sleep(Math.min(left, INTERVAL_SECONDS * 1000));
    const t = sampleTree(rootPid);
    noteFfmpeg(t);
    const slice = cpuBetween(prev, t);
    if (slice.wallSeconds > 1) intervals.push(round((slice.cpuSeconds / slice.wallSeconds) * 60, 2));
    prev = t;
  }
  const last = prev;
  const media1 = mediaEnd();
  const frame1 = frame();
  return {
    cpu: cpuBetween(first, last),
    intervals,
    recordedSeconds: media0 !== null && media1 !== null ? media1 - media0 : null,
    frames: frame0 !== null && frame1 !== null ? frame1 - frame0 : null,
    ffmpegCommands: [...ffmpegCommands.values()],
    last,
  };
}

function finish(variant: Variant, m: Measured, command: string[], exit: VariantResult['exit']): VariantResult {
  const perMin = (cpuSeconds: number): number => round((cpuSeconds / m.cpu.wallSeconds) * 60, 2);
  return {
    variant,
    cpuSecondsPerMinute: perMin(m.cpu.cpuSeconds),
    cpuSeconds: round(m.cpu.cpuSeconds, 2),
    wallSeconds: round(m.cpu.wallSeconds, 2),
    processes: m.cpu.processes.map((p) => ({ pid: p.pid, comm: p.comm, exe: p.exe, cpuSecondsPerMinute: perMin(p.cpuSeconds) })),
    reapedChildrenCpuSecondsPerMinute: perMin(m.cpu.reapedChildrenCpuSeconds),
    intervalCpuSecondsPerMinute: { min: Math.min(...m.intervals), max: Math.max(...m.intervals), values: m.intervals },
    recordedSeconds: m.recordedSeconds === null ? null : round(m.recordedSeconds, 2),
    realtimeFactor: m.recordedSeconds === null ? null : round(m.recordedSeconds / m.cpu.wallSeconds, 3),
    encodedFps: m.frames === null ? null : round(m.frames / m.cpu.wallSeconds, 2),
    ffmpegCommands: m.ffmpegCommands,
    command,
    exit,
  };
}

/** End (seconds on the run's clock) of the last segment in a segment list, or null before the first. */
function segmentListEnd(runDir: string | null): number | null {
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
function newestRunDir(dataDir: string): string | null {
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

// ---------------------------------------------------------------------------------------------------
// Processes

interface Watched {
  stdout: () => string;
  stderrTail: () => string;
  frame: () => number | null;
  exitInfo: () => { code: number | null; signal: string | null } | null;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function watch(proc: ChildProcess): Watched {
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

async function waitUntil(check: () => boolean, timeoutMs: number, w: Watched, what: string): Promise<void> {
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
async function stop(proc: ChildProcess, signal: NodeJS.Signals, w: Watched, lastSample: TreeSample | null): Promise<VariantResult['exit']> {
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

// ---------------------------------------------------------------------------------------------------
// Output

function log(msg: string): void {
  console.log(`[bench] ${msg}`);
}

function safeRealpath(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function breakdown(v: VariantResult): string {
  const parts = v.processes.map((p) => `${p.comm} ${p.cpuSecondsPerMinute.toFixed(2)}`);
  if (Math.abs(v.reapedChildrenCpuSecondsPerMinute) >= 0.01) parts.push(`reaped children ${v.reapedChildrenCpuSecondsPerMinute.toFixed(2)}`);
  const rt = v.realtimeFactor === null ? '' : `; ${v.recordedSeconds} s recorded in ${v.wallSeconds} s`;
  return parts.join(', ') + rt;
}

function printTable(results: ConfigResult[], s: Settings, machine: { cpuModel: string; cpuCount: number }): void {
  const cell = (v: VariantResult | { error: string } | null): string => (v === null ? '-' : 'error' in v ? 'error' : v.cpuSecondsPerMinute.toFixed(2));
  const rows: string[][] = [['config', 'station', 'bare ffmpeg (baseline)', 'ratio', 'target', 'result']];
  for (const r of results) {
    rows.push([
      r.name,
      cell(r.station),
      cell(r.bare),
      r.ratio === null ? '-' : r.ratio.toFixed(3),
      `<= ${TARGET_RATIO.toFixed(2)}`,
      r.meetsTarget === null ? '-' : r.meetsTarget ? 'ok' : 'MISSED',
    ]);
    for (const [name, v] of Object.entries(r.diagnostics)) rows.push([`  ${name}`, cell(v), '', '', '', 'diagnostic']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log('');
  console.log(`recording: CPU seconds per minute of recording (60 = one core busy); ${s.windowSeconds} s window after ${s.warmupSeconds} s warm-up; ${machine.cpuCount} × ${machine.cpuModel}`);
  for (const row of rows) console.log('  ' + row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of results) {
    if (r.station && 'processes' in r.station) console.log(`  ${r.name} station by process: ${breakdown(r.station)}`);
  }
  console.log('');
}
