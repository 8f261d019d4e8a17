/**
 * Uploads to the hub, real hub (embedded PostgreSQL) and two real stations on
 * the demo camera: clips go up with their sealed evidence, are found by a fragment across stations,
 * play with byte ranges, export as a bundle `packwitness verify` accepts, follow a protect change
 * without a duplicate, and a video whose hash is not the one its station signed is refused with a
 * reason while the station's next clips still go up. The hub's packer statistics over both stations
 * (hub and stations in Shanghai time, so hours and days are not UTC's) equal each station's own.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, routes, StatsResponse, type HubLinkStatus, type StatusResponse } from '../../shared/api.js';
import { canonicalJson } from '../../electron/station/evidence/manifest.js';
import { sha256Hex, signedHeaders } from '../../electron/hub/protocol.js';
import { clipRecord, startHub, type HubProcess } from '../helpers/hub-process.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

let hub: HubProcess;
let a: StationProcess;
let b: StationProcess;

interface HubSummary {
  id: number;
  stationId: number;
  stationClipId: number;
  station: string;
  codes: string[];
  hasVideo: boolean;
  protected: boolean;
  packerName?: string | null;
}

async function pairingToken(): Promise<string> {
  return ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
}

async function recordClip(s: StationProcess, code: string): Promise<Clip> {
  const post = (c: string): Promise<Response> => s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) });
  const id = ((await (await post(code)).json()) as { id: number }).id;
  await sleep(2_500);
  await post('PW-STOP');
  return waitFor(async () => {
    const c = Clip.parse(await (await s.api(routes.clip(id))).json());
    return c.video ? c : undefined;
  }, 20_000, `clip ${code} to be cut`);
}

async function search(q: string, extra = ''): Promise<HubSummary[]> {
  return ((await (await hub.api(`/api/clips?q=${encodeURIComponent(q)}${extra}`)).json()) as { items: HubSummary[] }).items;
}

async function uploaded(s: StationProcess, code: string): Promise<HubSummary> {
  return waitFor(async () => (await search(code)).find((c) => c.hasVideo && c.codes.includes(code)), 40_000, `${code} on the hub`);
}

async function link(s: StationProcess): Promise<HubLinkStatus> {
  return ((await (await s.api('/api/status')).json()) as StatusResponse).hub!;
}

function readZipEntry(zip: string, suffix: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err ?? new Error('no zip'));
      z.on('entry', (e: yauzl.Entry) => {
        if (!e.fileName.endsWith(suffix)) return z.readEntry();
        z.openReadStream(e, (err2, rs) => {
          if (err2 || !rs) return reject(err2 ?? new Error('no stream'));
          const parts: Buffer[] = [];
          rs.on('data', (d: Buffer) => parts.push(d));
          rs.on('end', () => {
            z.close();
            resolve(Buffer.concat(parts));
          });
        });
      });
      z.on('end', () => reject(new Error(`${suffix} not in ${zip}`)));
      z.readEntry();
    });
  });
}

/** The warehouse's clock: hours and days of the statistics are read in it, on the stations and the hub. */
const env = { TZ: 'Asia/Shanghai' };

beforeAll(async () => {
  hub = await startHub({ env });
  a = await startStation({ env, args: ['--station', 'Bench A', '--hub', hub.origin, '--hub-token', await pairingToken()] });
  b = await startStation({ env, args: ['--station', 'Bench B', '--hub', hub.origin, '--hub-token', await pairingToken()] });
}, 90_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await hub?.stop();
});

