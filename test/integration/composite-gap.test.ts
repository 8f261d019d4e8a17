/**
 * A two-camera clip during which the second camera's ffmpeg is killed (kill -9) and restarted by the
 * watchdog: a real station on two demo cameras, a real export over HTTP with the composite and the
 * evidence sheet. The composite keeps both views on the clip's clock: the second view stands still
 * (and is labelled) for the gap at the moment it happened, with the rest of its footage after it in
 * place, not moved up to close the hole; the first view never stands still. The sheet (PDF) names the
 * gap: the camera, its times and its length.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, GapsResponse, StatusResponse, routes, type Gap } from '../../shared/api.js';
import { ffmpegBin } from '../helpers/media.js';
import { pdfText } from '../helpers/pdf-text.js';
import { camerasRecording, scan } from '../helpers/station-api.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const run = promisify(execFile);
let station: StationProcess;
let clip: Clip;
let gap: Gap;
let job: ExportJob;
const out = tempDataDir('pw-composite-gap-');

const status = async (): Promise<StatusResponse> => StatusResponse.parse(await (await station.api(routes.status)).json());

async function duration(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** Mean absolute difference between consecutive frames of one cell (grey, 64x36), at the file's own frame times. */
async function cellMotion(file: string, crop: string): Promise<Array<{ t: number; diff: number }>> {
  const w = 64;
  const h = 36;
  const { stdout: times } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file], { maxBuffer: 16 << 20 });
  const ts = times.trim().split('\n').map(Number);
  const { stdout } = await run(await ffmpegBin(), ['-v', 'error', '-i', file, '-vf', `crop=${crop},scale=${w}:${h},format=gray`, '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 256 << 20 });
  const n = Math.floor(stdout.length / (w * h));
  const out: Array<{ t: number; diff: number }> = [];
  for (let i = 1; i < n; i++) {
    let sum = 0;
    for (let p = 0; p < w * h; p++) sum += Math.abs(stdout[i * w * h + p]! - stdout[(i - 1) * w * h + p]!);
    out.push({ t: ts[i]!, diff: sum / (w * h) });
  }
  return out;
}

/** The longest run of frames that stand still (difference under `still`), as [from, to] seconds. */
function longestStill(motion: Array<{ t: number; diff: number }>, still: number): { from: number; to: number } | null {
  let best: { from: number; to: number } | null = null;
  let start: number | null = null;
  for (const [i, m] of motion.entries()) {
    if (m.diff < still) start ??= i > 0 ? motion[i - 1]!.t : m.t;
    if ((m.diff >= still || i === motion.length - 1) && start !== null) {
      const end = m.diff < still ? m.t : motion[i - 1]!.t;
      if (!best || end - start > best.to - best.from) best = { from: start, to: end };
      start = null;
    }
  }
  return best;
}

beforeAll(async () => {
  station = await startStation({ camera: 'demo:320x240@15', args: ['--camera', 'demo:320x240@15'] });
  await camerasRecording(station, 2);
  await sleep(3_000);
  const started = await scan(station, 'SF9900112233');
  await sleep(3_000);
  const before = (await status()).cameras![1]!;
  process.kill(before.pid!, 'SIGKILL');
  await waitFor(async () => {
    const c = (await status()).cameras![1]!;
    return c.state === 'recording' && c.pid !== before.pid ? c : undefined;
  }, 20_000, 'the second camera restarted');
  await sleep(4_000);
  await scan(station, 'PW-STOP');
  clip = await waitFor(async () => {
    const c = Clip.parse(await (await station.api(routes.clip(started.id!))).json());
    return c.video && c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
  }, 40_000, 'both cameras cut');
  const { gaps } = GapsResponse.parse(await (await station.api(routes.gaps)).json());
  gap = gaps.find((g) => g.camera === 'demo-2' && g.endedAt && Date.parse(g.startedAt) > Date.parse(clip.startedAt) && Date.parse(g.endedAt) < Date.parse(clip.endedAt!))!;
  expect(gap, JSON.stringify(gaps)).toBeDefined();

  const res = await station.api(routes.clipExport(clip.id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ composite: true, sheet: true, locale: 'en' }) });
  expect(res.status, await res.clone().text()).toBe(202);
  const id = ExportJob.parse(await res.json()).id;
  job = await waitFor(async () => {
    const j = ExportJob.parse(await (await station.api(routes.exportJob(id))).json());
    return j.state === 'done' || j.state === 'failed' ? j : undefined;
  }, 120_000, 'the export');
  expect(job.state, JSON.stringify(job)).toBe('done');
  mkdirSync(out, { recursive: true });
  for (const role of ['composite', 'sheet-pdf'] as const) {
    writeFileSync(join(out, role), Buffer.from(await (await station.api(routes.exportFile(job.id, role))).arrayBuffer()));
  }
}, 240_000);
afterAll(async () => {
  await station?.stop();
});

