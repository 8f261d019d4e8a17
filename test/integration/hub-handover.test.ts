/**
 * Hand-over mode over the hub: a parcel packed at one station and handed over at another
 * (the dispatch point) has two clips on the hub, found by one search, each linking the other across
 * the stations, also when packing scanned the order number and dispatch only the waybill. Real hub
 * (embedded PostgreSQL), two real stations on the demo camera.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScanSettings, routes } from '../../shared/api.js';
import { startHub, type HubProcess } from '../helpers/hub-process.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const WAYBILL_A = 'SF6060606060601';
const ORDER_B = '240602-987654321098765';
const WAYBILL_B = 'YT7070707070702';

let hub: HubProcess;
let bench: StationProcess;
let dispatch: StationProcess;

interface HubSummary {
  id: number;
  station: string;
  mode: string;
  codes: string[];
  hasVideo: boolean;
}

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function pairingToken(): Promise<string> {
  return ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
}

async function recordClip(s: StationProcess, code: string): Promise<Clip> {
  const scanned = ScanResponse.parse(await (await s.api(routes.scans, json({ code }))).json());
  expect(scanned.action).toBe('started');
  await sleep(2_000);
  await s.api(routes.scans, json({ code: 'PW-STOP' }));
  return waitFor(async () => {
    const c = Clip.parse(await (await s.api(routes.clip(scanned.id!))).json());
    return c.video ? c : undefined;
  }, 20_000, `clip ${code} to be cut`);
}

async function search(q: string, extra = ''): Promise<HubSummary[]> {
  return ((await (await hub.api(`/api/clips?q=${encodeURIComponent(q)}${extra}`)).json()) as { items: HubSummary[] }).items;
}

async function hubClip(id: number): Promise<Clip> {
  return Clip.parse(await (await hub.api(`/api/clips/${id}`)).json());
}

beforeAll(async () => {
  hub = await startHub();
  [bench, dispatch] = await Promise.all([
    startStation({ args: ['--station', 'Bench 3', '--hub', hub.origin, '--hub-token', await pairingToken()] }),
    startStation({ args: ['--station', 'Dispatch', '--hub', hub.origin, '--hub-token', await pairingToken()] }),
  ]);
}, 90_000);
afterAll(async () => {
  await bench?.stop();
  await dispatch?.stop();
  await hub?.stop();
});

describe('a parcel packed at one station and handed over at another, on the hub', () => {
  let packA: Clip;
  let shipA: Clip;
  let packB: Clip;
  let shipB: Clip;

  beforeAll(async () => {
    // The packing bench knows the order (imported there); the dispatch point does not.
    expect((await bench.api(routes.orders, json({ orders: [{ orderNo: ORDER_B, waybills: [WAYBILL_B] }] }))).status).toBe(200);
    const settings = ScanSettings.parse(await (await dispatch.api(routes.scanSettings)).json());
    expect((await dispatch.api(routes.scanSettings, json({ ...settings, dispatchPoint: true }, 'PUT'))).status).toBe(200);
    await sleep(1_500);
    packA = await recordClip(bench, WAYBILL_A);
    packB = await recordClip(bench, ORDER_B);
    shipA = await recordClip(dispatch, WAYBILL_A);
    shipB = await recordClip(dispatch, WAYBILL_B);
  }, 90_000);

  it('one search finds the packing clip and the hand-over clip, from their two stations', async () => {
    expect([packA.mode, packB.mode, shipA.mode, shipB.mode]).toEqual(['pack', 'pack', 'ship', 'ship']);
    const both = await waitFor(async () => {
      const found = await search(WAYBILL_A.slice(-7));
      return found.length === 2 && found.every((c) => c.hasVideo) ? found : undefined;
    }, 40_000, 'both clips of A on the hub');
    expect(both.map((c) => [c.station, c.mode]).sort()).toEqual([
      ['Bench 3', 'pack'],
      ['Dispatch', 'ship'],
    ]);
    // The mode filter takes the new mode; an unknown one is refused in one sentence.
    expect((await search(WAYBILL_A, '&mode=ship')).map((c) => c.station)).toEqual(['Dispatch']);
    const bad = await hub.api('/api/clips?mode=fly');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('mode is pack, return, ship');
  }, 60_000);

  it('each clip page links the other across stations, by waybill, and by the order the packing bench knew', async () => {
    const onHub = async (code: string): Promise<HubSummary[]> =>
      waitFor(async () => {
        const found = await search(code);
        return found.length === 2 && found.every((c) => c.hasVideo) ? found : undefined;
      }, 40_000, `both clips of ${code} on the hub`);
    const a = await onHub(WAYBILL_A);
    const [hubPackA, hubShipA] = [a.find((c) => c.mode === 'pack')!, a.find((c) => c.mode === 'ship')!];
    const pageA = await hubClip(hubPackA.id);
    expect(pageA.related).toEqual([{ id: hubShipA.id, station: 'Dispatch', mode: 'ship', status: 'closed', codes: [WAYBILL_A], startedAt: shipA.startedAt, endedAt: shipA.endedAt }]);
    expect((await hubClip(hubShipA.id)).related?.map((r) => [r.id, r.station, r.mode])).toEqual([[hubPackA.id, 'Bench 3', 'pack']]);

    // B: packed by its order number, handed over by its waybill; the hub knows the order from the bench's clip.
    const b = await onHub(WAYBILL_B);
    const [hubPackB, hubShipB] = [b.find((c) => c.mode === 'pack')!, b.find((c) => c.mode === 'ship')!];
    expect(hubPackB.codes).toEqual([ORDER_B]);
    expect((await hubClip(hubShipB.id)).related?.map((r) => [r.id, r.station, r.codes])).toEqual([[hubPackB.id, 'Bench 3', [ORDER_B]]]);
    expect((await hubClip(hubPackB.id)).related?.map((r) => [r.id, r.station, r.codes])).toEqual([[hubShipB.id, 'Dispatch', [WAYBILL_B]]]);
  }, 90_000);
});
