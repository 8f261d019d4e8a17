/**
 * `soak` benchmark: a simulated shift. The built station on the demo camera in real time, a scan every
 * 5-20 s (an order, now and then a waybill attached, every 40th clip protected), retention limits set
 * small so that retention has to work all the time. Reports clips made, bytes kept against the limit,
 * the station's memory (RSS) and its growth per hour, ffmpeg restarts and logged errors.
 *
 * Targets: memory flat (growth < 5 MB/hour), zero errors, free space never under the
 * retention limit (sampled every second).
 *
 * The data folder is a tmpfs mounted for the run (root only), so "the disk" holds nothing but the
 * station's own files and its size is exact. Without root it falls back to the temp folder and sets
 * the limit to the free space at start less the budget, which other programs writing to the same disk
 * disturb: the result says which was used.
 *
 * SOAK_MINUTES (default 30) sets the length; memory growth is the least-squares slope of the
 * per-minute RSS minimum (RSS swings with garbage collection; its floor is what is kept) after a
 * 10-minute warm-up, a length taken from measurement: V8 sizes its heap to the station's allocation
 * rate in the first 5-8 minutes (heapTotal 25→34 MB while the live heap stays ~25 MB; heap snapshots
 * 16 minutes apart differed by 0.7 MB, all of it compiled code), after which the floor is flat. The
 * slope from minute 2 and the heap's own floors are reported beside it, so the ramp stays visible.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HealthReport, StatusResponse, routes, type RetentionSettings } from '../shared/api.js';
import { api, postScan, root, round, startStation, stopStation, type Station } from './station.js';

const CAMERA = 'demo:1280x720@15';
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WARMUP_S = 600;
/** Where the slope reported beside the judged one starts. */
const EARLY_S = 120;
/** The tmpfs: the station's disk floor is 200 MB, so the volume must hold that plus a footage budget. */
const VOLUME_BYTES = 2 * 1024 ** 3;
/** Footage the station may keep: the retention limit leaves the rest of the volume free. */
const BUDGET_BYTES = 512 * 1024 ** 2;
/** Every how many clips one is protected (a dispute). */
const PROTECT_EVERY = 40;
const TARGETS = { memoryGrowthMbPerHour: 5, errors: 0, samplesOverLimit: 0 };

/** The station's own account of its memory (GET /api/health/report), read every HEAP_EVERY_S seconds. */
interface HeapSample {
  t: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}
const HEAP_EVERY_S = 10;

interface Sample {
  t: number;
  rssMb: number;
  ffmpegRssMb: number | null;
  freeBytes: number;
  keptBytes: number;
}

/** A small seeded generator, so two runs scan at the same moments. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function slopePerHour(xs: Array<{ t: number; y: number }>): number {
  const n = xs.length;
  if (n < 3) return NaN;
  const mt = xs.reduce((a, p) => a + p.t, 0) / n;
  const my = xs.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of xs) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return (num / den) * 3600; // t in seconds
}

/**
 * The lowest value in each window of `windowS` seconds. RSS rises and falls with garbage collection
 * (±8 MB here); the floor it returns to after each collection is what the process really keeps, so
 * a leak shows as a rising floor.
 */
function windowMinima(xs: Array<{ t: number; y: number }>, windowS: number): Array<{ t: number; y: number }> {
  const out = new Map<number, { t: number; y: number }>();
  for (const p of xs) {
    const w = Math.floor(p.t / windowS);
    const cur = out.get(w);
    if (!cur || p.y < cur.y) out.set(w, { t: w * windowS + windowS / 2, y: p.y });
  }
  return [...out.values()].sort((a, b) => a.t - b.t);
}

