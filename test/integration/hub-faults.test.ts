/**
 * The hub's faults, real hub and PostgreSQL, a real station on the demo camera: the hub
 * killed with -9 in the middle of a video upload and started again (same folder and port): no
 * duplicate, nothing lost, the upload resumes; clips closed while the hub was down wait in the
 * outbox and go up in order once it is back.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, routes, type HubLinkStatus, type StatusResponse } from '../../shared/api.js';
import { embeddedPostgresPid, startHub, type HubProcess } from '../helpers/hub-process.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

let hub: HubProcess;
let station: StationProcess;

async function recordClip(code: string): Promise<Clip> {
  const post = (c: string): Promise<Response> => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) });
  const id = ((await (await post(code)).json()) as { id: number }).id;
  await sleep(3_000);
  await post('PW-STOP');
  return waitFor(async () => {
    const c = Clip.parse(await (await station.api(routes.clip(id))).json());
    return c.video ? c : undefined;
  }, 20_000, `clip ${code} to be cut`);
}

async function link(): Promise<HubLinkStatus> {
  return ((await (await station.api('/api/status')).json()) as StatusResponse).hub!;
}

async function setRate(maxMbps: number | null): Promise<void> {
  const r = await station.api('/api/settings/hub/upload', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxMbps }) });
  expect(r.status).toBe(200);
}

interface HubSummary {
  id: number;
  stationClipId: number;
  hasVideo: boolean;
}

async function hubClips(): Promise<HubSummary[]> {
  return ((await (await hub.api('/api/clips?limit=200')).json()) as { items: HubSummary[] }).items;
}

function partials(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith('.partial-')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  hub = await startHub();
  const token = ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
  station = await startStation({ args: ['--station', 'Bench F', '--hub', hub.origin, '--hub-token', token] });
}, 90_000);
afterAll(async () => {
  await station?.stop();
  await hub?.stop();
});

describe('hub faults', () => {
  it('hub killed -9 mid-upload and restarted: the upload resumes, no duplicate, nothing lost; clips closed meanwhile follow in order', async () => {
    await waitFor(async () => (await link()).state === 'connected', 20_000, 'the station to join');
    // Slow enough to catch the video on the wire: 0.05 Mbit/s is ~6 KB/s.
    await setRate(0.05);
    const first = await recordClip('KILL0001');
    const footage = join(hub.dataDir, 'footage');
    await waitFor(() => partials(footage).length > 0, 30_000, 'the video upload to be under way');
    const port = new URL(hub.origin).port;
    hub.proc.kill('SIGKILL');
    await hub.exited;
    await waitFor(async () => (await link()).state === 'unreachable', 20_000, 'the station to notice');
    // Two clips close while the hub is away: they wait in the outbox.
    const second = await recordClip('KILL0002');
    const third = await recordClip('KILL0003');
    expect((await link()).backlog).toBe(3);
    await setRate(null);
    hub = await startHub({ dataDir: hub.dataDir, token: hub.token, args: ['--port', port] });
    await waitFor(async () => (await link()).backlog === 0, 60_000, 'the outbox to empty');
    expect((await link()).state).toBe('connected');

    const onHub = (await hubClips()).filter((c) => [first.id, second.id, third.id].includes(c.stationClipId));
    expect(onHub.map((c) => c.stationClipId).sort((x, y) => x - y)).toEqual([first.id, second.id, third.id]); // one row each
    expect(onHub.every((c) => c.hasVideo)).toBe(true);
    // Sent oldest first.
    const received = await Promise.all(onHub.map(async (c) => ({ clip: c.stationClipId, at: Date.parse(((await (await hub.api(`/api/clips/${c.id}`)).json()) as { receivedAt: string }).receivedAt) })));
    received.sort((x, y) => x.at - y.at);
    expect(received.map((r) => r.clip)).toEqual([first.id, second.id, third.id]);
    // The video the hub kept is the station's, and the cut-off partial file is gone.
    const stored = (await (await hub.api(`/api/clips/${onHub.find((c) => c.stationClipId === first.id)!.id}`)).json()) as Clip;
    expect(stored.video!.sha256).toBe(first.video!.sha256);
    expect(partials(footage)).toEqual([]);
    expect(hub.stderr()).toMatch(/stopping the embedded PostgreSQL that a previous hub left running/);
  });

  it('PostgreSQL stopped under the hub: the clip closed meanwhile is kept and sent once, when the hub has its database back', async () => {
    await waitFor(async () => (await link()).state === 'connected' && (await link()).backlog === 0, 30_000, 'a connected station with an empty outbox');
    process.kill(embeddedPostgresPid(hub.dataDir), 'SIGINT');
    const clip = await recordClip('PGDOWN01');
    // The hub starts its database again by itself (hub-start.test.ts sees the 503 meanwhile); the clip goes up once it answers.
    await waitFor(async () => (await hubClips()).find((c) => c.stationClipId === clip.id && c.hasVideo), 60_000, 'the clip on the hub after PostgreSQL came back');
    await waitFor(async () => (await link()).backlog === 0, 20_000, 'the outbox to empty');
    expect(hub.stderr()).toMatch(/the embedded PostgreSQL stopped; starting it again/);
    expect((await hubClips()).filter((c) => c.stationClipId === clip.id)).toHaveLength(1);
  });
});
