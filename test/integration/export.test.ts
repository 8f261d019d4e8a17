/**
 * Appeal exports from a real 90 s 1080p clip recorded by a real station: the original byte for byte,
 * fitted to 20 MB and 5 MB (the demo camera's 1080p footage is ~6 Mbit/s, so both limits bite),
 * trimmed and sped up to a length limit, refused when impossible, cancelled cleanly — through the CLI
 * and the HTTP job API, and every bundle checked by `packwitness verify`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { probePackets, probeVideoFormat } from '../../electron/station/recorder/probe.js';
import { minutesSeconds } from '../../shared/export-size.js';
import { decodeFully, ffmpegBin } from '../helpers/media.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const ORDER = '260311884512345678';
const WAYBILL = 'SF1234567890123';
const FPS = 15;
const CLIP_SECONDS = 90;

function cli(args: string[], timeoutMs = 240_000) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stderr.trim().split('\n').filter((l) => l.startsWith('packwitness:')).at(-1) ?? '' };
}

function exported(stdout: string, role: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`file\t${role}\t`));
  if (!line) throw new Error(`no ${role} in:\n${stdout}`);
  const bundle = /^bundle\t(.+)$/m.exec(stdout)![1]!;
  return join(bundle, line.split('\t')[4]!);
}

describe('export for appeals, from a 90 s 1080p clip', () => {
  let station: StationProcess;
  let clip: Clip;
  let dataDir: string;
  let fingerprint: string;
  const out = tempDataDir('pw-export-out-');

  beforeAll(async () => {
    station = await startStation({ camera: `demo:1920x1080@${FPS}` });
    dataDir = station.dataDir;
    fingerprint = StatusResponse.parse(await (await station.api(routes.status)).json()).stationKey!.fingerprint;
    const scan = async (code: string): Promise<ScanResponse> =>
      ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    await sleep(3_000);
    const started = await scan(ORDER);
    await sleep(2_000);
    await scan(WAYBILL);
    // 3 s pre-roll + this + 2 s post-roll = 90 s.
    await sleep((CLIP_SECONDS - 5 - 2) * 1000);
    await scan('PW-STOP');
    clip = await waitFor(
      async () => {
        const c = Clip.parse(await (await station.api(routes.clip(started.id!))).json());
        return c.video ? c : undefined;
      },
      30_000,
      'the clip video',
    );
  }, 180_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('original, through the HTTP job API: the download is the clip file byte for byte, and its length is the clip’s (±1 frame)', async () => {
    const res = await station.api(routes.clipExport(clip.id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'original' }) });
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    const done = await waitFor(
      async () => {
        const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
        return j.state === 'queued' || j.state === 'running' ? undefined : j;
      },
      90_000,
      'the export job',
    );
    expect(done, done.error ?? '').toMatchObject({ state: 'done', percent: 100, plan: { kind: 'original' } });
    const video = await station.api(routes.exportFile(job.id, 'video'));
    expect(video.status).toBe(200);
    expect(video.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename=${ORDER}_\\d{8}-\\d{4}_clip-${clip.id}\\.mp4$`));
    const bytes = Buffer.from(await video.arrayBuffer());
    const stored = readFileSync(join(dataDir, 'clips', clip.startedAt.slice(0, 10), `${clip.id}.mp4`));
    expect(bytes.equals(stored)).toBe(true);
    const file = join(out, 'original-download.mp4');
    (await import('node:fs')).writeFileSync(file, bytes);
    const decoded = await decodeFully(file);
    expect(decoded.errors).toBe('');
    // Length by timestamps (a live camera may drop a frame now and then; the clock is what counts).
    const packets = await probePackets(await ffmpegBin(), file);
    const shown = packets.pts.filter((t) => t >= -1e-6);
    const seconds = Math.max(...shown) + packets.frameSec - Math.min(...shown);
    const clipSeconds = (Date.parse(clip.endedAt!) - Date.parse(clip.startedAt)) / 1000;
    expect(Math.abs(seconds - clipSeconds)).toBeLessThanOrEqual(1 / FPS + 0.001);
    // The audit log names the export.
    const audit = (await (await station.api(routes.clipAudit(clip.id))).json()) as { entries: Array<{ action: string }> };
    expect(audit.entries.map((e) => e.action)).toContain('export');
    // A role that is not a file kind, and a job that does not exist, are refused.
    expect((await station.api(`/api/exports/${job.id}/files/..%2Fpackwitness.db`)).status).toBe(400);
    expect((await station.api(routes.exportFile('00000000-0000-0000-0000-000000000000', 'video'))).status).toBe(404);
  }, 120_000);

  for (const mb of [20, 5]) {
    it(`--max-mb ${mb}: at most ${mb} MB, decodes fully, the whole clip, ${mb === 20 ? 'at least 720 px wide' : 'still readable size'}`, async () => {
      const r = cli(['export', '--data', dataDir, '--code', ORDER, '--out', join(out, `fit-${mb}`), '--max-mb', String(mb)]);
      expect(r.status, r.stderr).toBe(0);
      const video = exported(r.stdout, 'video');
      expect(statSync(video).size).toBeLessThanOrEqual(mb * 1e6);
      // Within 20 MB and 3 minutes: no large-export warning.
      expect(r.stderr).not.toMatch(/warning/);
      const decoded = await decodeFully(video);
      expect(decoded.errors).toBe('');
      const format = await probeVideoFormat(await ffmpegBin(), video);
      expect(format.width).toBeGreaterThanOrEqual(mb === 20 ? 720 : 640);
      // Nothing cut: every second of the clip is there, at the plan's frame rate.
      expect(decoded.frames / format.fps).toBeGreaterThan(clip.video!.durationMs / 1000 - 0.5);
      expect(existsSync(`${join(out, `fit-${mb}`)}.zip`)).toBe(true);
      const v = cli(['verify', join(out, `fit-${mb}`), '--expect-fingerprint', fingerprint]);
      expect(v.status, v.stdout + v.stderr).toBe(0);
    }, 300_000);
  }

  it('--max-seconds 30 with the evidence strip: trims the pre/post-roll, speeds the packing up (marked), strip below the picture', async () => {
    const r = cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', join(out, 'short'), '--max-seconds', '30', '--max-mb', '10', '--banner', '--no-sheet', '--lang', 'en']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/video\tfit \d+x\d+ \d+ fps, 3\.\d-8\d\.\d s, 3x speed/);
    const video = exported(r.stdout, 'video');
    expect(statSync(video).size).toBeLessThanOrEqual(10e6);
    const decoded = await decodeFully(video);
    expect(decoded.errors).toBe('');
    const format = await probeVideoFormat(await ffmpegBin(), video);
    expect(decoded.frames / format.fps).toBeLessThanOrEqual(30);
    // The strip adds rows below the picture: the output is taller than 16:9.
    expect(format.height).toBeGreaterThan(Math.round((format.width * 9) / 16));
  }, 300_000);

  it('as recorded from the CLI: the 90 s 1080p video is over 20 MB, and stderr says so in one line', () => {
    const r = cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', join(out, 'as-recorded'), '--no-sheet']);
    expect(r.status, r.stderr).toBe(0);
    const mb = (clip.video!.bytes / 1e6).toFixed(1);
    expect(clip.video!.bytes).toBeGreaterThan(20e6);
    expect(r.last).toBe(
      `packwitness: warning: the video is ${mb} MB and ${minutesSeconds(clip.video!.durationMs / 1000)} long, over 20 MB, which many platforms refuse (Taobao/Tmall, Pinduoduo, JD and Douyin publish no limit); choose a platform preset or --max-mb / --max-seconds.`,
    );
    // The export itself is made as asked.
    expect(r.stdout).toMatch(/^video\toriginal$/m);
  }, 120_000);

  it('refuses an impossible limit in one sentence and writes nothing', () => {
    const target = join(out, 'impossible');
    const r = cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', target, '--max-mb', '0.5']);
    expect(r.status).toBe(1);
    expect(r.last).toMatch(/too little to keep the label readable.*needs at least [\d.]+ MB/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync(target) || existsSync(`${target}.partial`) || existsSync(`${target}.zip`)).toBe(false);
  });

  it('says which clip is meant when it cannot tell, and never overwrites an export', () => {
    expect(cli(['export', '--data', dataDir, '--code', 'NOSUCHCODE', '--out', join(out, 'x')]).last).toMatch(/no clip has the code "NOSUCHCODE"/);
    expect(cli(['export', '--data', dataDir, '--out', join(out, 'x')]).last).toMatch(/--clip ID or --code CODE/);
    expect(cli(['export', '--data', dataDir, '--clip', '999999', '--out', join(out, 'x')]).last).toMatch(/no clip 999999/);
    expect(cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', join(out, 'fit-20')]).last).toMatch(/already exists/);
  });

  it('Ctrl-C during an encode cancels it: exit 130, no bundle, no partial files', async () => {
    const target = join(out, 'cancelled');
    const p = spawn(process.execPath, [cliPath, 'export', '--data', dataDir, '--clip', String(clip.id), '--out', target, '--max-mb', '20'], { cwd: repoRoot });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor(() => /video [1-9]\d*%/.test(err), 60_000, 'encode progress');
    p.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    expect(code, err).toBe(130);
    expect(readdirSync(out).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  }, 90_000);
});