describe('uploading clips to the hub', () => {
  let clipA: Clip;
  let onHubA: HubSummary;

  it('uploads closed clips from two stations; a fragment finds both, a station filter one', async () => {
    [clipA] = await Promise.all([recordClip(a, 'SF1000123456'), recordClip(b, 'YT2000123456')]);
    onHubA = await uploaded(a, 'SF1000123456');
    const onHubB = await uploaded(b, 'YT2000123456');
    expect(onHubA).toMatchObject({ station: 'Bench A', stationClipId: clipA.id, protected: false });
    expect(onHubB.station).toBe('Bench B');
    expect((await search('0001 23456')).map((c) => c.id).sort()).toEqual([onHubA.id, onHubB.id].sort());
    expect((await search('1000')).map((c) => c.id)).toEqual([onHubA.id]);
    expect((await search('123456', `&stationId=${onHubB.stationId}`)).map((c) => c.id)).toEqual([onHubB.id]);
    expect(await search('999999')).toEqual([]);
    // The station's outbox is empty and says so.
    await waitFor(async () => (await link(a)).backlog === 0, 10_000, 'an empty outbox');
    expect((await link(a)).state).toBe('connected');
    const health = (await (await a.api('/api/health/report')).json()) as { hub?: HubLinkStatus };
    expect(health.hub).toMatchObject({ state: 'connected', backlog: 0 });
  });

  it('plays the video the station cut, byte for byte, with ranges', async () => {
    const full = Buffer.from(await (await hub.api(`/api/clips/${onHubA.id}/video`)).arrayBuffer());
    expect(createHash('sha256').update(full).digest('hex')).toBe(clipA.video!.sha256);
    const part = await hub.api(`/api/clips/${onHubA.id}/video`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${full.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(full.subarray(0, 100));
    const clip = (await (await hub.api(`/api/clips/${onHubA.id}`)).json()) as Clip & { stationId: number };
    expect(clip).toMatchObject({ station: 'Bench A', codes: ['SF1000123456'], video: { sha256: clipA.video!.sha256 } });
    expect((await hub.api('/api/clips/999999')).status).toBe(404);
    expect((await fetch(`${hub.origin}/api/clips/${onHubA.id}/video`)).status).toBe(401);
  });

  it('exports the station-signed bundle, which packwitness verify accepts', async () => {
    const res = await hub.api(`/api/clips/${onHubA.id}/export`);
    expect(res.status).toBe(200);
    const zip = join(tempDataDir('pw-hub-export-'), 'bundle.zip');
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    const fingerprint = ((await (await a.api('/api/status')).json()) as StatusResponse).stationKey!.fingerprint;
    const v = spawnSync(process.execPath, [cliPath, 'verify', zip, '--expect-fingerprint', fingerprint], { cwd: repoRoot, encoding: 'utf8' });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
  });

  it('follows a protect and a note on the station without a second copy', async () => {
    await a.api(routes.clip(clipA.id), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protected: true, note: 'disputed' }) });
    await waitFor(async () => (await search('SF1000123456'))[0]?.protected === true, 20_000, 'the protect on the hub');
    expect((await search('SF1000123456')).length).toBe(1);
    const clip = (await (await hub.api(`/api/clips/${onHubA.id}`)).json()) as Clip;
    expect(clip.note).toBe('disputed');
  });

  it('carries the order and the packer: the office finds a waybill-scanned clip by its order number, and filters by packer', async () => {
    const post = (path: string, body: unknown): Promise<Response> => b.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const pushed = await post(routes.orders, {
      platform: '拼多多',
      orders: [{ orderNo: '251205-778899001122', buyer: 'pdd_buyer_01', waybills: ['YT7000555666'], items: [{ name: '陶瓷杯 350ml', sku: 'CUP-350', qty: 3 }] }],
    });
    expect(pushed.status).toBe(200);
    expect((await post(routes.packers, { code: 'PK-ZHAO', name: '赵六' })).status).toBe(201);
    expect((await post(routes.scans, { code: 'PK-ZHAO' })).status).toBe(200);
    const packed = await recordClip(b, 'YT7000555666'); // only the waybill is scanned
    expect(packed).toMatchObject({ packer: 'PK-ZHAO', packerName: '赵六', order: { orderNo: '251205-778899001122' } });
    const onHub = await uploaded(b, 'YT7000555666');
    // The order number finds it on the hub, as on the station, though nobody scanned it.
    expect((await search('778899001122')).map((c) => c.id)).toEqual([onHub.id]);
    expect((await search('', '&packer=PK-ZHAO')).map((c) => c.id)).toEqual([onHub.id]);
    // The name the station had for the badge travels with the clip, and finds it too.
    expect((await search('', `&packer=${encodeURIComponent('赵六')}`)).map((c) => [c.id, c.packerName])).toEqual([[onHub.id, '赵六']]);
    expect(await search('', '&packer=PK-NOBODY')).toEqual([]);
    const clip = (await (await hub.api(`/api/clips/${onHub.id}`)).json()) as Clip;
    expect(clip.packer).toBe('PK-ZHAO');
    expect(clip.packerName).toBe('赵六');
    expect(clip.order).toMatchObject({ orderNo: '251205-778899001122', platform: '拼多多', items: [{ name: '陶瓷杯 350ml', sku: 'CUP-350', qty: 3 }] });
    expect(clip.order!.buyer).not.toBe('pdd_buyer_01'); // masked by the station, and stays masked
    await post(routes.scans, { code: 'PW-LOGOUT' });
  });

  it('counts packers over both stations: one station’s numbers equal its own statistics, all stations add up, CSV, refusals', async () => {
    const scan = (s: StationProcess, code: string): Promise<Response> => s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    // PK-LI packs at both benches; at Bench B the same parcel twice (the second clip's scan is a duplicate).
    // Bench B knows the badge as 李四, Bench A not at all (its name there is its code).
    const named = await b.api(routes.packers, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'PK-LI', name: '李四' }) });
    expect(named.status).toBe(201);
    expect((await scan(a, 'PK-LI')).status).toBe(200);
    expect((await scan(b, 'PK-LI')).status).toBe(200);
    const [atA] = await Promise.all([recordClip(a, 'SF6000111222'), recordClip(b, 'YT6000333444')]);
    await recordClip(b, 'YT6000333444');
    await Promise.all([scan(a, 'PW-LOGOUT'), scan(b, 'PW-LOGOUT')]);
    const stationA = (await uploaded(a, 'SF6000111222')).stationId;
    const stationB = (await waitFor(async () => {
      const both = (await search('YT6000333444')).filter((c) => c.hasVideo);
      return both.length === 2 ? both[0] : undefined;
    }, 40_000, 'both Bench B clips on the hub'))!.stationId;
    for (const s of [a, b]) await waitFor(async () => (await link(s)).backlog === 0, 40_000, 'an empty outbox');

    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const own = async (s: StationProcess) => StatsResponse.parse(await (await s.api(`${routes.stats}?${period}`)).json());
    const onHub = async (extra = '') => {
      const res = await hub.api(`${routes.stats}?${period}${extra}`);
      expect(res.status).toBe(200);
      return StatsResponse.parse(await res.json());
    };
    const [ownA, ownB, hubA, hubB, all] = await Promise.all([own(a), own(b), onHub(`&stationId=${stationA}`), onHub(`&stationId=${stationB}`), onHub()]);
    expect(hubB).toEqual(ownB);
    expect(hubA).toEqual(ownA);
    expect(ownB.warnings.duplicate).toBe(1);
    expect(ownB.packers.find((p) => p.packer === 'PK-LI')).toMatchObject({ name: '李四', parcels: 2 });
    expect(ownB.packers.find((p) => p.packer === 'PK-ZHAO')).toMatchObject({ name: '赵六', parcels: 1 });
    expect(ownA.packers.find((p) => p.packer === 'PK-LI')).toMatchObject({ name: 'PK-LI', parcels: 1 });
    // Over all stations a badge reads under the name of its most recent clip (Bench B's second).
    expect(all.packers.find((p) => p.packer === 'PK-LI')).toMatchObject({ name: '李四', parcels: 3 });
    expect(ownB.medianPackingMs).toBeGreaterThan(1_000);
    const parcels = (s: StatsResponse, packer?: string): number => s.packers.filter((p) => packer === undefined || p.packer === packer).reduce((n, p) => n + p.parcels, 0);
    expect(parcels(all)).toBe(parcels(ownA) + parcels(ownB));
    expect(parcels(all, 'PK-LI')).toBe(3);
    expect(all.warnings.duplicate).toBe(ownA.warnings.duplicate + ownB.warnings.duplicate);
    // The hours are Shanghai's, as the stations count them.
    const shanghaiHour = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date(atA.startedAt));
    expect(all.hourly.some((h) => h.packer === 'PK-LI' && h.period.endsWith(` ${shanghaiHour}:00`))).toBe(true);

    const csv = await hub.api(`${routes.statsCsv}?${period}&stationId=${stationB}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toContain(`\r\ntotal,,PK-LI,李四,2,${(ownB.packers.find((p) => p.packer === 'PK-LI')!.medianPackingMs! / 1000).toFixed(1)}\r\n`);

    const refused = async (query: string): Promise<string> => {
      const res = await hub.api(`${routes.stats}?${query}`);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await refused(`${period}&stationId=abc`)).toBe('stationId abc is not a station of this hub; GET /api/stations lists them.');
    expect(await refused(`${period}&stationId=999999`)).toBe('stationId 999999 is not a station of this hub; GET /api/stations lists them.');
    expect(await refused('from=yesterday')).toMatch(/^from and to must be dates/);
    expect(await refused('from=2026-12-02&to=2026-12-01')).toBe('to must be after from');
    expect((await hub.api(`${routes.statsCsv}?${period}&stationId=-1`)).status).toBe(400);
    expect((await fetch(`${hub.origin}${routes.stats}?${period}`)).status).toBe(401);
    expect((await fetch(`${hub.origin}${routes.statsCsv}?${period}`)).status).toBe(401);
  });

  it('refuses a video whose hash is not the one its station signed, with a reason; the station’s next clip still goes up', async () => {
    // Station A's own key (the test reads its data folder): a record for a clip id of its own making,
    // with a manifest it really signed, then a video of the right length but other bytes.
    const key = createPrivateKey(readFileSync(join(a.dataDir, 'keys', 'station-ed25519.key')));
    const zip = join(tempDataDir('pw-hub-export-'), 'bundle.zip');
    writeFileSync(zip, Buffer.from(await (await hub.api(`/api/clips/${onHubA.id}/export`)).arrayBuffer()));
    const manifest = JSON.parse((await readZipEntry(zip, '/manifest.json')).toString('utf8')) as { clip: { id: number }; files: Array<{ role: string; path: string }> };
    const fakeId = 900_001;
    manifest.clip.id = fakeId;
    const manifestBytes = canonicalJson(manifest);
    const { sign } = await import('node:crypto');
    const sig = sign(null, manifestBytes, key);
    const stationId = onHubA.stationId;
    const videoName = manifest.files.find((f) => f.role === 'video')!.path;
    const record = {
      clip: { ...clipRecord(clipA), id: fakeId },
      bundle: { videoName, files: { 'manifest.json': manifestBytes.toString('base64'), 'manifest.sig': sig.toString('base64') } },
    };
    const body = JSON.stringify(record);
    const post = await fetch(`${hub.origin}/api/hub/clips`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(key, stationId, 'POST', '/api/hub/clips', sha256Hex(body)) }, body });
    expect(post.status).toBe(200);
    const path = `/api/hub/clips/${fakeId}/video`;
    const garbage = Buffer.alloc(clipA.video!.bytes, 7);
    const put = await fetch(hub.origin + path, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...signedHeaders(key, stationId, 'PUT', path, clipA.video!.sha256) }, body: garbage });
    expect(put.status).toBe(422);
    expect(((await put.json()) as { error: string }).error).toMatch(new RegExp(`^The video received for clip ${fakeId} has SHA-256 [0-9a-f]{12}…, not the ${clipA.video!.sha256.slice(0, 12)}… its station signed; it was not kept\\.$`));
    expect(hub.stderr()).toMatch(/WARN hub: video-refused/);
    const fake = (await search('SF1000123456')).find((c) => c.stationClipId === fakeId);
    expect(fake?.hasVideo).toBe(false);
    // The station's next clip is not held up.
    const next = await recordClip(a, 'SF3000777888');
    const up = await uploaded(a, 'SF3000777888');
    expect(up.stationClipId).toBe(next.id);
  });
});