describe('a composite and a sheet of a clip with a gap in one camera', () => {
  it('keeps both views on the clip’s clock: the second stands still at the gap, in place, and the composite is as long as the clip', async () => {
    const file = join(out, 'composite');
    const clipSec = clip.video!.durationMs / 1000;
    expect(Math.abs((await duration(file)) - clipSec)).toBeLessThan(0.3);
    // Two 320x240 views side by side.
    const left = await cellMotion(file, 'iw/2:ih:0:0');
    const right = await cellMotion(file, 'iw/2:ih:iw/2:0');
    const gapFrom = (Date.parse(gap.startedAt) - Date.parse(clip.startedAt)) / 1000;
    const gapTo = (Date.parse(gap.endedAt!) - Date.parse(clip.startedAt)) / 1000;
    const still = longestStill(right, 0.5);
    expect(still, JSON.stringify(right.map((m) => [m.t.toFixed(2), m.diff.toFixed(1)]))).not.toBeNull();
    // At the gap's own moment (one frame of slack each side, plus the encoder's start): not shifted.
    expect(Math.abs(still!.from - gapFrom), `still ${JSON.stringify(still)} gap ${gapFrom}-${gapTo}`).toBeLessThan(0.25);
    expect(Math.abs(still!.to - gapTo), `still ${JSON.stringify(still)} gap ${gapFrom}-${gapTo}`).toBeLessThan(0.35);
    // After the gap the second view moves again, up to the end of the clip: its later footage was not
    // pulled forward. A frame or two may repeat (a live camera on a busy machine), as in the first view below.
    const after = longestStill(right.filter((m) => m.t > gapTo + 0.3), 0.5);
    expect((after?.to ?? 0) - (after?.from ?? 0), JSON.stringify(after)).toBeLessThan(0.2);
    // The first camera never stood still.
    expect(longestStill(left, 0.5)?.to ?? 0).toBeLessThan((longestStill(left, 0.5)?.from ?? 0) + 0.2);
  });

  it('labels the standing view during the gap only', async () => {
    const file = join(out, 'composite');
    const gapMid = (Date.parse(gap.startedAt) + Date.parse(gap.endedAt!)) / 2 - Date.parse(clip.startedAt);
    // Red pixels in the middle of a view (the label's box; the test picture has red of its own, so compared).
    const redIn = async (sec: number, half: 0 | 1): Promise<number> => {
      const { stdout } = await run(await ffmpegBin(), ['-v', 'error', '-ss', sec.toFixed(3), '-i', file, '-frames:v', '1', '-vf', `crop=iw/4:ih/3:iw/8+${half}*iw/2:ih/3,format=rgb24`, '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 16 << 20 });
      let n = 0;
      for (let p = 0; p + 2 < stdout.length; p += 3) if (stdout[p]! > 150 && stdout[p + 1]! < 90 && stdout[p + 2]! < 90) n++;
      return n;
    };
    const gapEnd = (Date.parse(gap.endedAt!) - Date.parse(clip.startedAt)) / 1000;
    const during = await redIn(gapMid / 1000, 1);
    expect(during - (await redIn(gapEnd + 1, 1))).toBeGreaterThan(1000);
    // The first view, recording all along, carries no label at that moment.
    expect(during - (await redIn(gapMid / 1000, 0))).toBeGreaterThan(1000);
  });

  it('names the gap on the sheet: the camera, its times and its length', () => {
    const text = pdfText(join(out, 'sheet-pdf')).replace(/\s+/g, ' ');
    expect(text).toContain('Not recorded');
    const name = clip.cameras![1]!.name;
    const seconds = ((Date.parse(gap.endedAt!) - Date.parse(gap.startedAt)) / 1000).toFixed(1);
    expect(text).toContain(`${name}:`);
    expect(text).toContain(`(${seconds} s)`);
  });
});
