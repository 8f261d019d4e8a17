/**
 * Several cameras through the hub: a real hub (embedded PostgreSQL) and a real station with two
 * cameras, the demo camera and a network camera (an ffmpeg the test serves on tcp://, so the test can
 * unplug it). Both cameras' videos reach the hub with the station's SHA-256, are listed in the hub's
 * clip JSON and played at ?camera=; the other camera's MP4, cut after the clip and its main video were
 * uploaded and confirmed and while the hub was down, arrives once the hub is back, once; a camera video
 * with other bytes than the record declared, or a record whose camera list is wrong, is refused; an
 * export from the hub writes each camera video its signed manifest lists under that name, and one
 * whose uploaded bundle lacks a file its manifest lists is refused in one sentence (the hub stays up).
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, routes, type HubLinkStatus, type StatusResponse } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { canonicalJson } from '../../electron/station/evidence/manifest.js';
import { sha256Hex, signedHeaders } from '../../electron/hub/protocol.js';
import { clipRecord, startHub, type HubProcess } from '../helpers/hub-process.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';
import { freePort, startTcpCamera } from '../helpers/tcp-camera.js';

const MAIN = 'demo:640x360@15';

let hub: HubProcess;
let station: StationProcess;
let sideFeed: ChildProcess;
/** The network camera's id, as the station makes it from its address. */
let SIDE: string;

interface HubSummary {
  id: number;
  stationId: number;
  stationClipId: number;
  hasVideo: boolean;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function link(): Promise<HubLinkStatus> {
  return ((await (await station.api('/api/status')).json()) as StatusResponse).hub!;
}

/** The station's own record of what the hub confirmed for a clip (retention deletes only what the hub holds). */
function outboxRow(clipId: number): { uploaded: boolean; hubSha256: string | null } {
  const db = openDatabase(join(station.dataDir, 'packwitness.db'), { readonly: true });
  try {
    const r = db.prepare('SELECT uploaded_ms, hub_sha256 FROM hub_outbox WHERE clip_id = ?').get(clipId) as { uploaded_ms: number | null; hub_sha256: string | null };
    return { uploaded: r.uploaded_ms !== null, hubSha256: r.hub_sha256 };
  } finally {
    db.close();
  }
}

/** Scans a code, stops the clip, and returns its id without waiting for the cut; `beforeStop` runs a second before the stop. */
async function closeClip(code: string, beforeStop?: () => void): Promise<number> {
  const post = (c: string): Promise<Response> => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) });
  const id = ((await (await post(code)).json()) as { id: number }).id;
  await sleep(2_500);
  if (beforeStop) {
    beforeStop();
    await sleep(1_000);
  }
  await post('PW-STOP');
  return id;
}

async function stationClip(id: number): Promise<Clip> {
  return Clip.parse(await (await station.api(routes.clip(id))).json());
}

async function bothCut(id: number): Promise<Clip> {
  return waitFor(async () => {
    const c = await stationClip(id);
    return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
  }, 30_000, `clip ${id} cut from both cameras`);
}

async function hubSummary(stationClipId: number): Promise<HubSummary | undefined> {
  return ((await (await hub.api('/api/clips?limit=200')).json()) as { items: HubSummary[] }).items.find((c) => c.stationClipId === stationClipId);
}

async function hubClip(id: number): Promise<Clip> {
  return Clip.parse(await (await hub.api(`/api/clips/${id}`)).json());
}

async function onHubWithCameras(stationClipId: number): Promise<Clip> {
  return waitFor(async () => {
    const s = await hubSummary(stationClipId);
    if (!s?.hasVideo) return undefined;
    const c = await hubClip(s.id);
    return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
  }, 60_000, `clip ${stationClipId} on the hub with both cameras`);
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

function zipEntries(zip: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(zip, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err ?? new Error('no zip'));
      z.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.endsWith('/')) return z.readEntry();
        z.openReadStream(e, (err2, rs) => {
          if (err2 || !rs) return reject(err2 ?? new Error('no stream'));
          const parts: Buffer[] = [];
          rs.on('data', (d: Buffer) => parts.push(d));
          rs.on('end', () => {
            out.set(e.fileName.split('/').at(-1)!, Buffer.concat(parts));
            z.readEntry();
          });
        });
      });
      z.on('end', () => resolve(out));
      z.readEntry();
    });
  });
}

beforeAll(async () => {
  hub = await startHub();
  const token = ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
  const port = await freePort();
  sideFeed = await startTcpCamera(port);
  station = await startStation({ camera: MAIN, args: ['--camera', `tcp://127.0.0.1:${port}`, '--station', 'Bench C', '--hub', hub.origin, '--hub-token', token] });
  await waitFor(async () => (await link()).state === 'connected', 30_000, 'the station to join');
  const cams = await waitFor(async () => {
    const s = (await (await station.api(routes.status)).json()) as StatusResponse;
    return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s.cameras : undefined;
  }, 30_000, 'both cameras recording');
  SIDE = cams[1]!.id;
  await sleep(3_000); // pre-roll from both cameras
}, 120_000);
afterAll(async () => {
  sideFeed?.kill('SIGKILL');
  await station?.stop();
  await hub?.stop();
});

