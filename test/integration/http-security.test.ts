/**
 * The station's HTTP server under attack, on the real built CLI: missing and wrong credentials,
 * foreign Host headers (DNS rebinding), cross-origin pages, path traversal in every encoding against
 * every route family, oversized bodies and headers, and LAN mode with its viewer role.
 *
 * Requests go through node:http or raw sockets, not fetch(): fetch would normalise `..` out of a path
 * and refuses to set a Host header.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Clip, ClipSearchResponse, ExportJob, ScanResponse, ScansResponse, SessionResponse, StatusResponse, routes } from '../../shared/api.js';
import { ROUTE_ACCESS } from '../../electron/station/server/access.js';
import { cliPath, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body in pieces without a Content-Length. */
  chunks?: string[];
  /** Connect from this loopback address (the server sees it as the client's IP). */
  from?: string;
}

function raw(origin: string, path: string, o: RawRequest = {}): Promise<RawResponse> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    // Node sends a DELETE's body with neither Content-Length nor chunked encoding unless told the length.
    const headers = o.body !== undefined && !o.chunks ? { 'content-length': String(Buffer.byteLength(o.body)), ...o.headers } : o.headers;
    const req = request({ host: u.hostname, port: u.port, path, method: o.method ?? 'GET', headers, localAddress: o.from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (o.chunks) for (const c of o.chunks) req.write(c);
    req.end(o.body);
  });
}

/** Bytes straight onto a socket; everything the server sends back until it closes. */
function rawSocket(origin: string, bytes: string): Promise<string> {
  const u = new URL(origin);
  return new Promise((resolve) => {
    const sock = connect({ host: u.hostname, port: Number(u.port) });
    let got = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => (got += d));
    // The server may reset the connection after its answer: what arrived is what counts.
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(got));
    sock.end(bytes);
  });
}

function accessControlHeaders(h: IncomingHttpHeaders): string[] {
  return Object.keys(h).filter((k) => k.startsWith('access-control-'));
}

/** Nothing a traversal could have reached: system files, the database, the station's private key. */
function expectNoLeak(body: string, what: string): void {
  expect(body, what).not.toMatch(/root:.*:0:0:/);
  expect(body, what).not.toMatch(/SQLite format/);
  expect(body, what).not.toMatch(/PRIVATE KEY/);
}

/** This machine's LAN address as another PC would call it; the host name when it has none. */
function machineAddress(): string {
  const v4 = Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .find((i) => i.family === 'IPv4' && !i.internal);
  return v4?.address ?? hostname().toLowerCase();
}

const json = { 'content-type': 'application/json' };

async function makeClip(station: StationProcess, code: string): Promise<number> {
  const post = (c: string) => station.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code: c }) });
  await waitFor(async () => StatusResponse.parse(await (await station.api(routes.status)).json()).segmentCount > 0, 30_000, 'the first segment');
  const started = ScanResponse.parse(await (await post(code)).json());
  await sleep(2_000);
  await post('PW-STOP');
  await waitFor(async () => {
    const c = Clip.parse(await (await station.api(routes.clip(started.id!))).json());
    return c.video && c.hasThumbnail ? c : undefined;
  }, 30_000, 'the clip video and thumbnail');
  return started.id!;
}

/** Paths outside every route, aimed at files on disk. */
const TRAVERSALS = [
  '/api/../../etc/passwd',
  '/../../../../etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/assets/..%5c..%5c..%5cetc%5cpasswd',
  '/assets/..\\..\\..\\packwitness.db',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/api/segments/..%2f..%2fpackwitness.db',
  '/packwitness.db',
  '/..%2fpackwitness.db',
  '/..%2fkeys%2fstation-ed25519.key',
  '/index.html%00',
  '/%00../packwitness.db',
  '/runs/demo',
];

/** Not an id, in every encoding a traversal comes in; each must be refused by the id's schema. */
const BAD_IDS = [
  '..',
  '%2e%2e',
  '..%2f..%2fpackwitness.db',
  '%2e%2e%2f%2e%2e%2fpackwitness.db',
  '%252e%252e%252fpackwitness.db',
  '..%5c..%5cpackwitness.db',
  '..\\..\\packwitness.db',
  '1%2f..%2f..%2fpackwitness.db',
  '1%00',
  '1%00.jpg',
  '%00',
  '-1',
  '0',
  '1.5',
  'abc',
];

/** Every route family that takes an id, including the export routes (wherever they are registered). */
const ID_ROUTES: Array<{ method: string; path: (id: string) => string; body?: string }> = [
  { method: 'GET', path: (id) => `/api/clips/${id}` },
  { method: 'GET', path: (id) => `/api/clips/${id}/audit` },
  { method: 'GET', path: (id) => `/api/clips/${id}/thumbnail.jpg` },
  { method: 'GET', path: (id) => `/api/clips/${id}/video` },
  { method: 'PATCH', path: (id) => `/api/clips/${id}`, body: '{"note":"x"}' },
  { method: 'POST', path: (id) => `/api/clips/${id}/export`, body: '{}' },
  { method: 'GET', path: (id) => `/api/exports/${id}` },
  { method: 'DELETE', path: (id) => `/api/exports/${id}` },
  { method: 'GET', path: (id) => `/api/exports/${id}/files/video` },
  { method: 'GET', path: (id) => `/api/exports/00000000-0000-0000-0000-000000000000/files/${id}` },
];

