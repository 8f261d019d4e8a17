/**
 * `recording`: what the station costs on top of the ffmpeg commands it runs.
 *
 * For each configuration (720p30, 1080p30, demo camera, burned-in overlay) and camera count (1 and 2
 * cameras of that size) these are measured back to back, in CPU seconds per minute of recording
 * (60 = one core busy all the time):
 *
 * - station: the built CLI (`node bin/packwitness.js station --camera … [--camera …]`) as an operator
 *   starts it, nobody watching; the node process and its ffmpeg children (and anything else it
 *   starts) are counted. Target: <= 1.05 x bare.
 * - station-viewer: the same with one viewer: a client reading every camera's live preview
 *   (/api/preview.mjpeg, ?camera=ID for the others), as the station screen does, for the whole
 *   window; the preview ffmpegs it makes the station start are counted. Target: <= 1.10 x bare.
 * - bare: the same recording commands without the station: `recordingInvocation()` with
 *   `feeds: null` (no motion output, no Node), one ffmpeg per camera, run directly with the same
 *   ffmpeg binary. The baseline.
 *
 * CPU comes from /proc/<pid>/stat over a steady-state window that starts after a warm-up, so start-up
 * (node loading, the first-segment probe, the encoder settling) is left out.
 *
 * The machine's other load is measured too (/proc/stat): CPU time per frame rises when something else
 * competes for the cores, so a window with other load is flagged `disturbed`, and a second ratio is
 * computed from the quiet 5 s slices only.
 *
 * Knobs (environment): BENCH_WINDOW_SECONDS (default 45), BENCH_WARMUP_SECONDS (5), BENCH_ROUNDS (1;
 * more rounds alternate the order ABBA and sum the windows), BENCH_RECORDING_CONFIGS (e.g. "720p30"),
 * BENCH_RECORDING_CAMERAS (default "1,2"), BENCH_RECORDING_VARIANTS (default "station,station-viewer,bare";
 * diagnostic: "bare-feeds" = the station's ffmpeg commands, motion and progress outputs included, run
 * without Node).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { locateFfmpeg, type FfmpegInfo } from '../electron/station/ffmpeg/locate.js';
import { appRoot } from '../electron/station/resources.js';
import { clockTicksPerSecond, cmdlineOf, cpuBetween, round, sampleTree, systemTicks, treeTicks, type SystemTicks, type TreeSample, type WindowCpu } from './proc.js';
import { ffmpegReport, log, machineInfo, median, newestRunDir, openViewer, OVERLAY, segmentListEnd, startBare, startStation, type Viewer } from './recording-parts.js';

/** station / bare with nobody watching, and with one viewer of every camera's preview. */
export const TARGET_RATIO = { station: 1.05, 'station-viewer': 1.1 } as const;

export const CONFIGS = [
  { name: '720p30', width: 1280, height: 720, fps: 30 },
  { name: '1080p30', width: 1920, height: 1080, fps: 30 },
] as const;

type Variant = 'station' | 'station-viewer' | 'bare' | 'bare-feeds';
const VARIANTS: readonly Variant[] = ['station', 'station-viewer', 'bare', 'bare-feeds'];

/** The window is also sampled every few seconds, to show how steady the rate is. */
const INTERVAL_SECONDS = 5;
/** Other processes using more than this (in cores, on average) make a window's numbers suspect. */
const BACKGROUND_WARN_CORES = 0.15;

