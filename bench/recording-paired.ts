/**
 * `recording-paired`: what the station costs on top of its ffmpeg commands, measured side by side.
 *
 * Why a second recording benchmark: `recording` measures the station and the bare commands back to
 * back, and on this shared virtual machine the same bare command cost 8 % more in one 30-s window than
 * in the next. The host's load moves the price of a frame, and a 5 % target drowns in that. Here the
 * station and the bare twin of its recording commands run at the same time, so both see the same host
 * in every window: the ratio is taken per window, and the result is the median over the windows.
 *
 * - The viewer (a client reading every camera's live preview, as the station screen does) is switched
 *   between windows: off, on, on, off, off, … so both ratios share the machine's drift.
 * - Before that, a control: two bare twins side by side, the same windows. Its ratio shows what the
 *   method itself gives for two equal loads (expected 1.00; the spread is the method's noise).
 * - A pair has to fit the cores: a window in which either side recorded slower than real time is
 *   marked `overloaded` and left out. By default only the configurations whose pair stays under about
 *   1.2 of the 2 cores run (720p30 x1 and x2, 1080p30 x1); name others with the knobs below.
 *
 * Knobs (environment): BENCH_WINDOW_SECONDS (30), BENCH_WARMUP_SECONDS (45: past V8's one-time
 * compaction of the start-up heap, about 40 s after start), BENCH_PAIRED_WINDOWS (6),
 * BENCH_CONTROL_WINDOWS (4; 0 skips the control), BENCH_RECORDING_CONFIGS ("720p30,1080p30"),
 * BENCH_RECORDING_CAMERAS ("1,2").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { locateFfmpeg } from '../electron/station/ffmpeg/locate.js';
import { appRoot } from '../electron/station/resources.js';
import { clockTicksPerSecond, cmdlineOf, cpuBetween, round, sampleTree, systemTicks, treeTicks, type SystemTicks, type TreeSample } from './proc.js';
import { CONFIGS, TARGET_RATIO } from './recording.js';
import { ffmpegReport, log, machineInfo, median, newestRunDir, openViewer, segmentListEnd, startBare, startStation, type BareRun, type RunningStation, type Viewer } from './recording-parts.js';

/** Pixels per second a pair may record by default: a pair of 1080p30 x1 (or 720p30 x2) fits 2 cores. */
const DEFAULT_MAX_PIXEL_RATE = 1920 * 1080 * 30;
/** A side that recorded less than this share of the window's wall time fell behind: the window is out. */
const MIN_REALTIME = 0.97;
/** After a viewer arrives: the preview ffmpeg starts and sends its first pictures. */
const VIEWER_ON_SETTLE_MS = 6_000;
/** After the viewer leaves: the preview ffmpeg is killed 5 s after the last viewer (preview-tap.ts). */
const VIEWER_OFF_SETTLE_MS = 8_000;
/** The control's twins need no long warm-up (no node, no heap). */
const CONTROL_WARMUP_MS = 5_000;

interface Settings {
  windowSeconds: number;
  warmupSeconds: number;
  windows: number;
  controlWindows: number;
  sets: Array<{ config: (typeof CONFIGS)[number]; cameras: number }>;
}

/** One side of a window: a process tree's CPU in seconds per minute, by process name. */
interface Side {
  cpuSecondsPerMinute: number;
  byProcess: Record<string, number>;
  /** Seconds of footage the side's (first) segment list grew by, per wall second; null if unknown. */
  realtimeFactor: number | null;
}

export interface PairedWindow {
  viewer: boolean;
  wallSeconds: number;
  /** The station (node and every child), or the control's first twin. */
  a: Side;
  /** The bare twin (the control's second twin). */
  b: Side;
  ratio: number;
  /** Everything else on the machine, in cores (our two trees taken out). */
  backgroundCores: number;
  overloaded: boolean;
  /** JPEGs the viewer received per camera during the window (viewer windows only). */
  viewerFrames: number[] | null;
}