/**
 * The first five are the clip routes, which viewers may use too: for them a bad id is exactly a 400.
 * The export routes answer 400 where they exist, else 404 (operator) or 403 (viewer).
 */
const CLIP_ROUTES = 5;

async function expectIdsRefused(origin: string, auth: Record<string, string>, allowed: number[]): Promise<void> {
  for (const [i, r] of ID_ROUTES.entries()) {
    for (const id of BAD_IDS) {
      const path = r.path(id);
      const res = await raw(origin, path, { method: r.method, headers: { ...auth, ...(r.body ? json : {}) }, body: r.body });
      const what = `${r.method} ${path}`;
      expect(i < CLIP_ROUTES ? [400] : allowed, what).toContain(res.status);
      expectNoLeak(res.body, what);
    }
  }
}

describe('the HTTP API on loopback (the default)', () => {
  let station: StationProcess;
  let clipId: number;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    station = await startStation();
    bearer = { authorization: `Bearer ${station.token}` };
    clipId = await makeClip(station, 'SF2718281828459');
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('answers health without a token', async () => {
    const res = await fetch(station.origin + routes.health);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses every other route without the token, with a wrong one (Bearer or cookie), and says nothing else', async () => {
    const paths = ['/', '/index.html', routes.status, routes.segments, routes.gaps, routes.preview, routes.previewFrame, routes.clips, routes.clip(clipId), routes.clipVideo(clipId), '/api/nope', '/assets/x.js', ...TRAVERSALS];
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${station.token}x` },
      { authorization: `Bearer ${station.token.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`x:${station.token}`).toString('base64')}` },
      { cookie: 'pw_token=wrong' },
      { cookie: `pw_token=${station.token}x` },
      { cookie: 'pw_token=%E0%A4%A' },
      // The viewer cookie means nothing on a station without viewer login.
      { cookie: 'pw_viewer=anything' },
    ];
    for (const path of paths) {
      for (const headers of variants) {
        const res = await raw(station.origin, path, { headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(res.body)).toMatchObject({ error: 'unauthorized', code: 'http.unauthorized' });
      }
    }
    // Writes too, before their body is even read.
    for (const [method, path] of [['POST', routes.scans], ['PUT', routes.scanSettings], ['PATCH', routes.clip(clipId)]] as const) {
      expect((await raw(station.origin, path, { method, headers: json, body: '{"code":"X","note":"x"}' })).status, path).toBe(401);
    }
    // A right cookie does not rescue a wrong bearer token: the client said which one it meant.
    expect((await raw(station.origin, routes.status, { headers: { authorization: 'Bearer wrong', cookie: `pw_token=${station.token}` } })).status).toBe(401);
    // A wrong token in the READY URL is refused too (no cookie is handed out).
    const wrongUrl = await raw(station.origin, '/?token=wrong');
    expect(wrongUrl.status).toBe(401);
    expect(wrongUrl.headers['set-cookie']).toBeUndefined();
    // No password login here.
    expect(SessionResponse.parse(JSON.parse((await raw(station.origin, routes.session)).body))).toEqual({ role: null, viewerLogin: false });
    expect((await raw(station.origin, routes.login, { method: 'POST', headers: json, body: '{"password":"whatever1"}' })).status).toBe(404);
  });

  it('accepts the token as a bearer header and as the cookie the READY URL sets', async () => {
    expect((await station.api(routes.status)).status).toBe(200);
    const ready = await fetch(station.url, { redirect: 'manual' });
    expect(ready.status).toBe(303);
    expect(ready.headers.get('location')).toBe('/');
    const cookie = ready.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const viaCookie = await fetch(station.origin + routes.status, { headers: { cookie: cookie.split(';')[0]! } });
    expect(viaCookie.status).toBe(200);
    expect(SessionResponse.parse(await (await fetch(station.origin + routes.session, { headers: { cookie: cookie.split(';')[0]! } })).json()).role).toBe('operator');
  });

  it('answers only to its own names: a rebinding page (Host: evil.example) gets 421 on every route', async () => {
    const port = new URL(station.origin).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, `[0:0::1]:${port}`]) {
      expect((await raw(station.origin, routes.health, { headers: { host } })).status, host).toBe(200);
      expect((await raw(station.origin, routes.status, { headers: { host, ...bearer } })).status, host).toBe(200);
    }
    const foreign = [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.1.evil.example:${port}`, 'localhost', `127.0.0.1:${Number(port) + 1}`, `${machineAddress()}:${port}`, `${hostname()}:${port}`, `[::1]`, `evil.example:${port}@localhost`];
    for (const host of foreign) {
      for (const path of [routes.health, routes.status, '/', routes.clipVideo(clipId), `/?token=${station.token}`]) {
        const res = await raw(station.origin, path, { headers: { host, ...bearer } });
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(JSON.parse(res.body).error, host).toMatch(/does not answer to the host name/);
        expect(res.headers['set-cookie'], host).toBeUndefined();
      }
    }
    // HTTP/1.0 may leave the Host out; a request that names no host is not for us either.
    const noHost = await rawSocket(station.origin, `GET ${routes.status} HTTP/1.0\r\nAuthorization: Bearer ${station.token}\r\n\r\n`);
    expect(noHost).toMatch(/^HTTP\/1\.[01] 421 /);
    const emptyHost = await rawSocket(station.origin, `GET ${routes.status} HTTP/1.1\r\nHost: \r\nAuthorization: Bearer ${station.token}\r\nConnection: close\r\n\r\n`);
    expect(emptyHost).toMatch(/^HTTP\/1\.1 421 /);
  });

  it('sends no CORS headers and approves no preflight by default', async () => {
    for (const origin of ['http://evil.example', 'http://office-tool.example:5173', 'null', station.origin]) {
      const get = await raw(station.origin, routes.status, { headers: { origin, ...bearer } });
      expect(get.status).toBe(200);
      expect(accessControlHeaders(get.headers), origin).toEqual([]);
      const preflight = await raw(station.origin, routes.clips, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status, origin).toBeGreaterThanOrEqual(400);
      expect(accessControlHeaders(preflight.headers), origin).toEqual([]);
    }
  });

  it('never reads outside the UI folder, whatever the path', async () => {
    for (const path of TRAVERSALS) {
      const res = await raw(station.origin, path, { headers: bearer });
      expect([400, 403, 404], path).toContain(res.status);
      expectNoLeak(res.body, path);
    }
  });

  it('takes only integer ids on every id route, whatever the encoding', async () => {
    // The routes work with a real id, so the refusals below are about the id, not a dead route.
    const video = await raw(station.origin, routes.clipVideo(clipId), { headers: bearer });
    expect(video.status).toBe(200);
    expect(video.body.slice(4, 8)).toBe('ftyp');
    expect((await raw(station.origin, routes.clipThumbnail(clipId), { headers: bearer })).status).toBe(200);
    await expectIdsRefused(station.origin, bearer, [400, 403, 404]);
  });

  it('refuses a body over 64 KB with 413 and a JSON error, sized or chunked, and keeps serving', async () => {
    const before = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length;
    const big = JSON.stringify({ code: 'A'.repeat(70 * 1024) });
    for (const [method, path] of [['POST', routes.scans], ['PUT', routes.scanSettings], ['PATCH', routes.clip(clipId)]] as const) {
      const sized = await raw(station.origin, path, { method, headers: { ...bearer, ...json }, body: big });
      expect(sized.status, path).toBe(413);
      expect(JSON.parse(sized.body)).toEqual({ error: 'request body too large: at most 64 KB', code: 'http.bodyTooLarge', params: { kb: 64 }, message: { en: 'request body too large: at most 64 KB', 'zh-CN': '请求内容过大：最多 64 KB' } });
      const chunked = await raw(station.origin, path, { method, headers: { ...bearer, ...json }, chunks: [big.slice(0, 40_000), big.slice(40_000)] });
      expect(chunked.status, `${path} chunked`).toBe(413);
    }
    // Without the token the body is never read: 401, not 413.
    expect((await raw(station.origin, routes.scans, { method: 'POST', headers: json, body: big })).status).toBe(401);
    // Just under the limit is a normal request (the code is too long for a scan, so it is rejected as input, not as size).
    const fits = await raw(station.origin, routes.scans, { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify({ code: 'A'.repeat(60 * 1024) }) });
    expect(fits.status).toBe(400);
    expect((await station.api(routes.health)).status).toBe(200);
    expect(ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length).toBe(before);
  });

  it('answers 431 to headers or a URL over 16 KB, and keeps recording and serving', async () => {
    const host = new URL(station.origin).host;
    const header = await rawSocket(station.origin, `GET ${routes.health} HTTP/1.1\r\nHost: ${host}\r\nX-Filler: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(header).toMatch(/^HTTP\/1\.1 431 /);
    const url = await rawSocket(station.origin, `GET ${routes.health}?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(url).toMatch(/^HTTP\/1\.1 431 /);
    const many = Array.from({ length: 1_000 }, (_, i) => `X-H${i}: ${'b'.repeat(20)}\r\n`).join('');
    expect(await rawSocket(station.origin, `GET ${routes.health} HTTP/1.1\r\nHost: ${host}\r\n${many}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect((await station.api(routes.health)).status).toBe(200);
    const status = StatusResponse.parse(await (await station.api(routes.status)).json());
    expect(status.recording).toBe(true);
  });

  it('streams the live preview as multipart JPEG', async () => {
    const res = await station.api(routes.previewFrame);
    expect(res.status).toBe(200);
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const ac = new AbortController();
    const stream = await station.api(routes.preview, { signal: ac.signal });
    expect(stream.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const reader = stream.body!.getReader();
    let bytes = 0;
    let frames = 0;
    const t0 = Date.now();
    while (frames < 3 && Date.now() - t0 < 5_000) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      frames += (Buffer.from(value).toString('latin1').match(/Content-Type: image\/jpeg/g) ?? []).length;
    }
    ac.abort();
    expect(frames).toBeGreaterThanOrEqual(3);
    expect(bytes).toBeGreaterThan(3_000);
  });

  it('sends the hardening headers on every answer: success, refusals, errors, the UI and its files, video, the READY redirect, the preview', async () => {
    const port = new URL(station.origin).port;
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec((await raw(station.origin, '/', { headers: bearer })).body)?.[1];
    expect(asset, 'the built UI names its script').toBeDefined();
    const answers = [
      await raw(station.origin, routes.status, { headers: bearer }),
      await raw(station.origin, routes.status),
      await raw(station.origin, '/api/nope', { headers: bearer }),
      await raw(station.origin, routes.status, { headers: { host: `evil.example:${port}` } }),
      await raw(station.origin, '/', { headers: bearer }),
      await raw(station.origin, `/${asset}`, { headers: bearer }),
      await raw(station.origin, `/?token=${encodeURIComponent(station.token)}`),
      await raw(station.origin, routes.clipVideo(clipId), { headers: { ...bearer, range: 'bytes=100-200' } }),
      await raw(station.origin, routes.scans, { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify({ code: 'A'.repeat(70 * 1024) }) }),
      await raw(station.origin, routes.scans, { method: 'POST', headers: { cookie: `pw_token=${station.token}`, origin: 'http://evil.example' } }),
      await raw(station.origin, routes.health),
      await raw(station.origin, routes.previewFrame, { headers: bearer }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 421, 200, 200, 303, 206, 413, 403, 200, 200]);
    // The multipart stream is written by hand (reply.hijack): its headers are checked too.
    const ac = new AbortController();
    const stream = await station.api(routes.preview, { signal: ac.signal });
    const streamHeaders: Record<string, string> = {};
    stream.headers.forEach((value, name) => (streamHeaders[name] = value));
    ac.abort();
    const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    for (const [what, h] of [...answers.map((a, i) => [`answer ${i} (${a.status})`, a.headers] as const), ['preview stream', streamHeaders] as const]) {
      expect(h['content-security-policy'], what).toBe(csp);
      expect(h['x-content-type-options'], what).toBe('nosniff');
      expect(h['x-frame-options'], what).toBe('DENY');
      expect(h['referrer-policy'], what).toBe('no-referrer');
    }
  });

  it('refuses cross-site writes riding on the operator cookie, on every state-changing route', async () => {
    const cookie = { cookie: `pw_token=${station.token}` };
    const port = Number(new URL(station.origin).port);
    // The reported hole: a page on another port of 127.0.0.1 is "same-site", so the SameSite=Strict cookie goes along.
    const otherPort = `http://127.0.0.1:${port + 1}`;
    const jobs = async () => (JSON.parse((await raw(station.origin, '/api/exports', { headers: bearer })).body) as { jobs: ExportJob[] }).jobs.length;
    const before = await jobs();
    const scansBefore = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length;
    const refused = (r: RawResponse, what: string) => {
      expect(r.status, what).toBe(403);
      expect(JSON.parse(r.body), what).toMatchObject({ error: expect.stringMatching(/^refused: a request that changes something must come from the station’s own pages or send JSON/), message: { 'zh-CN': expect.stringMatching(/^已拒绝/) } });
    };
    const exportPath = routes.clipExport(clipId);
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, origin: otherPort } }), 'bodyless, another port');
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, origin: 'http://evil.example' } }), 'bodyless, another site');
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, 'sec-fetch-site': 'same-site' } }), 'bodyless, Sec-Fetch-Site same-site');
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, origin: 'null' } }), 'Origin null');
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: cookie }), 'bodyless, no Origin (an old browser)');
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      refused(await raw(station.origin, routes.scans, { method: 'POST', headers: { ...cookie, 'content-type': type }, body: '{"code":"SF1111111111111"}' }), type);
      refused(await raw(station.origin, routes.scans, { method: 'POST', headers: { ...cookie, 'content-type': type, origin: otherPort }, body: '{"code":"SF1111111111111"}' }), `${type} from another port`);
    }
    // JSON does not help a page on another origin (its browser would need a preflight; a script can send anything but has no cookie).
    refused(await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, ...json, origin: otherPort }, body: '{}' }), 'JSON from another port');
    refused(await raw(station.origin, routes.clip(clipId), { method: 'PATCH', headers: { ...cookie, ...json, origin: otherPort, 'sec-fetch-site': 'same-site' }, body: '{"note":"forged"}' }), 'PATCH');

    // Every state-changing route the station has, from the route table (and the operator-only ones it leaves out).
    const uuid = '00000000-0000-0000-0000-000000000000';
    const writes = [...Object.keys(ROUTE_ACCESS), `POST ${routes.scans}`, `PUT ${routes.scanSettings}`, `PUT ${routes.exportPresets}`].filter((k) => /^(POST|PUT|PATCH|DELETE) /.test(k));
    expect(writes.length).toBeGreaterThanOrEqual(15);
    for (const key of writes) {
      const [method, pattern] = key.split(' ') as [string, string];
      const path = pattern.replace(/^\/api\/clips\/:id/, `/api/clips/${clipId}`).replace(':id', uuid);
      refused(await raw(station.origin, path, { method, headers: { ...cookie, origin: otherPort } }), `${key} bodyless`);
      refused(await raw(station.origin, path, { method, headers: { ...cookie, origin: otherPort, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), `${key} form`);
    }
    expect(await jobs()).toBe(before);
    expect(ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length).toBe(scansBefore);
    expect(Clip.parse(await (await station.api(routes.clip(clipId))).json()).note).not.toBe('forged');

    // What the station's own pages and the CLI send is taken.
    const sameOrigin = await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, ...json, origin: station.origin, 'sec-fetch-site': 'same-origin' }, body: '{}' });
    expect(sameOrigin.status).toBe(202);
    const bodylessOwnPage = await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, host: `localhost:${port}`, origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' } });
    expect(bodylessOwnPage.status).toBe(202);
    const jsonNoOrigin = await raw(station.origin, exportPath, { method: 'POST', headers: { ...cookie, ...json }, body: '{}' });
    expect(jsonNoOrigin.status).toBe(202);
    // A bearer token is no ambient credential: a script may DELETE without a body.
    for (const r of [sameOrigin, bodylessOwnPage, jsonNoOrigin]) {
      expect((await raw(station.origin, routes.exportJob(ExportJob.parse(JSON.parse(r.body)).id), { method: 'DELETE', headers: bearer })).status).toBeLessThan(500);
    }
    // The CLI's scan.
    const cli = spawnSync(process.execPath, [cliPath, 'scan', '--url', station.url, '--json', 'SF3141592653589'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(ScanResponse.parse(JSON.parse(cli.stdout)).action).toBe('started');
    await station.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code: 'PW-CANCEL' }) });
  }, 60_000);

  it('audits a viewing whenever the answer carries the clip’s first byte, however the range is spelled; a seek is no viewing', async () => {
    const views = async () => AuditResponse.parse(await (await station.api(routes.clipAudit(clipId))).json()).entries.filter((e) => e.action === 'view').length;
    const full = (await raw(station.origin, routes.clipVideo(clipId), { headers: bearer })).body;
    expect(full.slice(4, 8)).toBe('ftyp');
    const cases: Array<[string | null, number, boolean]> = [
      [null, 200, true],
      ['bytes=0-', 206, true],
      ['bytes=00-', 206, true],
      ['bytes= 0-', 206, true],
      [' bytes=0-', 206, true],
      ['bytes=000-99', 206, true],
      ['bytes=0-0', 206, true],
      // Several ranges are answered with the whole file (200): a viewing, whichever ranges were asked for.
      ['bytes=0-0,100-', 200, true],
      ['bytes=100-199,300-399', 200, true],
      // Not a byte range: the whole file.
      ['items=0-', 200, true],
      // Seeks.
      ['bytes=100-', 206, false],
      ['bytes=1-', 206, false],
      ['bytes=-500', 206, false],
      ['bytes= 100-', 206, false],
      // Nothing sent.
      ['bytes=99999999999-', 416, false],
    ];
    for (const [range, status, isView] of cases) {
      const before = await views();
      const res = await raw(station.origin, routes.clipVideo(clipId), { headers: { ...bearer, ...(range === null ? {} : { range }) } });
      expect(res.status, String(range)).toBe(status);
      // A viewing starts at the file's first byte.
      if (isView) expect(full.startsWith(res.body) && res.body.length > 0, String(range)).toBe(true);
      expect((await views()) - before, String(range)).toBe(isView ? 1 : 0);
    }
    const before = await views();
    expect((await raw(station.origin, routes.clipVideo(clipId), { method: 'HEAD', headers: bearer })).status).toBe(200);
    expect(await views()).toBe(before);
  });
});