describe('several cameras on the hub', () => {
  let first: Clip;
  let firstOnHub: Clip;

  it('carries both cameras’ videos: same SHA-256 as the station’s, listed in the clip, played at ?camera=', async () => {
    const id = await closeClip('CAM2000111');
    first = await bothCut(id);
    firstOnHub = await onHubWithCameras(id);
    expect(firstOnHub.cameras!.map((k) => [k.id, k.main])).toEqual([
      ['demo', true],
      [SIDE, false],
    ]);
    for (const [i, k] of firstOnHub.cameras!.entries()) {
      expect(k.sha256, k.id).toBe(first.cameras![i]!.sha256);
      expect(k.bytes, k.id).toBe(first.cameras![i]!.bytes);
      expect(k.name, k.id).toBe(first.cameras![i]!.name);
    }
    expect(firstOnHub.cameras![1]!.sha256).not.toBe(firstOnHub.video!.sha256);
    // The main camera without the parameter (as before) or by its id; the other by its id, with ranges.
    for (const [query, k] of [['', firstOnHub.cameras![0]!], ['?camera=demo', firstOnHub.cameras![0]!], [`?camera=${SIDE}`, firstOnHub.cameras![1]!]] as const) {
      const res = await hub.api(`${routes.clipVideo(firstOnHub.id)}${query}`);
      expect(res.status, query).toBe(200);
      expect(sha(Buffer.from(await res.arrayBuffer())), query).toBe(k.sha256);
    }
    const part = await hub.api(`${routes.clipVideo(firstOnHub.id)}?camera=${SIDE}`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${firstOnHub.cameras![1]!.bytes}`);
    const none = await hub.api(`${routes.clipVideo(firstOnHub.id)}?camera=nope`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: string }).error).toBe(`clip ${firstOnHub.id} has no camera "nope"`);
    await waitFor(async () => ((await link()).backlog === 0 ? true : undefined), 20_000, 'the outbox to empty');
  });

  it('a camera MP4 cut after its clip was uploaded and confirmed, while the hub is down: it arrives once the hub is back, once', async () => {
    // The network camera unplugged a second before the stop: its footage never reaches the clip's end,
    // so the clip writer waits for it (up to 10 s) and then cuts what exists, long after the main video
    // was cut, sent and confirmed.
    const id = await closeClip('CAM2000222', () => sideFeed.kill('SIGKILL'));
    await waitFor(async () => ((await hubSummary(id))?.hasVideo ? true : undefined), 20_000, 'the main video on the hub');
    await waitFor(async () => ((await link()).backlog === 0 ? true : undefined), 20_000, 'the clip confirmed');
    expect((await stationClip(id)).cameras![1]!.hasVideo).toBe(false); // not cut yet
    const port = new URL(hub.origin).port;
    hub.proc.kill('SIGKILL');
    await hub.exited;
    const cut = await bothCut(id);
    // The cut puts the clip back into the outbox; the hub is away, so it waits there.
    await waitFor(async () => ((await link()).backlog === 1 ? true : undefined), 10_000, 'the clip queued again');
    await sleep(1_500);
    expect((await link()).backlog).toBe(1);
    // Its hub copy no longer counts as confirmed: retention keeps the clip's footage until the camera's is there too.
    expect(outboxRow(id)).toEqual({ uploaded: false, hubSha256: null });
    hub = await startHub({ dataDir: hub.dataDir, token: hub.token, args: ['--port', port] });
    const onHub = await onHubWithCameras(id);
    await waitFor(async () => ((await link()).backlog === 0 ? true : undefined), 30_000, 'the outbox to empty');
    expect(onHub.cameras![1]!.sha256).toBe(cut.cameras![1]!.sha256);
    expect(onHub.video!.sha256).toBe(cut.video!.sha256);
    expect(outboxRow(id)).toEqual({ uploaded: true, hubSha256: cut.video!.sha256 });
    const body = Buffer.from(await (await hub.api(`${routes.clipVideo(onHub.id)}?camera=${SIDE}`)).arrayBuffer());
    expect(sha(body)).toBe(cut.cameras![1]!.sha256);
    // One clip row, one file per camera, no partial file left by the kill.
    const all = ((await (await hub.api('/api/clips?limit=200')).json()) as { items: HubSummary[] }).items.filter((c) => c.stationClipId === id);
    expect(all).toHaveLength(1);
    const stationId = (await hubSummary(id))!.stationId;
    const mine = files(join(hub.dataDir, 'footage')).filter((f) => f.includes(`/stations/${stationId}/clips/${id}.`));
    expect(mine.map((f) => f.split('/').at(-1)).sort()).toEqual([`${id}.${SIDE}.mp4`, `${id}.mp4`].sort());
    expect(files(join(hub.dataDir, 'footage')).filter((f) => f.split('/').at(-1)!.startsWith('.partial-'))).toEqual([]);
    // A later record (a protect change) does not send either video again.
    const before = (await (await hub.api(`/api/clips/${onHub.id}`)).json()) as { receivedAt: string };
    await station.api(routes.clip(id), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protected: true }) });
    await waitFor(async () => ((await hubClip(onHub.id)).protected ? true : undefined), 30_000, 'the protect on the hub');
    await waitFor(async () => ((await link()).backlog === 0 ? true : undefined), 30_000, 'the outbox to empty');
    expect(((await (await hub.api(`/api/clips/${onHub.id}`)).json()) as { receivedAt: string }).receivedAt).toBe(before.receivedAt);
    expect((await hubClip(onHub.id)).cameras![1]!.sha256).toBe(cut.cameras![1]!.sha256);
    expect(station.stderr()).not.toMatch(/was not uploaded to the hub/);
    expect(hub.stderr()).not.toMatch(/video-refused|clip-refused/);
  }, 120_000);

  it('refuses a camera video whose bytes are not the ones declared, and a record whose camera list is wrong; writes each camera video its manifest lists into an export', async () => {
    // The station's own key (the test reads its data folder): records it really signed, for clip ids of the test's making.
    const key = createPrivateKey(readFileSync(join(station.dataDir, 'keys', 'station-ed25519.key')));
    const zip = join(tempDataDir('pw-hub-cam-export-'), 'bundle.zip');
    const exported = await hub.api(`/api/clips/${firstOnHub.id}/export`);
    expect(exported.status).toBe(200);
    writeFileSync(zip, Buffer.from(await exported.arrayBuffer()));
    const entries = await zipEntries(zip);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { clip: { id: number }; files: Array<{ role: string; path: string; bytes: number; sha256: string; camera?: string }> };
    // The station's bundle lists its other camera's video already; the cases below add it themselves.
    manifest.files = manifest.files.filter((f) => f.role !== 'camera-video');
    const videoName = manifest.files.find((f) => f.role === 'video')!.path;
    // The bundle's other small files as the station sent them (the export zips every file its manifest lists).
    const smallFiles = Object.fromEntries([...entries].filter(([n]) => !n.endsWith('.mp4')).map(([n, b]) => [n, b.toString('base64')]));
    const stationId = (await hubSummary(first.id))!.stationId;
    const side = first.cameras![1]!;
    const sideBytes = Buffer.from(await (await station.api(`${routes.clipVideo(first.id)}?camera=${SIDE}`)).arrayBuffer());
    const cameras = [
      { id: 'demo', name: first.cameras![0]!.name, main: true, video: null },
      { id: SIDE, name: side.name, main: false, video: { bytes: side.bytes!, sha256: side.sha256!, durationMs: side.durationMs!, fps: side.fps } },
    ];
    const send = async (clipId: number, m: typeof manifest, cams: unknown, small = smallFiles): Promise<Response> => {
      const bytes = canonicalJson({ ...m, clip: { ...m.clip, id: clipId } });
      const record = {
        clip: { ...clipRecord(first), id: clipId, cameras: cams },
        bundle: { videoName, files: { ...small, 'manifest.json': bytes.toString('base64'), 'manifest.sig': sign(null, bytes, key).toString('base64') } },
      };
      const body = JSON.stringify(record);
      return fetch(`${hub.origin}/api/hub/clips`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(key, stationId, 'POST', '/api/hub/clips', sha256Hex(body)) }, body });
    };
    const put = (path: string, body: Buffer, declared: string): Promise<Response> =>
      fetch(hub.origin + path, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...signedHeaders(key, stationId, 'PUT', path, declared) }, body: new Uint8Array(body) });

    // The other camera first, or twice: refused with a reason.
    const wrongOrder = await send(900_011, manifest, [cameras[1], cameras[0]]);
    expect(wrongOrder.status).toBe(422);
    expect(((await wrongOrder.json()) as { error: string }).error).toBe('Clip 900011\'s cameras must be its main camera first, then the others, each once.');

    // A manifest that lists the other camera's video (as bundles with every camera will), with a hash the record does not declare: refused.
    const camFile = { path: videoName.replace(/\.mp4$/, `.${SIDE}.mp4`), role: 'camera-video', camera: SIDE, bytes: side.bytes!, sha256: side.sha256! };
    const withCamera = { ...manifest, files: [...manifest.files, camFile] };
    const mismatch = await send(900_012, { ...manifest, files: [...manifest.files, { ...camFile, sha256: 'e'.repeat(64) }] }, cameras);
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as { error: string }).error).toMatch(new RegExp(`^The video of camera ${SIDE} of clip 900012 does not match its signed evidence`));

    // Declared right, then other bytes of the right length: not kept, the clip page says it has not arrived.
    const fakeId = 900_013;
    const ok = await send(fakeId, withCamera, cameras);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { cameras?: Record<string, string | null> }).cameras).toEqual({ [SIDE]: null });
    const camPath = `/api/hub/clips/${fakeId}/cameras/${SIDE}/video`;
    const tampered = Buffer.from(sideBytes);
    tampered[tampered.length >> 1]! ^= 0xff;
    const refused = await put(camPath, tampered, side.sha256!);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      new RegExp(`^The video received for clip ${fakeId} camera ${SIDE} has SHA-256 [0-9a-f]{12}…, not the ${side.sha256!.slice(0, 12)}… its station signed; it was not kept\\.$`),
    );
    expect(hub.stderr()).toMatch(/WARN hub: video-refused/);
    const fake = (await hubSummary(fakeId))!;
    expect((await hubClip(fake.id)).cameras![1]!.hasVideo).toBe(false);
    expect((await hub.api(`${routes.clipVideo(fake.id)}?camera=${SIDE}`)).status).toBe(409);
    // Signed by the station over another hash than the record declared: refused before a byte is stored.
    expect((await put(camPath, sideBytes, 'a'.repeat(64))).status).toBe(401);

    // The real bytes: kept; the main video too; the export writes the camera video under the manifest's name.
    const mainBytes = Buffer.from(await (await station.api(routes.clipVideo(first.id))).arrayBuffer());
    expect((await put(`/api/hub/clips/${fakeId}/video`, mainBytes, first.video!.sha256)).status).toBe(200);
    const exportEarly = await hub.api(`/api/clips/${fake.id}/export`);
    expect(exportEarly.status).toBe(409);
    expect(((await exportEarly.json()) as { error: string }).error).toBe(`Camera ${SIDE}'s video of clip ${fake.id} has not reached the hub yet, so the clip cannot be exported from the hub.`);
    const stored = await put(camPath, sideBytes, side.sha256!);
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { sha256: string }).sha256).toBe(side.sha256);
    // Sent again declaring other bytes for the stored camera video: refused, the stored copy stays the evidence.
    const changed = { ...camFile, sha256: 'd'.repeat(64) };
    const again = await send(fakeId, { ...manifest, files: [...manifest.files, changed] }, [cameras[0], { ...cameras[1], video: { ...cameras[1]!.video!, sha256: changed.sha256 } }]);
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: string }).error).toBe(`The hub already holds another video of camera ${SIDE} for clip ${fakeId} (SHA-256 ${side.sha256!.slice(0, 12)}…); the record was refused.`);
    expect((await hubClip(fake.id)).cameras![1]!.sha256).toBe(side.sha256);
    const zip2 = join(tempDataDir('pw-hub-cam-export-'), 'bundle.zip');
    const exported2 = await hub.api(`/api/clips/${fake.id}/export`);
    expect(exported2.status).toBe(200);
    writeFileSync(zip2, Buffer.from(await exported2.arrayBuffer()));
    const entries2 = await zipEntries(zip2);
    expect(sha(entries2.get(camFile.path)!)).toBe(side.sha256);
    expect(sha(entries2.get(videoName)!)).toBe(first.video!.sha256);
    // A bundle uploaded without a file its manifest lists: the export says so, and the hub stays up.
    const { 'HOW-TO-VERIFY.txt': _dropped, ...lacking } = smallFiles;
    expect((await send(900_014, manifest, cameras.slice(0, 1), lacking)).status).toBe(200);
    expect((await put('/api/hub/clips/900014/video', mainBytes, first.video!.sha256)).status).toBe(200);
    const lackingOnHub = (await hubSummary(900_014))!;
    const incomplete = await hub.api(`/api/clips/${lackingOnHub.id}/export`);
    expect(incomplete.status).toBe(409);
    expect(((await incomplete.json()) as { error: string }).error).toBe(`Clip ${lackingOnHub.id}'s bundle as uploaded lacks HOW-TO-VERIFY.txt, which its manifest lists; it cannot be exported from the hub.`);
    expect((await hub.api('/api/health')).status).toBe(200);
    // The first clip's bundle as the station sealed it lists both cameras' videos: the hub's export holds both, under the manifest's names.
    expect([...entries.keys()].filter((n) => n.endsWith('.mp4')).sort()).toEqual([videoName, camFile.path].sort());
    expect(sha(entries.get(camFile.path)!)).toBe(side.sha256);
  });
});