interface RatioSummary {
  /** Median of the per-window ratios, over the windows that were not overloaded. */
  median: number | null;
  min: number | null;
  max: number | null;
  /** Sum of one side's CPU over the windows / sum of the other's. */
  pooled: number | null;
  windows: number;
}

export interface PairedResult {
  name: string;
  camera: string;
  cameras: number;
  control: { summary: RatioSummary; windows: PairedWindow[] } | { error: string } | null;
  station: { withoutViewer: RatioSummary; withViewer: RatioSummary; byProcess: { withoutViewer: Record<string, number>; withViewer: Record<string, number> }; windows: PairedWindow[] } | { error: string };
  meetsTarget: boolean | null;
}

function settings(): Settings {
  const num = (name: string, dflt: number, min = 1): number => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v >= min ? v : dflt;
  };
  const list = (name: string): string[] | null => process.env[name]?.split(',').map((x) => x.trim()).filter(Boolean) ?? null;
  const configNames = list('BENCH_RECORDING_CONFIGS');
  const configs = CONFIGS.filter((c) => !configNames || configNames.includes(c.name));
  if (configNames && configs.length !== configNames.length) throw new Error(`BENCH_RECORDING_CONFIGS: known configurations are ${CONFIGS.map((c) => c.name).join(', ')}`);
  const counts = list('BENCH_RECORDING_CAMERAS')?.map(Number) ?? null;
  if (counts?.some((n) => !Number.isInteger(n) || n < 1 || n > 4)) throw new Error('BENCH_RECORDING_CAMERAS: camera counts from 1 to 4, e.g. "1,2"');
  const explicit = configNames !== null || counts !== null;
  const sets = configs.flatMap((config) =>
    (counts ?? [1, 2])
      .filter((cameras) => explicit || config.width * config.height * config.fps * cameras <= DEFAULT_MAX_PIXEL_RATE)
      .map((cameras) => ({ config, cameras })),
  );
  return {
    windowSeconds: num('BENCH_WINDOW_SECONDS', 30),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 45),
    windows: Math.round(num('BENCH_PAIRED_WINDOWS', 6)),
    controlWindows: Math.round(num('BENCH_CONTROL_WINDOWS', 4, 0)),
    sets,
  };
}

