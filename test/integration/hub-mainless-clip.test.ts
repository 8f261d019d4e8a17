/**
 * A clip whose MAIN camera recorded nothing while the other camera recorded on: a real hub (embedded
 * PostgreSQL) and a real station whose main camera is a network camera (an ffmpeg the test serves on
 * tcp://, unplugged before the clip) and whose second camera is the demo camera. The station's export
 * holds the second camera's video alone and verifies; the clip goes to the hub with that video and its
 * record (main camera: no video, footage none), the hub's library lists and shows it, plays the second
 * camera's video, and exports a bundle that `packwitness verify` accepts with the same fingerprint.
 */
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, routes, type HubLinkStatus, type StatusResponse } from '../../shared/api.js';
import { startHub, type HubProcess } from '../helpers/hub-process.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';
import { freePort, startTcpCamera } from '../helpers/tcp-camera.js';

let hub: HubProcess;
let station: StationProcess;
let mainFeed: ChildProcess | null = null;
let MAIN: string;
let clipId: number;
let fingerprint: string;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const status = async (): Promise<StatusResponse> => (await (await station.api(routes.status)).json()) as StatusResponse;
const post = (path: string, body: unknown): Promise<Response> => station.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function verify(path: string): { status: number | null; stdout: string; stderr: string } {
  const v = spawnSync(process.execPath, [cliPath, 'verify', path, '--expect-fingerprint', fingerprint], { cwd: repoRoot, encoding: 'utf8' });
  return { status: v.status, stdout: v.stdout, stderr: v.stderr };
}

beforeAll(async () => {
  hub = await startHub();
  const token = ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
  const port = await freePort();
  mainFeed = await startTcpCamera(port);
  station = await startStation({ camera: `tcp://127.0.0.1:${port}`, args: ['--camera', 'demo:320x240@15', '--station', 'Bench M', '--hub', hub.origin, '--hub-token', token] });
  await waitFor(async () => ((await status()).hub as HubLinkStatus | undefined)?.state === 'connected', 30_000, 'the station to join');
  const cams = await waitFor(async () => {
    const s = await status();
    return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s.cameras : undefined;
  }, 30_000, 'both cameras recording');
  MAIN = cams[0]!.id;
  fingerprint = (await status()).stationKey!.fingerprint;
  // The main camera unplugged; longer than the 3-s pre-roll, so the clip lies wholly in its outage.
  mainFeed.kill('SIGKILL');
  mainFeed = null;
  await waitFor(async () => ((await status()).recording ? undefined : true), 10_000, 'the main camera down');
  await sleep(4_000);
  clipId = ((await (await post(routes.scans, { code: 'SF7700112233' })).json()) as { id: number }).id;
  await sleep(3_000);
  await post(routes.scans, { code: 'PW-STOP' });
}, 120_000);
afterAll(async () => {
  mainFeed?.kill('SIGKILL');
  await station?.stop();
  await hub?.stop();
});

describe('a clip whose main camera recorded nothing', () => {
  let stationClip: Clip;

  it('has the other camera’s video on the station, and no main video', async () => {
    stationClip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(clipId))).json());
      return c.footage === 'none' && c.cameras?.[1]?.hasVideo ? c : undefined;
    }, 30_000, 'the other camera’s video cut');
    expect(stationClip.video).toBeNull();
    expect(stationClip.cameras!.map((k) => [k.id, k.main, k.hasVideo])).toEqual([
      [MAIN, true, false],
      ['demo', false, true],
    ]);
  });

  it('exports from the station as a bundle of the other camera’s video that verifies', async () => {
    const res = await post(routes.clipExport(clipId), {});
    expect(res.status, await res.clone().text()).toBe(202);
    const job = ExportJob.parse(await res.json());
    const done = await waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      return j.state === 'done' || j.state === 'failed' ? j : undefined;
    }, 60_000, 'the export');
    expect(done.state, JSON.stringify(done)).toBe('done');
    const zip = done.files.find((f) => f.role === 'zip')!;
    const dir = tempDataDir('pw-mainless-');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, zip.name);
    writeFileSync(path, Buffer.from(await (await station.api(routes.exportFile(job.id, 'zip'))).arrayBuffer()));
    const v = verify(path);
    expect(v.stderr).toBe('');
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
    expect(v.stdout).toContain(`The main camera ${MAIN}`);
    expect(v.stdout).toContain('recorded none of the clip');
    expect(done.files.some((f) => f.role === 'video')).toBe(false);
  });

  it('is uploaded to the hub: the record says the main camera has no footage, the other camera’s video is there, byte for byte', async () => {
    const onHub = await waitFor(async () => {
      const items = ((await (await hub.api('/api/clips?q=7700112233')).json()) as { items: Array<{ id: number; stationClipId: number; hasVideo: boolean }> }).items;
      const item = items.find((c) => c.stationClipId === clipId);
      if (!item?.hasVideo) return undefined;
      const c = Clip.parse(await (await hub.api(`/api/clips/${item.id}`)).json());
      return c.cameras?.[1]?.hasVideo ? c : undefined;
    }, 60_000, 'the clip on the hub with the other camera’s video');
    expect(onHub.video).toBeNull();
    expect(onHub.footage).toBe('none');
    expect(onHub.cameras!.map((k) => [k.id, k.main, k.hasVideo])).toEqual([
      [MAIN, true, false],
      ['demo', false, true],
    ]);
    expect(onHub.cameras![1]!.sha256).toBe(stationClip.cameras![1]!.sha256);
    const played = await hub.api(`${routes.clipVideo(onHub.id)}?camera=demo`);
    expect(played.status).toBe(200);
    expect(sha(Buffer.from(await played.arrayBuffer()))).toBe(stationClip.cameras![1]!.sha256);
    // The main camera's video: none, in one sentence.
    expect((await hub.api(routes.clipVideo(onHub.id))).status).toBe(409);
    // The station's outbox item is done: confirmed with no main video.
    await waitFor(async () => ((await status()).hub?.backlog === 0 ? true : undefined), 20_000, 'the outbox to empty');

    const res = await hub.api(`/api/clips/${onHub.id}/export`);
    expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
    const zip = join(tempDataDir('pw-mainless-hub-'), 'bundle.zip');
    mkdirSync(join(zip, '..'), { recursive: true });
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    const v = verify(zip);
    expect(v.stderr).toBe('');
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
    expect(readFileSync(zip).length).toBeGreaterThan(stationClip.cameras![1]!.bytes!);
  });
});
