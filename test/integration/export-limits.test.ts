/**
 * Exports cannot fill the disk: a real LAN station (built CLI, demo camera, real HTTP and
 * files). Viewers may start a limited number of exports per hour from one address; finished exports
 * expire after the `keepExportsDays` retention setting, except while their clip is protected, and the
 * expiry deletes nothing but the station's own export bundles.
 *
 * The clock is not wound forward: an export's age is the stamp in its name (the job's start), so the
 * test writes an older time there by renaming a real bundle and its zip.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ErrorResponse, ExportJob, RetentionSettings, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { VIEWER_EXPORTS } from '../../electron/station/limits.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const PASSWORD = 'packing-room 7';
const json = { 'content-type': 'application/json' };

/** node:http, not fetch: the test chooses the local address (another PC is another loopback address here). */
function raw(origin: string, path: string, o: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(origin);
  const headers = o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)), ...o.headers } : o.headers;
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: o.method ?? 'GET', headers, localAddress: o.from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** exports/YYYYMMDD/clip-N-YYYYMMDDTHHMMSSZ for a time. */
function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

describe('exports on a shared station', () => {
  let station: StationProcess;
  let clipA: number;
  let clipB: number;

  const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code }) });
  async function makeClip(code: string): Promise<number> {
    const started = ScanResponse.parse(await (await post(code)).json());
    await sleep(2_000);
    await post('PW-STOP');
    await waitFor(async () => Clip.parse(await (await station.api(routes.clip(started.id!))).json()).video !== null, 30_000, `clip ${code}`);
    return started.id!;
  }
  async function exportDone(clipId: number): Promise<ExportJob> {
    const res = await station.api(routes.clipExport(clipId), { method: 'POST', headers: json, body: JSON.stringify({ preset: 'original' }) });
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    return waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      if (j.state === 'failed') throw new Error(j.error ?? 'export failed');
      return j.state === 'done' ? j : undefined;
    }, 60_000, `the export of clip ${clipId}`);
  }
  async function login(from?: string): Promise<string> {
    const res = await raw(station.origin, routes.login, { method: 'POST', headers: json, body: JSON.stringify({ password: PASSWORD }), from });
    expect(res.status).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }
  const retention = async (patch: Partial<RetentionSettings>) => {
    const now = RetentionSettings.parse(await (await station.api(routes.retentionSettings)).json());
    return station.api(routes.retentionSettings, { method: 'PUT', headers: json, body: JSON.stringify({ ...now, ...patch }) });
  };

  beforeAll(async () => {
    station = await startStation({ args: ['--host', '0.0.0.0'], env: { PACKWITNESS_VIEWER_PASSWORD: PASSWORD } });
    await waitFor(async () => StatusResponse.parse(await (await station.api(routes.status)).json()).segmentCount > 0, 30_000, 'the first segment');
    clipA = await makeClip('SF1000000000001');
    clipB = await makeClip('SF1000000000002');
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it(`lets a viewer start ${VIEWER_EXPORTS.max} exports an hour from one address, then answers 429 in one sentence; the operator and other addresses go on`, async () => {
    const cookie = await login();
    const start = (headers: Record<string, string>, from?: string) => raw(station.origin, routes.clipExport(clipA), { method: 'POST', headers: { ...headers, ...json }, body: '{}', from });
    const cancel = (id: string, headers: Record<string, string>, from?: string) => raw(station.origin, routes.exportJob(id), { method: 'DELETE', headers: { ...headers, ...json }, body: '{}', from });
    for (let i = 0; i < VIEWER_EXPORTS.max; i++) {
      const res = await start({ cookie });
      expect(res.status, `export ${i + 1}`).toBe(202);
      // Cancelled at once: the limit counts starts, and the queue need not encode twenty exports here.
      await cancel(ExportJob.parse(JSON.parse(res.body)).id, { cookie });
    }
    const refused = await start({ cookie });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(55 * 60);
    expect(ErrorResponse.parse(JSON.parse(refused.body))).toEqual({
      error: `too many exports from this computer: at most ${VIEWER_EXPORTS.max} an hour; try again in 60 minutes`,
      code: 'export.tooMany',
      params: { max: VIEWER_EXPORTS.max, count: 60 },
      message: { en: `too many exports from this computer: at most ${VIEWER_EXPORTS.max} an hour; try again in 60 minutes`, 'zh-CN': `这台电脑导出次数过多：每小时最多 ${VIEWER_EXPORTS.max} 次；请 60 分钟后再试` },
    });
    // A new session from the same computer does not reset it.
    expect((await start({ cookie: await login() })).status).toBe(429);
    // Another computer's viewer, and the operator, are not limited by it.
    const other = await start({ cookie: await login('127.0.0.2') }, '127.0.0.2');
    expect(other.status).toBe(202);
    await cancel(ExportJob.parse(JSON.parse(other.body)).id, { authorization: `Bearer ${station.token}` });
    const operator = await start({ authorization: `Bearer ${station.token}` });
    expect(operator.status).toBe(202);
    await cancel(ExportJob.parse(JSON.parse(operator.body)).id, { authorization: `Bearer ${station.token}` });
  });

  it('keeps exports 14 days by default, a setting of its own, refused outside 1-3650 days in one sentence', async () => {
    const saved = RetentionSettings.parse(await (await station.api(routes.retentionSettings)).json());
    expect(saved.keepExportsDays).toBe(14);
    const bad = await retention({ keepExportsDays: 0 });
    expect(bad.status).toBe(400);
    expect(ErrorResponse.parse(await bad.json()).error).toMatch(/^Retention settings not saved: keepExportsDays: .*"keepExportsDays": 1-3650, "waitForHubCopy": true\|false\}\.$/);
    expect((await retention({ keepExportsDays: 30 })).status).toBe(200);
    expect(RetentionSettings.parse(await (await station.api(routes.retentionSettings)).json()).keepExportsDays).toBe(30);
    expect((await retention({ keepExportsDays: 14 })).status).toBe(200);
  });

  it('deletes finished exports once they are older than the setting, keeps those of a protected clip, and touches nothing else', async () => {
    const exportsDir = join(station.dataDir, 'exports');
    const old = Date.now() - 15 * 86_400_000;
    /**
     * A real export made older by writing an older job time into its name: the job's folder (holding
     * the bundle and zip named for the reviewer), or, as older versions left them, the
     * bundle folder and its zip side by side under that name.
     */
    const age = (job: ExportJob, clipId: number, atMs: number, layout: 'job-folder' | 'bundle-beside-zip'): string => {
      const zip = job.files.find((f) => f.role === 'zip')!.name;
      const base = zip.replace(/\.zip$/, '');
      const jobDir = readdirSync(exportsDir, { recursive: true }).map((f) => join(exportsDir, String(f))).find((d) => existsSync(join(d, zip)))!;
      const stamp = stampOf(atMs);
      const toDir = join(exportsDir, stamp.slice(0, 8));
      mkdirSync(toDir, { recursive: true });
      const aged = join(toDir, `clip-${clipId}-${stamp}`);
      if (layout === 'job-folder') renameSync(jobDir, aged);
      else {
        renameSync(join(jobDir, base), aged);
        renameSync(join(jobDir, zip), `${aged}.zip`);
        rmdirSync(jobDir);
      }
      return aged;
    };
    const oldA = age(await exportDone(clipA), clipA, old, 'job-folder');
    const oldB = age(await exportDone(clipB), clipB, old + 60_000, 'bundle-beside-zip');
    const fresh = await exportDone(clipA);
    // The same clip's zip has the same name in every export (the reviewer's name for it): the fresh one is not under oldA.
    const freshZip = readdirSync(exportsDir, { recursive: true })
      .map(String)
      .find((f) => f.endsWith(fresh.files.find((x) => x.role === 'zip')!.name) && !join(exportsDir, f).startsWith(oldA))!;
    // An interrupted export's leftover, and what someone put there by hand.
    const leftover = join(exportsDir, stampOf(old).slice(0, 8), `clip-${clipA}-${stampOf(old - 60_000)}.partial`);
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'video.mp4'), 'half');
    const strangers = [
      join(exportsDir, 'README.txt'),
      join(exportsDir, stampOf(old).slice(0, 8), 'notes.txt'),
      join(exportsDir, stampOf(old).slice(0, 8), `clip-${clipA}-${stampOf(old)}.txt`),
      join(exportsDir, 'by-hand', `clip-${clipA}-${stampOf(old)}.zip`),
    ];
    for (const f of strangers) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'not the station’s');
    }
    // Clip B is disputed.
    expect((await station.api(routes.clip(clipB), { method: 'PATCH', headers: json, body: JSON.stringify({ protected: true }) })).status).toBe(200);

    expect((await retention({ keepExportsDays: 14 })).status).toBe(200);
    await waitFor(() => !existsSync(oldA) && !existsSync(`${oldA}.zip`) && !existsSync(leftover), 20_000, 'the old export of clip A to go');
    expect(existsSync(oldB) && existsSync(`${oldB}.zip`)).toBe(true);
    expect(existsSync(join(exportsDir, freshZip))).toBe(true);
    for (const f of strangers) expect(existsSync(f), f).toBe(true);
    // The fresh export still downloads.
    expect((await station.api(routes.exportFile(fresh.id, 'zip'))).status).toBe(200);

    // Unprotected, clip B's old export goes at the next run.
    expect((await station.api(routes.clip(clipB), { method: 'PATCH', headers: json, body: JSON.stringify({ protected: false }) })).status).toBe(200);
    expect((await retention({ keepExportsDays: 14 })).status).toBe(200);
    await waitFor(() => !existsSync(oldB) && !existsSync(`${oldB}.zip`), 20_000, 'the old export of clip B to go');
    expect(existsSync(join(exportsDir, freshZip))).toBe(true);
    for (const f of strangers) expect(existsSync(f), f).toBe(true);
  }, 180_000);
});
