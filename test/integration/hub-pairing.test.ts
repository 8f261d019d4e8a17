/**
 * Joining stations to a hub, with a real hub (embedded PostgreSQL) and real
 * stations on the demo camera: the command line and the settings API, one-time tokens, the key the
 * hub records, signed heartbeats, and requests signed by another key refused with a reason and logged.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport, HubLinkStatus, HubStationsResponse, StatusResponse } from '../../shared/api.js';
import { sha256Hex, signedHeaders } from '../../electron/hub/protocol.js';
import { startHub, type HubProcess } from '../helpers/hub-process.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

let hub: HubProcess;
const stations: StationProcess[] = [];

beforeAll(async () => {
  hub = await startHub();
}, 60_000);
afterAll(async () => {
  for (const s of stations) await s.stop();
  await hub?.stop();
});

async function pairingToken(): Promise<string> {
  const r = await hub.api('/api/pairings', { method: 'POST' });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

async function station(args: string[] = []): Promise<StationProcess> {
  const s = await startStation({ args });
  stations.push(s);
  return s;
}

async function hubStations(): Promise<HubStationsResponse['stations']> {
  return ((await (await hub.api('/api/stations')).json()) as HubStationsResponse).stations;
}

async function link(s: StationProcess): Promise<HubLinkStatus> {
  return (await (await s.api('/api/settings/hub')).json()) as HubLinkStatus;
}

describe('pairing stations with the hub', () => {
  let first: StationProcess;
  let firstId: number;

  it('joins from the command line: the hub records the station key and sees it online through signed heartbeats', async () => {
    const token = await pairingToken();
    first = await station(['--station', 'Bench 1', '--hub', hub.origin, '--hub-token', token]);
    const status = await waitFor(
      async () => {
        const l = await link(first);
        return l.state === 'connected' ? l : undefined;
      },
      20_000,
      'the station to join the hub',
    );
    expect(status.url).toBe(hub.origin);
    firstId = status.stationId!;
    const fingerprint = ((await (await first.api('/api/status')).json()) as StatusResponse).stationKey!.fingerprint;
    const listed = await waitFor(async () => (await hubStations()).find((s) => s.id === firstId && s.recording === true), 20_000, 'a heartbeat while recording');
    expect(listed).toMatchObject({ name: 'Bench 1', fingerprint, online: true, recording: true, backlog: 0 });
    expect(Math.abs(listed.clockSkewMs!)).toBeLessThan(5_000);
    // The status carries the link too (the station screen and health page read it).
    expect(((await (await first.api('/api/status')).json()) as StatusResponse).hub).toMatchObject({ state: 'connected', stationId: firstId });
  });

  it("reports the health page's days of disk left to the hub's stations page", async () => {
    // A minute-old station has no rate yet: no number. A free-space floor above any disk puts it at the
    // floor, which the station's health page says and the hub then shows as 0 days.
    expect(((await (await first.api('/api/health/report')).json()) as HealthReport).forecast.state).toBe('not-enough-data');
    expect((await hubStations()).find((s) => s.id === firstId)!.diskDaysLeft).toBeNull();
    const put = await first.api('/api/settings/retention', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 100_000, minFreePercent: 10 }) });
    expect(put.status).toBe(200);
    expect(((await (await first.api('/api/health/report')).json()) as HealthReport).forecast.state).toBe('at-floor');
    await waitFor(async () => (await hubStations()).find((s) => s.id === firstId)!.diskDaysLeft === 0, 25_000, 'the next heartbeat to carry 0 days');
    const back = await first.api('/api/settings/retention', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 10 }) });
    expect(back.status).toBe(200);
  }, 40_000);

  it('refuses a used token through the settings API with one sentence; a fresh token joins a second station', async () => {
    const token = await pairingToken();
    const second = await station(['--station', 'Bench 2']);
    expect((await link(second)).state).toBe('not-joined');
    const join = (t: string): Promise<Response> =>
      second.api('/api/settings/hub', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${hub.origin}/?token=ignored`, pairingToken: t }) });
    const ok = await join(token);
    expect(ok.status).toBe(200);
    const joined = (await ok.json()) as HubLinkStatus;
    expect(joined).toMatchObject({ url: hub.origin, state: 'connected' });
    expect(joined.stationId).not.toBe(firstId);
    // The same token again, now used: the hub's sentence, in both languages.
    const again = await join(token);
    expect(again.status).toBe(403);
    const body = (await again.json()) as { error: string; message: { 'zh-CN': string } };
    expect(body.error).toBe('This pairing token was already used; ask the hub for a new one.');
    expect(body.message['zh-CN']).toBe('此配对码已被使用，请在中心重新生成。');
    // A token the hub never issued.
    const unknown = await join('pwp_not-a-real-token');
    expect(unknown.status).toBe(403);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/not one the hub issued/);
    // Bad input: not an address.
    const bad = await second.api('/api/settings/hub', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'hub.local', pairingToken: 'x' }) });
    expect(bad.status).toBe(400);
    await waitFor(async () => (await hubStations()).filter((s) => s.online).length === 2, 20_000, 'both stations online');
  });

  it('refuses a request signed by another key for a paired station, logs it, and keeps serving the real station', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const body = JSON.stringify({ stationName: 'Impostor', recording: false, backlog: 0, freeDiskBytes: null, diskDaysLeft: null, sentAt: new Date().toISOString() });
    const forged = await fetch(`${hub.origin}/api/hub/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(privateKey, firstId, 'POST', '/api/hub/heartbeat', sha256Hex(body)) },
      body,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: string }).error).toBe(`This request is not signed by the key station ${firstId} paired with; it was refused and logged.`);
    // The hub's log reaches this process through a pipe, a moment after the answer.
    await waitFor(() => /WARN hub: request-refused .*"reason":"wrong-key"/.test(hub.stderr()), 5_000, "the hub's log of the refusal");
    // A station id nobody paired.
    const stranger = await fetch(`${hub.origin}/api/hub/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(privateKey, 9999, 'POST', '/api/hub/heartbeat', sha256Hex(body)) },
      body,
    });
    expect(stranger.status).toBe(401);
    expect(((await stranger.json()) as { error: string }).error).toMatch(/No station 9999 is paired with this hub/);
    // The real station's name was not changed by the forgery, and it is still online.
    const s = (await hubStations()).find((x) => x.id === firstId)!;
    expect(s).toMatchObject({ name: 'Bench 1', online: true });
    expect((await link(first)).state).toBe('connected');
  });

  it('a wrong pairing token on the command line: the station records anyway and says why it is not joined', async () => {
    const s = await station(['--hub', hub.origin, '--hub-token', 'pwp_wrong']);
    expect(((await (await s.api('/api/status')).json()) as StatusResponse).recording).toBe(true);
    const l = await waitFor(
      async () => {
        const x = await link(s);
        return x.state === 'refused' ? x : undefined;
      },
      20_000,
      'the refusal',
    );
    expect(l.lastError).toBe('This pairing token is not one the hub issued; copy it again from the hub’s stations page.');
    expect(s.stderr()).toMatch(/the hub refused this station/);
  });

  it('restarted with the same command line, a joined station keeps its id and does not spend a token again', async () => {
    const dataDir = first.dataDir;
    const token = 'pwp_already-spent-or-not-this-one';
    await first.stop();
    stations.splice(stations.indexOf(first), 1);
    const restarted = await startStation({ dataDir, args: ['--hub', hub.origin, '--hub-token', token] });
    stations.push(restarted);
    const l = await waitFor(
      async () => {
        const x = await link(restarted);
        return x.state === 'connected' ? x : undefined;
      },
      20_000,
      'the restarted station to reconnect',
    );
    expect(l.stationId).toBe(firstId);
  });
});