function mountTmpfs(): { dir: string; mounted: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-soak-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${VOLUME_BYTES}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, mounted: true };
  } catch {
    return { dir, mounted: false };
  }
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const vol = mountTmpfs();
  const dataDir = join(vol.dir, 'data');
  mkdirSync(dataDir);
  const stderr: string[] = [];
  let s: Station | null = null;
  try {
    s = await startStation(CAMERA, { dataDir, onStderr: (line) => stderr.push(line) });
    const fs0 = statfsSync(dataDir);
    const total = Number(fs0.blocks) * Number(fs0.bsize);
    const free0 = Number(fs0.bavail) * Number(fs0.bsize);
    // The limit is a percentage of the volume: leave BUDGET_BYTES (less what is already used) for footage.
    const limitFree = vol.mounted ? total - BUDGET_BYTES : free0 - BUDGET_BYTES;
    const retention: RetentionSettings = { keepClipsDays: 1, keepOrphanHours: 1, minFreeGb: 0, minFreePercent: Math.ceil((limitFree / total) * 1000) / 10, keepExportsDays: 14, waitForHubCopy: true };
    const put = await api(s, routes.retentionSettings, { method: 'PUT', body: JSON.stringify(retention) });
    if (!put.ok) throw new Error(`could not set retention: ${put.status} ${await put.text()}`);
    // Until this moment the defaults (10 GB / 10 %) applied, which a 2 GiB volume cannot meet: the
    // station says so at start, rightly. The shift is judged from here on.
    const limitsSetAt = new Date().toISOString();

    const rand = prng(20261123);
    const samples: Sample[] = [];
    const heap: HeapSample[] = [];
    let nextHeap = 0;
    let clips = 0;
    let protectedClips = 0;
    let scanErrors = 0;
    let limitBytes = 0;
    const end = Date.now() + MINUTES * 60_000;
    const t0 = Date.now();
    let nextScan = Date.now() + 5_000;
    let order = 0;
    let lastClipId: number | null = null;
    const ffmpegPid = async (): Promise<number | null> => StatusResponse.parse(await (await api(s!, routes.status)).json()).camera.pid;
    while (Date.now() < end) {
      const st = statfsSync(dataDir);
      const free = Number(st.bavail) * Number(st.bsize);
      const pid = await ffmpegPid();
      samples.push({
        t: (Date.now() - t0) / 1000,
        rssMb: rssMb(s.proc.pid!) ?? NaN,
        ffmpegRssMb: pid ? rssMb(pid) : null,
        freeBytes: free,
        keptBytes: (vol.mounted ? total : free0) - free,
      });
      if (Date.now() >= nextHeap) {
        const r = await api(s, routes.healthReport).catch(() => null);
        if (r?.ok) {
          const m = HealthReport.parse(await r.json()).memory;
          heap.push({ t: (Date.now() - t0) / 1000, rssMb: m.rssBytes / 1024 ** 2, heapUsedMb: m.heapUsedBytes / 1024 ** 2, heapTotalMb: m.heapTotalBytes / 1024 ** 2 });
        } else scanErrors++;
        nextHeap = Date.now() + HEAP_EVERY_S * 1000;
      }
      if (Date.now() >= nextScan) {
        order++;
        const r = await postScan(s, `9${String(order).padStart(17, '0')}`).catch(() => null);
        if (!r || (r.action !== 'started' && r.action !== 'switched')) scanErrors++;
        else {
          clips++;
          // Disputes are rare; protected footage is kept whatever the limit says. Every 8th clip (the first
          // choice) protected ~0.5 GB an hour, more than the whole budget after an hour: retention then
          // rightly went protected-only, and the run measured that instead of a shift.
          if (lastClipId !== null && order % PROTECT_EVERY === 0) {
            const p = await api(s, routes.clip(lastClipId), { method: 'PATCH', body: JSON.stringify({ protected: true }) });
            if (p.ok) protectedClips++;
            else scanErrors++;
          }
          lastClipId = r.id;
          if (rand() < 0.3) await postScan(s, `SF${String(1_000_000_000_000 + order).padStart(13, '0')}`).catch(() => scanErrors++);
        }
        nextScan = Date.now() + 5_000 + rand() * 15_000;
      }
      await sleep(1_000);
    }
    const status = StatusResponse.parse(await (await api(s, routes.status)).json());
    limitBytes = status.storage?.limitBytes ?? limitFree;
    await postScan(s, 'PW-STOP');
    await sleep(3_000);
    await stopStation(s, { keepData: true });
    s = null;

    // Log lines start with their ISO time, so a string comparison orders them.
    const during = stderr.filter((l) => l.slice(0, 24) >= limitsSetAt);
    const errors = during.filter((l) => / ERROR /.test(l));
    const warnings = during.filter((l) => / WARN /.test(l));
    const beforeLimits = stderr.filter((l) => l.slice(0, 24) < limitsSetAt && / (ERROR|WARN) /.test(l));
    const steady = samples.filter((x) => x.t >= WARMUP_S);
    const early = samples.filter((x) => x.t >= EARLY_S);
    const growthFromEarly = slopePerHour(windowMinima(early.map((x) => ({ t: x.t, y: x.rssMb })), 60));
    const rawGrowth = slopePerHour(steady.map((x) => ({ t: x.t, y: x.rssMb })));
    const floors = windowMinima(steady.map((x) => ({ t: x.t, y: x.rssMb })), 60);
    const growth = slopePerHour(floors);
    const ffGrowth = slopePerHour(steady.filter((x) => x.ffmpegRssMb !== null).map((x) => ({ t: x.t, y: x.ffmpegRssMb! })));
    // The heap's floor per minute: V8's own size for it (total) and what is live in it (used).
    const heapFloors = (pick: (h: HeapSample) => number, from: number) => windowMinima(heap.filter((h) => h.t >= from).map((h) => ({ t: h.t, y: pick(h) })), 60);
    const overLimit = samples.filter((x) => x.freeBytes < limitBytes);
    const minFree = Math.min(...samples.map((x) => x.freeBytes));
    const maxKept = Math.max(...samples.map((x) => x.keptBytes));
    const result = {
      clipsMade: clips,
      protectedClips,
      scanErrors,
      segmentsIndexed: status.segmentCount,
      ffmpegRestarts: status.camera.restarts,
      retentionState: status.storage?.retention ?? null,
      freedBytes: status.storage?.freedTodayBytes ?? null,
      disk: {
        volume: vol.mounted ? `tmpfs of ${VOLUME_BYTES / 1024 ** 2} MB` : 'the temp folder (not root: no tmpfs)',
        limitFreeBytes: limitBytes,
        budgetBytes: BUDGET_BYTES,
        maxKeptBytes: maxKept,
        minFreeBytes: minFree,
        samples: samples.length,
        samplesOverLimit: overLimit.length,
        worstOverLimitBytes: overLimit.length ? limitBytes - minFree : 0,
      },
      memory: {
        stationRssMbStart: round(steady[0]?.rssMb ?? NaN),
        stationRssMbEnd: round(steady.at(-1)?.rssMb ?? NaN),
        stationRssMbMax: round(Math.max(...samples.map((x) => x.rssMb))),
        stationGrowthMbPerHour: round(growth),
        stationRawSlopeMbPerHour: round(rawGrowth),
        stationGrowthFromMinute2MbPerHour: round(growthFromEarly),
        stationRssFloorsMbFromMinute2: windowMinima(early.map((x) => ({ t: x.t, y: x.rssMb })), 60).map((f) => round(f.y)),
        heap: {
          sampling: `the station's process.memoryUsage() from GET /api/health/report every ${HEAP_EVERY_S} s`,
          totalFloorsMbFromMinute2: heapFloors((h) => h.heapTotalMb, EARLY_S).map((f) => round(f.y)),
          usedFloorsMbFromMinute2: heapFloors((h) => h.heapUsedMb, EARLY_S).map((f) => round(f.y)),
          totalGrowthMbPerHour: round(slopePerHour(heapFloors((h) => h.heapTotalMb, WARMUP_S))),
          usedGrowthMbPerHour: round(slopePerHour(heapFloors((h) => h.heapUsedMb, WARMUP_S))),
          outsideHeapGrowthMbPerHour: round(slopePerHour(heapFloors((h) => h.rssMb - h.heapTotalMb, WARMUP_S))),
        },
        ffmpegRssMbMax: round(Math.max(...samples.map((x) => x.ffmpegRssMb ?? 0))),
        ffmpegGrowthMbPerHour: round(ffGrowth),
      },
      log: { errors: errors.length, warnings: warnings.length, firstErrors: errors.slice(0, 5), firstWarnings: warnings.slice(0, 5), beforeLimitsSet: beforeLimits.slice(0, 5) },
    };
    const meetsTarget = growth < TARGETS.memoryGrowthMbPerHour && errors.length + scanErrors === TARGETS.errors && overLimit.length === TARGETS.samplesOverLimit;
    const out = {
      benchmark: 'soak',
      description:
        `A simulated shift: the built station on the demo camera (1280x720@15, real time), a scan every 5-20 s (order numbers; a waybill attached to ~30 %; every ${PROTECT_EVERY}th clip protected), retention limits small so they trigger: free space must stay above the limit, memory must stay flat.`,
      date: new Date().toISOString(),
      durationMinutes: MINUTES,
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, totalMemoryGB: round(totalmem() / 1024 ** 3), node: process.version },
      method: {
        camera: CAMERA,
        retention,
        sampling: 'every 1 s: VmRSS of the station (node) and of its ffmpeg child from /proc, free space by statfs on the data folder',
        memoryGrowth: `least-squares slope of the per-minute RSS minimum (the floor after garbage collection) after ${WARMUP_S} s of warm-up (V8 sizing its heap); beside it the same slope from ${EARLY_S} s, and the slope of every sample after the warm-up`,
        errors: 'ERROR lines in the station log after the retention limits were set (before that the defaults apply, which the volume cannot meet: listed apart), plus scans, protect or health-report requests that failed',
      },
      target: TARGETS,
      result,
      meetsTarget,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'soak.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(
      `soak ${MINUTES} min: ${clips} clips, ${status.segmentCount} segments, kept max ${round(maxKept / 1024 ** 2)} MB of ${round(BUDGET_BYTES / 1024 ** 2)} MB budget, ` +
        `${overLimit.length} samples over the limit, RSS ${result.memory.stationRssMbStart}→${result.memory.stationRssMbEnd} MB (${result.memory.stationGrowthMbPerHour} MB/h), ` +
        `ffmpeg restarts ${status.camera.restarts}, errors ${errors.length + scanErrors}`,
    );
    return { meetsTarget, failed: false };
  } finally {
    if (s) await stopStation(s, { keepData: true }).catch(() => undefined);
    if (vol.mounted) {
      try {
        execFileSync('umount', [vol.dir], { stdio: 'pipe' });
      } catch {
        /* left mounted: said by the next line failing */
      }
    }
    rmSync(vol.dir, { recursive: true, force: true });
  }
}