interface Settings {
  windowSeconds: number;
  warmupSeconds: number;
  rounds: number;
  configs: Array<(typeof CONFIGS)[number]>;
  cameraCounts: number[];
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
  intervalCpuSecondsPerMinute: { min: number; median: number; max: number; values: number[] };
  /**
   * CPU used by everything else on the machine during the window, in cores (machine busy time from
   * /proc/stat minus ours; includes the benchmark's own node process, a few thousandths of a core).
   * Anything above BACKGROUND_WARN_CORES competes for the 2 cores and makes the numbers noisy.
   */
  backgroundCores: number;
  intervalBackgroundCores: number[];
  stealCores: number;
  disturbed: boolean;
  /** Video seconds the segment list grew by during the window (2 s granularity), / wall seconds. */
  recordedSeconds: number | null;
  realtimeFactor: number | null;
  /** ffmpeg's own frame counter over the window (bare runs only: the station reads ffmpeg's stderr itself). */
  encodedFps: number | null;
  /** station-viewer: preview JPEGs the viewer received during the window, per camera (main first). */
  viewerFrames: number[] | null;
  /** argv of every ffmpeg that ran in the window (the station's child, or the bare process). */
  ffmpegCommands: string[][];
  /** How this variant was started (the station CLI, or the ffmpeg argv). */
  command: string[];
  exit: { code: number | null; signal: string | null };
}

/** One variant of one configuration, over all its rounds (CPU and wall time summed). */
export interface VariantSummary {
  cpuSecondsPerMinute: number;
  /** Per process name (node, ffmpeg, …): own CPU in seconds per minute, over all rounds. */
  byProcess: Record<string, number>;
  /** Mean CPU of other processes during the windows, in cores; disturbed when above BACKGROUND_WARN_CORES. */
  backgroundCores: number;
  disturbed: boolean;
  /**
   * Median rate of the INTERVAL_SECONDS slices during which other processes used less than
   * BACKGROUND_WARN_CORES; null when there were fewer than MIN_QUIET_INTERVALS such slices.
   */
  quietMedianCpuSecondsPerMinute: number | null;
  quietIntervals: number;
  runs: Array<VariantResult | { error: string }>;
}

export interface ConfigResult {
  /** e.g. "720p30 x2": the configuration and the number of cameras. */
  name: string;
  config: string;
  cameras: number;
  camera: string;
  station: VariantSummary | null;
  stationViewer: VariantSummary | null;
  bare: VariantSummary | null;
  diagnostics: Record<string, VariantSummary>;
  /** station / bare, whole windows: the benchmark's number with nobody watching (target TARGET_RATIO.station). */
  ratio: number | null;
  /** station-viewer / bare (target TARGET_RATIO['station-viewer']). */
  viewerRatio: number | null;
  /** Both ratios within their targets (null when either is missing). */
  meetsTarget: boolean | null;
  /** Other processes used more than BACKGROUND_WARN_CORES during the station's or the bare windows. */
  disturbed: boolean;
  /** station / bare and station-viewer / bare from the quiet slices only: a cross-check when the machine was busy. */
  quietRatio: number | null;
  quietViewerRatio: number | null;
  /**
   * How the station's (first) ffmpeg command differs from the bare one (temp paths and t0 normalised):
   * expected is only the motion feed (split branch, UDP output) and the progress feed (-loglevel
   * warning -nostats -progress udp://… instead of -loglevel info with stats on stderr).
   */
  commandDifference: { stationOnly: string[]; bareOnly: string[] } | null;
}

/** Fewer quiet slices than this give no quiet median. */
const MIN_QUIET_INTERVALS = 3;