describe('wrong operator tokens', () => {
  let station: StationProcess;
  beforeAll(async () => {
    station = await startStation({ token: 'short' });
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('are throttled per address: 1,000 guesses get 429 after the fifth, even the right token then; another address is not locked out', async () => {
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < 1_000; i++) statuses.push((await raw(station.origin, routes.status, { headers: { authorization: `Bearer guess-${i}` } })).status);
    const ms = performance.now() - started;
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    console.log(`1,000 wrong bearer tokens from one address: ${statuses.filter((s) => s === 401).length} compared, the rest 429, in ${Math.round(ms)} ms`);

    // Locked means locked: the right token from that address waits too (else the guesser learns which guess was right).
    const right = await raw(station.origin, routes.status, { headers: { authorization: `Bearer ${station.token}` } });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(JSON.parse(right.body)).toEqual({
      error: 'too many wrong passwords or tokens from this computer; try again in 15 minutes',
      code: 'login.tooManyFailures',
      params: { count: 15 },
      message: { en: 'too many wrong passwords or tokens from this computer; try again in 15 minutes', 'zh-CN': '这台电脑输错密码或令牌次数过多；请 15 分钟后再试' },
    });
    expect((await raw(station.origin, routes.status, { headers: { cookie: `pw_token=${station.token}` } })).status).toBe(429);
    const ready = await raw(station.origin, `/?token=${station.token}`);
    expect(ready.status).toBe(429);
    expect(ready.headers['set-cookie']).toBeUndefined();
    // Public routes still answer.
    expect((await raw(station.origin, routes.health)).status).toBe(200);

    // Another computer (another loopback address here) is not locked out.
    expect((await raw(station.origin, routes.status, { headers: { authorization: `Bearer ${station.token}` }, from: '127.0.0.2' })).status).toBe(200);
  });

  it('count a stale cookie once: a page left open from an earlier start is not a guesser', async () => {
    // The station screen polls the status every second with the cookie of the token it was opened with.
    for (let i = 0; i < 50; i++) {
      const res = await raw(station.origin, routes.status, { headers: { cookie: 'pw_token=token-of-yesterday' }, from: '127.0.0.3' });
      expect(res.status, `poll ${i}`).toBe(401);
    }
    expect((await raw(station.origin, routes.status, { headers: { authorization: `Bearer ${station.token}` }, from: '127.0.0.3' })).status).toBe(200);
  });
});

describe('LAN mode (--host 0.0.0.0)', () => {
  it('refuses to start without a viewer password, or with one under 8 characters, and touches nothing', async () => {
    const dataDir = tempDataDir();
    const noPassword = startStation({ dataDir, args: ['--host', '0.0.0.0'], env: { PACKWITNESS_VIEWER_PASSWORD: '' } });
    await expect(noPassword).rejects.toThrow(
      /station exited \(1\) before READY\npackwitness: Listening on 0\.0\.0\.0 shares the station with the network, so it needs a viewer password of at least 8 characters: set PACKWITNESS_VIEWER_PASSWORD \(or --viewer-password\), or listen on 127\.0\.0\.1\.\n$/,
    );
    const short = startStation({ args: ['--host', '0.0.0.0', '--viewer-password', 'short'] });
    await expect(short).rejects.toThrow(/packwitness: The viewer password must be at least 8 characters long\.\n$/);
    // Refused before the data folder was even opened: no database, no key, no lock.
    expect(readdirSync(dataDir)).toEqual([]);
    const badOrigin = startStation({ args: ['--cors-origin', '*'] });
    await expect(badOrigin).rejects.toThrow(/--cors-origin "\*" is not a web origin/);
    // The operator token can be guessed at from the network too: a weak one is refused, in one sentence.
    for (const token of ['a', 'short-token-123', 'a'.repeat(64), 'abcdabcdabcdabcdabcdabcdabcdabcd']) {
      const weak = startStation({ dataDir, token, args: ['--host', '0.0.0.0'], env: { PACKWITNESS_VIEWER_PASSWORD: 'packing-room 7' } });
      await expect(weak, token).rejects.toThrow(
        /\npackwitness: Listening on 0\.0\.0\.0 lets the network guess at the operator token, so --token must be at least 32 characters of random text with at least 8 different characters \(e\.g\. from openssl rand -base64 24\); leave --token out for a random one\.\n$/,
      );
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  describe('with a viewer password', () => {
    const PASSWORD = 'packing-room 7';
    const CORS_ORIGIN = 'http://office-tool.example:5173';
    const ALLOWED = 'packing-pc.lan';
    const CODE = 'YT5550001234567';
    let station: StationProcess;
    let clipId: number;
    let origin: string;
    /** What another PC on the LAN sends: the station's address as the Host. */
    let lanHost: string;
    let viewer: Record<string, string>;

    const lan = (path: string, o: RawRequest = {}) => raw(origin, path, { ...o, headers: { host: lanHost, ...o.headers } });
    const login = (password: string, from?: string) => lan(routes.login, { method: 'POST', headers: json, body: JSON.stringify({ password }), from });

    beforeAll(async () => {
      station = await startStation({
        args: ['--host', '0.0.0.0', '--cors-origin', CORS_ORIGIN, '--allowed-host', ALLOWED],
        env: { PACKWITNESS_VIEWER_PASSWORD: PASSWORD },
      });
      origin = station.origin;
      lanHost = `${machineAddress()}:${new URL(origin).port}`;
      clipId = await makeClip(station, CODE);
    }, 90_000);
    afterAll(async () => {
      await station?.stop();
    });

    it('answers to its LAN address, host name and --allowed-host, and to nothing else', async () => {
      const port = new URL(origin).port;
      const short = hostname().toLowerCase().split('.')[0]!;
      for (const host of [lanHost, `127.0.0.1:${port}`, `localhost:${port}`, `${hostname()}:${port}`, `${short}.local:${port}`, ALLOWED, `${ALLOWED}:443`, `${ALLOWED.toUpperCase()}.:${port}`]) {
        expect((await raw(origin, routes.health, { headers: { host } })).status, host).toBe(200);
      }
      for (const host of [`evil.example:${port}`, `203.0.113.7:${port}`, `${lanHost}.evil.example`, `${machineAddress()}:${Number(port) + 1}`, `evil-${ALLOWED}`]) {
        expect((await raw(origin, routes.health, { headers: { host } })).status, host).toBe(421);
        expect((await raw(origin, routes.status, { headers: { host, authorization: `Bearer ${station.token}` } })).status, host).toBe(421);
      }
    });

    it('serves the UI without credentials (for the login screen) but no data', async () => {
      const page = await lan('/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(SessionResponse.parse(JSON.parse((await lan(routes.session)).body))).toEqual({ role: null, viewerLogin: true });
      for (const path of [routes.status, routes.clips, routes.clip(clipId), routes.clipVideo(clipId), routes.clipThumbnail(clipId), routes.previewFrame, '/api/nope', '/api/exports']) {
        expect((await lan(path)).status, path).toBe(401);
      }
      for (const path of TRAVERSALS) {
        const res = await lan(path);
        expect([400, 401, 403, 404], path).toContain(res.status);
        expectNoLeak(res.body, path);
      }
    });

    it('keeps the password out of its log and out of ffmpeg’s environment', async () => {
      expect(station.stderr()).not.toContain(PASSWORD);
      const status = StatusResponse.parse(await (await station.api(routes.status)).json());
      const environ = `/proc/${status.camera.pid}/environ`;
      if (existsSync(environ)) {
        expect(readFileSync(environ, 'latin1')).not.toContain(PASSWORD);
        expect(readFileSync(environ, 'latin1')).not.toContain('PACKWITNESS_VIEWER_PASSWORD');
      }
      // Nothing on disk holds it either.
      for (const f of readdirSync(station.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !/\.(ts|mp4|jpg)$/.test(e.name))) {
        expect(readFileSync(`${f.parentPath}/${f.name}`, 'latin1'), f.name).not.toContain(PASSWORD);
      }
    });

    it('sends CORS headers to the configured origin only', async () => {
      const ok = await lan(routes.status, { headers: { origin: CORS_ORIGIN, authorization: `Bearer ${station.token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(CORS_ORIGIN);
      expect(ok.headers['access-control-allow-credentials']).toBe('true');
      expect(ok.headers.vary).toMatch(/Origin/i);
      const preflight = await lan(routes.clips, { method: 'OPTIONS', headers: { origin: CORS_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(CORS_ORIGIN);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
      expect(preflight.headers['access-control-allow-methods']).toMatch(/GET/);

      for (const other of ['http://evil.example', 'http://office-tool.example:5174', 'https://office-tool.example:5173', 'null']) {
        const get = await lan(routes.status, { headers: { origin: other, authorization: `Bearer ${station.token}` } });
        expect(get.status, other).toBe(200);
        expect(accessControlHeaders(get.headers), other).toEqual([]);
        const pre = await lan(routes.clips, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'GET' } });
        expect(pre.status, other).toBeGreaterThanOrEqual(400);
        expect(accessControlHeaders(pre.headers), other).toEqual([]);
      }
    });

    it('logs a viewer in with the password: an HttpOnly, SameSite=Strict session cookie', async () => {
      const wrong = await login('packing-room 8');
      expect(wrong.status).toBe(401);
      expect(JSON.parse(wrong.body)).toEqual({ error: 'wrong password', code: 'login.wrongPassword', message: { en: 'wrong password', 'zh-CN': '密码错误' } });
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect((await lan(routes.login, { method: 'POST', headers: json, body: 'password' })).status).toBe(400);

      const ok = await login(PASSWORD);
      expect(ok.status).toBe(200);
      expect(SessionResponse.parse(JSON.parse(ok.body))).toEqual({ role: 'viewer', viewerLogin: true });
      const cookie = ok.headers['set-cookie']![0]!;
      expect(cookie).toMatch(/^pw_viewer=[A-Za-z0-9_-]{43}; /);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Max-Age=43200/);
      viewer = { cookie: cookie.split(';')[0]! };
      expect(SessionResponse.parse(JSON.parse((await lan(routes.session, { headers: viewer })).body)).role).toBe('viewer');
      // Another login is another session.
      const again = (await login(PASSWORD)).headers['set-cookie']![0]!.split(';')[0]!;
      expect(again).not.toBe(viewer.cookie);
      // A made-up session is nobody.
      expect((await lan(routes.status, { headers: { cookie: 'pw_viewer=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(401);
    });

    it('lets a viewer search, open and watch clips, but not scan, change settings or see the camera', async () => {
      expect((await lan(routes.status, { headers: viewer })).status).toBe(200);
      const found = ClipSearchResponse.parse(JSON.parse((await lan(`${routes.clips}?q=01234`, { headers: viewer })).body));
      expect(found.items.map((c) => c.id)).toEqual([clipId]);
      expect(Clip.parse(JSON.parse((await lan(routes.clip(clipId), { headers: viewer })).body)).codes).toEqual([CODE]);
      const video = await lan(routes.clipVideo(clipId), { headers: { ...viewer, range: 'bytes=0-' } });
      expect(video.status).toBe(206);
      expect(video.body.slice(4, 8)).toBe('ftyp');
      expect((await lan(routes.clipThumbnail(clipId), { headers: viewer })).headers['content-type']).toBe('image/jpeg');
      expect((await lan(routes.clipAudit(clipId), { headers: viewer })).status).toBe(200);

      const scansBefore = ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length;
      const operatorOnly: Array<[string, string, string?]> = [
        ['POST', routes.scans, '{"code":"SF9999999999999"}'],
        ['POST', routes.scans, '{"code":"PW-STOP"}'],
        ['GET', routes.scans],
        ['PUT', routes.scanSettings, '{}'],
        ['GET', routes.scanSettings],
        ['PUT', routes.exportPresets, '[]'],
        ['GET', routes.segments],
        ['GET', routes.gaps],
        ['GET', routes.previewFrame],
        ['GET', routes.preview],
        ['GET', '/api/nope'],
        ['DELETE', routes.clip(clipId), '{}'],
      ];
      for (const [method, path, body] of operatorOnly) {
        const res = await lan(path, { method, headers: { ...viewer, ...(body ? json : {}) }, body });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(JSON.parse(res.body).error).toMatch(/needs the station operator/);
      }
      expect(ScansResponse.parse(await (await station.api(`${routes.scans}?limit=200`)).json()).scans.length).toBe(scansBefore);
      // The operator's token still opens everything on a LAN station.
      expect((await lan(routes.scanSettings, { headers: { authorization: `Bearer ${station.token}` } })).status).toBe(200);
    });

    it('refuses traversal attempts from a viewer on every id route', async () => {
      await expectIdsRefused(origin, { ...viewer, host: lanHost }, [400, 403, 404]);
    });

    it('lets a viewer protect and annotate a clip, recorded as the viewer with their address, but not unprotect it', async () => {
      const patch = (body: object, who: Record<string, string> = viewer) =>
        lan(routes.clip(clipId), { method: 'PATCH', headers: { ...who, ...json, 'x-packwitness-actor': encodeURIComponent('客服小李') }, body: JSON.stringify(body) });
      const done = await patch({ protected: true, note: '买家称破损' });
      expect(done.status).toBe(200);
      expect(Clip.parse(JSON.parse(done.body))).toMatchObject({ protected: true, note: '买家称破损' });
      const refused = await patch({ protected: false });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: expect.stringMatching(/may protect a clip but not unprotect it/), message: { 'zh-CN': expect.stringMatching(/^查看者可以保护片段，但不能取消保护/) } });
      expect(Clip.parse(await (await station.api(routes.clip(clipId))).json()).protected).toBe(true);

      const { entries } = AuditResponse.parse(JSON.parse((await lan(routes.clipAudit(clipId), { headers: viewer })).body));
      const actions = entries.map((e) => [e.action, e.actor]);
      expect(actions).toContainEqual(['protect', '客服小李 (viewer@127.0.0.1)']);
      expect(actions).toContainEqual(['note', '客服小李 (viewer@127.0.0.1)']);
      // The video the viewer watched above, with no name given: the address alone.
      expect(actions).toContainEqual(['view', 'viewer@127.0.0.1']);
      expect(actions.filter(([a]) => a === 'unprotect')).toEqual([]);

      // The operator may unprotect.
      expect((await patch({ protected: false }, { authorization: `Bearer ${station.token}` })).status).toBe(200);
    });

    it('logs a viewer out: the session cookie stops working', async () => {
      const cookie = (await login(PASSWORD)).headers['set-cookie']![0]!.split(';')[0]!;
      expect((await lan(routes.clips, { headers: { cookie } })).status).toBe(200);
      // What the UI's own page sends: its origin (a cross-site logout is refused, see the CSRF test).
      const out = await lan(routes.logout, { method: 'POST', headers: { cookie, origin: `http://${lanHost}` } });
      expect(out.status).toBe(200);
      expect(out.headers['set-cookie']![0]).toMatch(/^pw_viewer=; .*Max-Age=0/);
      expect((await lan(routes.clips, { headers: { cookie } })).status).toBe(401);
      // Other sessions are untouched.
      expect((await lan(routes.clips, { headers: viewer })).status).toBe(200);
    });

    it('answers 429 after 5 wrong passwords from one address, even to the right one, and only for that address', async () => {
      for (let i = 0; i < 5; i++) expect((await login(`guess number ${i}`)).status, `guess ${i}`).toBe(401);
      const limited = await login('guess number 5');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(limited.body).error).toMatch(/too many wrong passwords/);
      const right = await login(PASSWORD);
      expect(right.status).toBe(429);
      expect(right.headers['set-cookie']).toBeUndefined();
      // Parallel guesses cannot slip in either.
      const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => login(`burst ${i}`)));
      expect(burst.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
      // Another computer (another loopback address here) is not locked out, and a session already open stays open.
      expect((await login(PASSWORD, '127.0.0.2')).status).toBe(200);
      expect((await lan(routes.clips, { headers: viewer })).status).toBe(200);
    });
  });
});