/** Off, on, on, off, off, on, …: each state gets early and late windows alike. */
export function viewerPlan(windows: number): boolean[] {
  return Array.from({ length: windows }, (_, i) => Math.floor((i + 1) / 2) % 2 === 1);
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const s = settings();
  const ffmpeg = await locateFfmpeg();
  const startedAt = Date.now();
  const machine = machineInfo();
  const perSet = s.controlWindows * s.windowSeconds + CONTROL_WARMUP_MS / 1000 + s.warmupSeconds + s.windows * (s.windowSeconds + 7) + 20;
  log(
    `recording-paired: ${s.sets.map((x) => `${x.config.name} x${x.cameras}`).join(', ')}; control ${s.controlWindows} + station ${s.windows} windows of ` +
      `${s.windowSeconds} s, ${s.warmupSeconds} s warm-up (about ${Math.ceil((perSet * s.sets.length) / 60)} min)`,
  );
  log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source}) ${ffmpeg.versionLine}`);

  const results: PairedResult[] = [];
  for (const { config, cameras: count } of s.sets) {
    const camera = `demo:${config.width}x${config.height}@${config.fps}`;
    const cameras = Array.from({ length: count }, () => camera);
    const name = `${config.name} x${count}`;
    const r: PairedResult = { name, camera, cameras: count, control: null, station: { error: 'not run' }, meetsTarget: null };

    if (s.controlWindows > 0) {
      log(`${name} control (bare beside bare): starting`);
      try {
        r.control = await measureControl(cameras, config.height, s, ffmpeg);
        log(`${name} control: median ratio ${fmt(r.control.summary.median)} (${fmt(r.control.summary.min)}-${fmt(r.control.summary.max)})`);
      } catch (err) {
        r.control = { error: message(err) };
        log(`${name} control: FAILED ${r.control.error}`);
      }
    }
    log(`${name} station beside bare: starting`);
    try {
      const station = await measureStation(cameras, config.height, s, ffmpeg);
      r.station = station;
      const ok = [
        ...(station.withoutViewer.median === null ? [] : [station.withoutViewer.median <= TARGET_RATIO.station]),
        ...(station.withViewer.median === null ? [] : [station.withViewer.median <= TARGET_RATIO['station-viewer']]),
      ];
      r.meetsTarget = ok.length ? ok.every(Boolean) : null;
      log(`${name}: station/bare median ${fmt(station.withoutViewer.median)} without viewer, ${fmt(station.withViewer.median)} with one`);
    } catch (err) {
      r.station = { error: message(err) };
      log(`${name} station: FAILED ${r.station.error}`);
    }
    results.push(r);
  }

  const judged = results.filter((r) => r.meetsTarget !== null);
  const meetsTarget = judged.length ? judged.every((r) => r.meetsTarget) : null;
  const failed = results.some((r) => 'error' in r.station || (r.control !== null && 'error' in r.control));
  const report = {
    benchmark: 'recording-paired',
    description:
      'CPU seconds per minute, the station (the built CLI: node and its ffmpeg children) and the bare twin of its recording commands (recordingInvocation({ feeds: null }), same ffmpeg) recording at the same time, demo cameras with the burned-in overlay. ' +
      'Ratio per window = station / bare; the result is the median over the windows, without and with a viewer of every live preview. Control: two bare twins side by side (the method on two equal loads).',
    date: new Date(startedAt).toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine,
    ffmpeg: ffmpegReport(ffmpeg),
    method: {
      cpuSource: '/proc/<pid>/stat utime+stime(+cutime+cstime) of each process tree, sampled at the start and the end of every window',
      clockTicksPerSecond: clockTicksPerSecond(),
      warmupSeconds: s.warmupSeconds,
      windowSeconds: s.windowSeconds,
      windows: s.windows,
      controlWindows: s.controlWindows,
      viewerPlan: viewerPlan(s.windows).map((v) => (v ? 'on' : 'off')),
      settleMs: { viewerOn: VIEWER_ON_SETTLE_MS, viewerOff: VIEWER_OFF_SETTLE_MS },
      overloadedBelowRealtime: MIN_REALTIME,
    },
    target: { metric: 'median over windows of station / bare (no viewer; with a viewer)', maxRatio: TARGET_RATIO },
    meetsTarget,
    configurations: results,
  };
  const out = join(appRoot(), 'bench', 'results', 'recording-paired.json');
  mkdirSync(join(appRoot(), 'bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  printTable(results, s);
  console.log(`written: ${out}`);
  return { meetsTarget, failed };
}

// ---------------------------------------------------------------------------------------------------
// The two pairings

async function measureControl(cameras: string[], height: number, s: Settings, ffmpeg: Awaited<ReturnType<typeof locateFfmpeg>>): Promise<{ summary: RatioSummary; windows: PairedWindow[] }> {
  const a = await startBare(cameras, height, false, ffmpeg);
  let b: BareRun | null = null;
  let last: TreeSample[] = [];
  try {
    b = await startBare(cameras, height, false, ffmpeg);
    await sleep(CONTROL_WARMUP_MS);
    const windows: PairedWindow[] = [];
    for (let i = 0; i < s.controlWindows; i++) {
      const w = await measurePair(bareTrees(a), bareTrees(b), bareMedia(a), bareMedia(b), s, null);
      windows.push(w.window);
      last = w.last;
    }
    return { summary: summarize(windows), windows };
  } finally {
    await a.stop(last[0] ?? null);
    await b?.stop(last[1] ?? null);
  }
}

async function measureStation(cameras: string[], height: number, s: Settings, ffmpeg: Awaited<ReturnType<typeof locateFfmpeg>>): Promise<Extract<PairedResult['station'], { windows: PairedWindow[] }>> {
  const station = await startStation(cameras);
  let bare: BareRun | null = null;
  let viewer: Viewer | null = null;
  let last: TreeSample[] = [];
  try {
    bare = await startBare(cameras, height, false, ffmpeg);
    await sleep(s.warmupSeconds * 1000);
    const windows: PairedWindow[] = [];
    for (const wantViewer of viewerPlan(s.windows)) {
      if (wantViewer && !viewer) {
        viewer = await openViewer(station.origin, 't');
        await sleep(VIEWER_ON_SETTLE_MS);
      } else if (!wantViewer && viewer) {
        viewer.close();
        viewer = null;
        await sleep(VIEWER_OFF_SETTLE_MS);
      }
      const w = await measurePair(stationTree(station), bareTrees(bare), stationMedia(station), bareMedia(bare), s, viewer);
      windows.push(w.window);
      last = w.last;
    }
    const pick = (v: boolean): PairedWindow[] => windows.filter((w) => w.viewer === v);
    return {
      withoutViewer: summarize(pick(false)),
      withViewer: summarize(pick(true)),
      byProcess: { withoutViewer: meanByProcess(pick(false)), withViewer: meanByProcess(pick(true)) },
      windows,
    };
  } finally {
    viewer?.close();
    await station.stop(last[0] ?? null);
    await bare?.stop(last[1] ?? null);
  }
}

// ---------------------------------------------------------------------------------------------------
// Measuring one window

type Trees = () => TreeSample;
type Media = () => number | null;

const stationTree = (st: RunningStation): Trees => () => sampleTree(st.proc.pid!);
const bareTrees = (b: BareRun): Trees => () => {
  const samples = b.procs.map((p) => sampleTree(p.proc.pid!));
  return { atNs: samples[0]!.atNs, procs: samples.flatMap((x) => x.procs) };
};
const stationMedia = (st: RunningStation): Media => () => segmentListEnd(newestRunDir(st.dataDir));
const bareMedia = (b: BareRun): Media => () => segmentListEnd(b.procs[0]!.runDir);

async function measurePair(a: Trees, b: Trees, mediaA: Media, mediaB: Media, s: Settings, viewer: Viewer | null): Promise<{ window: PairedWindow; last: TreeSample[] }> {
  const hz = clockTicksPerSecond();
  const frames0 = viewer?.frames() ?? null;
  const ma0 = mediaA();
  const mb0 = mediaB();
  const sys0: SystemTicks = systemTicks();
  const a0 = a();
  const b0 = b();
  const previews = new Set<number>();
  const notePreviews = (t: TreeSample): void => {
    for (const p of t.procs) if (/ffmpeg/i.test(p.comm) && cmdlineOf(p.pid)?.includes('pipe:0')) previews.add(p.pid);
  };
  notePreviews(a0);
  await sleep(s.windowSeconds * 1000);
  const a1 = a();
  const b1 = b();
  const sys1 = systemTicks();
  notePreviews(a1);
  const ca = cpuBetween(a0, a1);
  const cb = cpuBetween(b0, b1);
  const wall = (ca.wallSeconds + cb.wallSeconds) / 2;
  const perMin = (cpu: number): number => round((cpu / wall) * 60, 2);
  const side = (c: typeof ca, m0: number | null, m1: number | null): Side => {
    const byProcess: Record<string, number> = {};
    for (const p of c.processes) {
      const key = previews.has(p.pid) ? `${p.comm} (preview)` : p.comm;
      byProcess[key] = round((byProcess[key] ?? 0) + perMin(p.cpuSeconds), 2);
    }
    return { cpuSecondsPerMinute: perMin(c.cpuSeconds), byProcess, realtimeFactor: m0 !== null && m1 !== null ? round((m1 - m0) / wall, 3) : null };
  };
  const sa = side(ca, ma0, mediaA());
  const sb = side(cb, mb0, mediaB());
  const ours = treeTicks(a1) - treeTicks(a0) + treeTicks(b1) - treeTicks(b0);
  // The segment lists grow in 2-s steps, so a 30-s window reads 28-32 s of footage: a side only counts
  // as behind when it lost more than one segment's worth.
  const behind = (x: Side): boolean => x.realtimeFactor !== null && x.realtimeFactor < MIN_REALTIME - 2 / wall;
  return {
    window: {
      viewer: viewer !== null,
      wallSeconds: round(wall, 2),
      a: sa,
      b: sb,
      ratio: round(sa.cpuSecondsPerMinute / sb.cpuSecondsPerMinute, 4),
      backgroundCores: round((sys1.busy - sys0.busy - ours) / hz / wall, 3),
      overloaded: behind(sa) || behind(sb),
      viewerFrames: viewer && frames0 ? viewer.frames().map((n, i) => n - (frames0[i] ?? 0)) : null,
    },
    last: [a1, b1],
  };
}

export function summarize(windows: PairedWindow[]): RatioSummary {
  const good = windows.filter((w) => !w.overloaded);
  if (!good.length) return { median: null, min: null, max: null, pooled: null, windows: 0 };
  const ratios = good.map((w) => w.ratio);
  const sum = (f: (w: PairedWindow) => number): number => good.reduce((t, w) => t + f(w) * w.wallSeconds, 0);
  return {
    median: round(median(ratios), 3),
    min: round(Math.min(...ratios), 3),
    max: round(Math.max(...ratios), 3),
    pooled: round(sum((w) => w.a.cpuSecondsPerMinute) / sum((w) => w.b.cpuSecondsPerMinute), 3),
    windows: good.length,
  };
}

/** The station side's CPU by process, averaged over the windows (wall-weighted). */
function meanByProcess(windows: PairedWindow[]): Record<string, number> {
  const wall = windows.reduce((t, w) => t + w.wallSeconds, 0);
  const out: Record<string, number> = {};
  for (const w of windows) for (const [k, v] of Object.entries(w.a.byProcess)) out[k] = (out[k] ?? 0) + (v * w.wallSeconds) / wall;
  for (const k of Object.keys(out)) out[k] = round(out[k]!, 2);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Output

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function printTable(results: PairedResult[], s: Settings): void {
  const verdict = (x: number | null, target: number): string => (x === null ? '-' : `${fmt(x)} ${x <= target ? 'ok' : 'MISSED'}`);
  const rows: string[][] = [['config', 'control (bare/bare)', 'station/bare', 'with viewer', 'range no viewer', 'range viewer', 'overloaded']];
  for (const r of results) {
    const c = r.control && !('error' in r.control) ? r.control.summary : null;
    if ('error' in r.station) {
      rows.push([r.name, fmt(c?.median ?? null), `error: ${r.station.error.split('\n')[0]}`, '', '', '', '']);
      continue;
    }
    const st = r.station;
    rows.push([
      r.name,
      c ? `${fmt(c.median)} (${fmt(c.min)}-${fmt(c.max)})` : '-',
      verdict(st.withoutViewer.median, TARGET_RATIO.station),
      verdict(st.withViewer.median, TARGET_RATIO['station-viewer']),
      `${fmt(st.withoutViewer.min)}-${fmt(st.withoutViewer.max)}`,
      `${fmt(st.withViewer.min)}-${fmt(st.withViewer.max)}`,
      String(st.windows.filter((w) => w.overloaded).length),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log('');
  console.log(`recording-paired: median of per-window ratios, ${s.windowSeconds} s windows (targets ${TARGET_RATIO.station} / ${TARGET_RATIO['station-viewer']})`);
  for (const row of rows) console.log('  ' + row.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of results) {
    if ('error' in r.station) continue;
    const parts = (o: Record<string, number>): string => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
    console.log(`  ${r.name} station by process: ${parts(r.station.byProcess.withoutViewer)}; with viewer: ${parts(r.station.byProcess.withViewer)}`);
  }
  console.log('');
}