function settings(): Settings {
  const num = (name: string, dflt: number): number => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : dflt;
  };
  const list = (name: string): string[] | null => process.env[name]?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const configNames = list('BENCH_RECORDING_CONFIGS');
  const configs = CONFIGS.filter((c) => !configNames || configNames.includes(c.name));
  if (configNames && configs.length !== configNames.length) throw new Error(`BENCH_RECORDING_CONFIGS: known configurations are ${CONFIGS.map((c) => c.name).join(', ')}`);
  const variants = (list('BENCH_RECORDING_VARIANTS') ?? ['station', 'station-viewer', 'bare']) as Variant[];
  const cameraCounts = (list('BENCH_RECORDING_CAMERAS') ?? ['1', '2']).map(Number);
  if (cameraCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 4)) throw new Error('BENCH_RECORDING_CAMERAS: camera counts from 1 to 4, e.g. "1,2"');
  const unknown = variants.filter((v) => !VARIANTS.includes(v));
  if (unknown.length) throw new Error(`BENCH_RECORDING_VARIANTS: unknown ${unknown.join(', ')}; known: ${VARIANTS.join(', ')}`);
  return {
    windowSeconds: num('BENCH_WINDOW_SECONDS', 45),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 5),
    rounds: Math.round(num('BENCH_ROUNDS', 1)),
    configs,
    cameraCounts,
    variants,
  };
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const s = settings();
  const ffmpeg = await locateFfmpeg();
  const startedAt = Date.now();
  const machine = machineInfo();
  const estimate = s.configs.length * s.cameraCounts.length * s.variants.length * s.rounds * (s.windowSeconds + s.warmupSeconds + 8);
  log(
    `recording: ${s.configs.map((c) => c.name).join(', ')} × ${s.cameraCounts.join(', ')} camera(s) × ${s.variants.join(', ')}` +
      `${s.rounds > 1 ? ` × ${s.rounds} rounds` : ''}; ${s.warmupSeconds} s warm-up + ${s.windowSeconds} s window each (about ${Math.ceil(estimate / 60)} min)`,
  );
  log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source}) ${ffmpeg.versionLine}`);

  const results: ConfigResult[] = [];
  for (const config of s.configs) for (const count of s.cameraCounts) {
    const camera = `demo:${config.width}x${config.height}@${config.fps}`;
    const cameras = Array.from({ length: count }, () => camera);
    const name = `${config.name} x${count}`;
    const runs = new Map<Variant, Array<VariantResult | { error: string }>>(s.variants.map((v) => [v, []]));
    for (let round = 0; round < s.rounds; round++) {
      // Every other round in reverse (ABBA…), so a drift of the machine's speed hits both alike.
      const order = round % 2 === 0 ? s.variants : [...s.variants].reverse();
      for (const variant of order) {
        log(`${name} ${variant}${s.rounds > 1 ? ` (round ${round + 1}/${s.rounds})` : ''}: starting`);
        let vr: VariantResult | { error: string };
        try {
          vr = variant === 'station' || variant === 'station-viewer' ? await measureStation(cameras, variant, s) : await measureBare(cameras, config.height, variant === 'bare-feeds', ffmpeg, s);
          log(`${name} ${variant}: ${vr.cpuSecondsPerMinute.toFixed(2)} CPU s/min (${breakdown(vr)})`);
        } catch (err) {
          vr = { error: err instanceof Error ? err.message : String(err) };
          log(`${name} ${variant}: FAILED ${vr.error}`);
        }
        runs.get(variant)!.push(vr);
      }
    }
    const r: ConfigResult = {
      name, config: config.name, cameras: count, camera, station: null, stationViewer: null, bare: null, diagnostics: {},
      ratio: null, viewerRatio: null, meetsTarget: null, disturbed: false, quietRatio: null, quietViewerRatio: null, commandDifference: null,
    };
    for (const [variant, list] of runs) {
      const sum = summarize(list);
      if (variant === 'station') r.station = sum;
      else if (variant === 'station-viewer') r.stationViewer = sum;
      else if (variant === 'bare') r.bare = sum;
      else r.diagnostics[variant] = sum;
    }
    r.commandDifference = commandDifference(runs.get('station') ?? runs.get('station-viewer') ?? [], runs.get('bare') ?? []);
    const bare = r.bare && ok(r.bare) ? r.bare : null;
    const ratioOf = (v: VariantSummary | null): { ratio: number | null; quiet: number | null } => {
      if (!v || !ok(v) || !bare) return { ratio: null, quiet: null };
      const quiet = v.quietMedianCpuSecondsPerMinute !== null && bare.quietMedianCpuSecondsPerMinute !== null ? round(v.quietMedianCpuSecondsPerMinute / bare.quietMedianCpuSecondsPerMinute, 3) : null;
      return { ratio: round(v.cpuSecondsPerMinute / bare.cpuSecondsPerMinute, 3), quiet };
    };
    const plain = ratioOf(r.station);
    const viewed = ratioOf(r.stationViewer);
    r.ratio = plain.ratio;
    r.quietRatio = plain.quiet;
    r.viewerRatio = viewed.ratio;
    r.quietViewerRatio = viewed.quiet;
    const checks = [
      ...(r.ratio === null ? [] : [r.ratio <= TARGET_RATIO.station]),
      ...(r.viewerRatio === null ? [] : [r.viewerRatio <= TARGET_RATIO['station-viewer']]),
    ];
    r.meetsTarget = checks.length ? checks.every(Boolean) : null;
    r.disturbed = [r.station, r.stationViewer, r.bare].some((v) => v?.disturbed);
    results.push(r);
  }

  const ratios = results.filter((r) => r.meetsTarget !== null);
  const meetsTarget = ratios.length === 0 ? null : ratios.every((r) => r.meetsTarget);
  const failed = results.some((r) => [r.station, r.stationViewer, r.bare, ...Object.values(r.diagnostics)].some((v) => v && v.runs.some((x) => 'error' in x)));
  const report = {
    benchmark: 'recording',
    description:
      'CPU seconds per minute of recording (60 = one core fully busy), 1 and 2 demo cameras with the burned-in overlay. ' +
      'station = the built CLI (node + its ffmpeg children), nobody watching; station-viewer = the same while one client reads every camera\'s live preview; ' +
      'bare = recordingInvocation({ feeds: null }) per camera run directly with the same ffmpeg (the baseline).',
    date: new Date(startedAt).toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine,
    ffmpeg: ffmpegReport(ffmpeg),
    method: {
      cpuSource: '/proc/<pid>/stat: utime+stime+cutime+cstime summed over the live process trees (node and its ffmpeg children for the station, each bare ffmpeg), difference between the start and the end of the window',
      clockTicksPerSecond: clockTicksPerSecond(),
      warmupSeconds: s.warmupSeconds,
      windowSeconds: s.windowSeconds,
      intervalSeconds: INTERVAL_SECONDS,
      rounds: s.rounds,
      order: `per configuration, back to back: ${s.variants.join(', ')}${s.rounds > 1 ? ' (reversed every other round)' : ''}`,
      ready: 'station: its READY line (printed after the first segment closed); bare: the first line of its segment list',
      encoder: 'standard',
      overlay: OVERLAY,
      disturbedAboveCores: BACKGROUND_WARN_CORES,
    },
    target: { metric: 'station.cpuSecondsPerMinute / bare.cpuSecondsPerMinute (station-viewer likewise)', maxRatio: TARGET_RATIO },
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

function commandDifference(station: Array<VariantResult | { error: string }>, bare: Array<VariantResult | { error: string }>): ConfigResult['commandDifference'] {
  const st = station.find((x): x is VariantResult => !('error' in x))?.ffmpegCommands[0];
  const ba = bare.find((x): x is VariantResult => !('error' in x))?.ffmpegCommands[0];
  if (!st || !ba) return null;
  const norm = (argv: string[]): string[] =>
    argv.slice(1).map((a, i, all) => (all[i - 1] === '-itsoffset' ? '<t0>' : a.replace(/\/[^'\s]*?\/pw-bench-(station|bare)-[^/'\s]+(\/runs\/[^/'\s]+\/[^/'\s]+|\/run|\/overlay)?/g, '<dir>')));
  const minus = (a: string[], b: string[]): string[] => {
    const left = [...b];
    return a.filter((x) => {
      const i = left.indexOf(x);
      if (i < 0) return true;
      left.splice(i, 1);
      return false;
    });
  };
  const s = norm(st);
  const b = norm(ba);
  return { stationOnly: minus(s, b), bareOnly: minus(b, s) };
}

const ok = (v: VariantSummary): boolean => Number.isFinite(v.cpuSecondsPerMinute);

function summarize(list: Array<VariantResult | { error: string }>): VariantSummary {
  const good = list.filter((x): x is VariantResult => !('error' in x));
  const wall = good.reduce((t, x) => t + x.wallSeconds, 0);
  const perMin = (cpu: number): number => (wall > 0 ? round((cpu / wall) * 60, 2) : NaN);
  const byProcess: Record<string, number> = {};
  for (const x of good) {
    for (const p of x.processes) byProcess[p.comm] = (byProcess[p.comm] ?? 0) + (p.cpuSecondsPerMinute * x.wallSeconds) / 60;
    if (x.reapedChildrenCpuSecondsPerMinute) byProcess['(reaped children)'] = (byProcess['(reaped children)'] ?? 0) + (x.reapedChildrenCpuSecondsPerMinute * x.wallSeconds) / 60;
  }
  for (const k of Object.keys(byProcess)) byProcess[k] = perMin(byProcess[k]!);
  const quiet = good.flatMap((x) => x.intervalCpuSecondsPerMinute.values.filter((_, i) => (x.intervalBackgroundCores[i] ?? Infinity) < BACKGROUND_WARN_CORES));
  const background = wall > 0 ? round(good.reduce((t, x) => t + x.backgroundCores * x.wallSeconds, 0) / wall, 3) : NaN;
  return {
    cpuSecondsPerMinute: perMin(good.reduce((t, x) => t + x.cpuSeconds, 0)),
    byProcess,
    backgroundCores: background,
    disturbed: background > BACKGROUND_WARN_CORES,
    quietMedianCpuSecondsPerMinute: quiet.length >= MIN_QUIET_INTERVALS ? round(median(quiet), 2) : null,
    quietIntervals: quiet.length,
    runs: list,
  };
}

// ---------------------------------------------------------------------------------------------------
// The two ways of recording

async function measureStation(cameras: string[], variant: 'station' | 'station-viewer', s: Settings): Promise<VariantResult> {
  const station = await startStation(cameras);
  let viewer: Viewer | null = null;
  let last: TreeSample | null = null;
  try {
    if (variant === 'station-viewer') viewer = await openViewer(station.origin, 't');
    const m = await measureWindow([station.proc.pid!], () => segmentListEnd(newestRunDir(station.dataDir)), () => null, s, viewer);
    last = m.last;
    viewer?.close();
    viewer = null;
    return finish(variant, m, station.command, await station.stop(last));
  } finally {
    viewer?.close();
    await station.stop(last);
  }
}

async function measureBare(cameras: string[], height: number, withFeeds: boolean, ffmpeg: FfmpegInfo, s: Settings): Promise<VariantResult> {
  const bare = await startBare(cameras, height, withFeeds, ffmpeg);
  let last: TreeSample | null = null;
  try {
    const m = await measureWindow(bare.procs.map((p) => p.proc.pid!), () => segmentListEnd(bare.procs[0]!.runDir), bare.frames, s, null);
    last = m.last;
    return finish(withFeeds ? 'bare-feeds' : 'bare', m, bare.command, await bare.stop(last));
  } finally {
    await bare.stop(last);
  }
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Measured {
  cpu: WindowCpu;
  intervals: number[];
  intervalBackground: number[];
  background: number;
  steal: number;
  recordedSeconds: number | null;
  frames: number | null;
  ffmpegCommands: string[][];
  /** Pids of the live-preview ffmpegs seen (they read MPEG-TS on stdin): named apart from the recording ones. */
  previewPids: Set<number>;
  viewerFrames: number[] | null;
  last: TreeSample;
}

/** The station's live-preview ffmpeg (preview-tap.ts) reads the stream on stdin; a recording ffmpeg never does. */
const isPreviewCommand = (argv: string[]): boolean => argv.includes('pipe:0');

/** Several process trees sampled as one (the bare run's ffmpegs, one per camera). */
function sampleTrees(rootPids: number[]): TreeSample {
  const samples = rootPids.map((pid) => sampleTree(pid));
  return { atNs: samples[0]!.atNs, procs: samples.flatMap((x) => x.procs) };
}

async function measureWindow(rootPids: number[], mediaEnd: () => number | null, frame: () => number | null, s: Settings, viewer: Viewer | null): Promise<Measured> {
  await sleep(s.warmupSeconds * 1000);
  const viewer0 = viewer?.frames() ?? null;
  const first = sampleTrees(rootPids);
  const sys0 = systemTicks();
  const media0 = mediaEnd();
  const frame0 = frame();
  const intervals: number[] = [];
  const intervalBackground: number[] = [];
  const hz = clockTicksPerSecond();
  /** Cores used by other processes between two (tree, machine) samples. */
  const others = (a: TreeSample, sa: SystemTicks, b: TreeSample, sb: SystemTicks): number =>
    (sb.busy - sa.busy - (treeTicks(b) - treeTicks(a))) / hz / (Number(b.atNs - a.atNs) / 1e9);
  const ffmpegCommands = new Map<string, string[]>();
  const previewPids = new Set<number>();
  const noteFfmpeg = (t: TreeSample): void => {
    for (const p of t.procs) {
      if (!/ffmpeg/i.test(p.comm)) continue;
      const argv = cmdlineOf(p.pid);
      if (argv) ffmpegCommands.set(`${p.pid}@${p.starttime}`, argv);
      if (argv && isPreviewCommand(argv)) previewPids.add(p.pid);
    }
  };
  noteFfmpeg(first);
  let prev = first;
  let prevSys = sys0;
  const endAt = first.atNs + BigInt(Math.round(s.windowSeconds * 1e9));
  for (;;) {
    const left = Number(endAt - process.hrtime.bigint()) / 1e6;
    if (left <= 0) break;
    await sleep(Math.min(left, INTERVAL_SECONDS * 1000));
    const t = sampleTrees(rootPids);
    const st = systemTicks();
    noteFfmpeg(t);
    const slice = cpuBetween(prev, t);
    if (slice.wallSeconds > 1) {
      intervals.push(round((slice.cpuSeconds / slice.wallSeconds) * 60, 2));
      intervalBackground.push(round(others(prev, prevSys, t, st), 2));
    }
    prev = t;
    prevSys = st;
  }
  const last = prev;
  const wall = Number(last.atNs - first.atNs) / 1e9;
  const media1 = mediaEnd();
  const frame1 = frame();
  return {
    cpu: cpuBetween(first, last),
    intervals,
    intervalBackground,
    background: round(others(first, sys0, last, prevSys), 3),
    steal: round((prevSys.steal - sys0.steal) / hz / wall, 3),
    recordedSeconds: media0 !== null && media1 !== null ? media1 - media0 : null,
    frames: frame0 !== null && frame1 !== null ? frame1 - frame0 : null,
    ffmpegCommands: [...ffmpegCommands.values()],
    previewPids,
    viewerFrames: viewer && viewer0 ? viewer.frames().map((n, i) => n - (viewer0[i] ?? 0)) : null,
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
    // byProcess then tells the recording ffmpegs from the preview ones.
    processes: m.cpu.processes.map((p) => ({ pid: p.pid, comm: m.previewPids.has(p.pid) ? `${p.comm} (preview)` : p.comm, exe: p.exe, cpuSecondsPerMinute: perMin(p.cpuSeconds) })),
    reapedChildrenCpuSecondsPerMinute: perMin(m.cpu.reapedChildrenCpuSeconds),
    intervalCpuSecondsPerMinute: { min: Math.min(...m.intervals), median: round(median(m.intervals), 2), max: Math.max(...m.intervals), values: m.intervals },
    backgroundCores: m.background,
    intervalBackgroundCores: m.intervalBackground,
    stealCores: m.steal,
    disturbed: m.background > BACKGROUND_WARN_CORES,
    recordedSeconds: m.recordedSeconds === null ? null : round(m.recordedSeconds, 2),
    realtimeFactor: m.recordedSeconds === null ? null : round(m.recordedSeconds / m.cpu.wallSeconds, 3),
    encodedFps: m.frames === null ? null : round(m.frames / m.cpu.wallSeconds, 2),
    viewerFrames: m.viewerFrames,
    ffmpegCommands: m.ffmpegCommands,
    command,
    exit,
  };
}

// ---------------------------------------------------------------------------------------------------
// Output

function breakdown(v: VariantResult): string {
  const parts = v.processes.map((p) => `${p.comm} ${p.cpuSecondsPerMinute.toFixed(2)}`);
  if (Math.abs(v.reapedChildrenCpuSecondsPerMinute) >= 0.01) parts.push(`reaped children ${v.reapedChildrenCpuSecondsPerMinute.toFixed(2)}`);
  const rt = v.realtimeFactor === null ? '' : `; ${v.recordedSeconds} s recorded in ${v.wallSeconds} s`;
  const bg = `; other processes ${v.backgroundCores.toFixed(2)} cores${v.disturbed ? ' (DISTURBED)' : ''}`;
  return parts.join(', ') + rt + bg;
}

function printTable(results: ConfigResult[], s: Settings, machine: { cpuModel: string; cpuCount: number }): void {
  const cell = (v: VariantSummary | null | undefined): string => (!v ? '-' : ok(v) ? v.cpuSecondsPerMinute.toFixed(2) : 'error');
  const ratio = (x: number | null, target: number): string => (x === null ? '-' : `${x.toFixed(3)} ${x <= target ? 'ok' : 'MISSED'} (<= ${target.toFixed(2)})`);
  const quiet = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
  const bg = (v: VariantSummary | null | undefined): string => (!v || !ok(v) ? '-' : v.backgroundCores.toFixed(2));
  const rows: string[][] = [['config', 'station', 'with viewer', 'bare (baseline)', 'ratio', 'viewer ratio', 'quiet ratios', 'other load st/viewer/bare']];
  for (const r of results) {
    rows.push([
      r.name,
      cell(r.station),
      cell(r.stationViewer),
      cell(r.bare),
      ratio(r.ratio, TARGET_RATIO.station),
      ratio(r.viewerRatio, TARGET_RATIO['station-viewer']),
      `${quiet(r.quietRatio)}/${quiet(r.quietViewerRatio)}`,
      `${bg(r.station)}/${bg(r.stationViewer)}/${bg(r.bare)}${r.disturbed ? ' DISTURBED' : ''}`,
    ]);
    for (const [name, v] of Object.entries(r.diagnostics)) rows.push([`  ${name}`, cell(v), '', '', '', '', 'diagnostic', bg(v)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log('');
  console.log(
    `recording: CPU seconds per minute of recording (60 = one core busy); ${s.windowSeconds} s window after ${s.warmupSeconds} s warm-up` +
      `${s.rounds > 1 ? `, ${s.rounds} rounds` : ''}; ${machine.cpuCount} × ${machine.cpuModel}`,
  );
  for (const row of rows) console.log('  ' + row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of results) {
    for (const [what, v] of [['station', r.station], ['with viewer', r.stationViewer]] as const) {
      if (!v || !ok(v)) continue;
      const parts = Object.entries(v.byProcess).map(([k, x]) => `${k} ${x.toFixed(2)}`);
      console.log(`  ${r.name} ${what} by process: ${parts.join(', ')}`);
    }
    const frames = r.stationViewer?.runs.flatMap((x) => ('error' in x ? [] : [x.viewerFrames ?? []]));
    if (frames?.length) console.log(`  ${r.name} viewer: preview frames received per camera in the window: ${frames.map((f) => f.join('/')).join(', ')}`);
  }
  if (results.some((r) => r.disturbed)) {
    console.log(`  DISTURBED: other processes used more than ${BACKGROUND_WARN_CORES} cores on average during a window; the ratio is not trustworthy, rerun on a quiet machine (or BENCH_ROUNDS=3).`);
  }
  console.log('');
}
