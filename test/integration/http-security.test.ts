import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/api.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

/** A raw GET: fetch() would normalise `..` out of the path before sending it. */
function rawGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TRAVERSALS = [
  '/api/../../etc/passwd',
  '/../../../../etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/assets/..%5c..%5c..%5cetc%5cpasswd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/api/segments/..%2f..%2fpackwitness.db',
  '/packwitness.db',
  '/..%2fpackwitness.db',
  '/runs/demo',
];

describe('the HTTP API', () => {
  let station: StationProcess;
  beforeAll(async () => {
    station = await startStation();
  });
  afterAll(async () => {
    await station?.stop();
  });

  it('answers health without a token', async () => {
    const res = await fetch(station.origin + routes.health);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses every other route without the token or with a wrong one, and says nothing else', async () => {
    const paths = ['/', '/index.html', routes.status, routes.segments, routes.gaps, routes.preview, routes.previewFrame, '/api/nope', '/assets/x.js', ...TRAVERSALS];
    for (const path of paths) {
      const variants: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${station.token}x` }, { cookie: 'pw_token=wrong' }];
      for (const headers of variants) {
        const res = await rawGet(station.origin, path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(res.body)).toEqual({ error: 'unauthorized' });
      }
    }
    // A wrong token in the READY URL is refused too (no cookie is handed out).
    const wrongUrl = await rawGet(station.origin, '/?token=wrong');
    expect(wrongUrl.status).toBe(401);
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
  });

  it('never reads outside the UI folder, whatever the path', async () => {
    for (const path of TRAVERSALS) {
      const res = await rawGet(station.origin, path, { authorization: `Bearer ${station.token}` });
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toMatch(/root:.*:0:0:/);
      expect(res.body, path).not.toMatch(/SQLite format/);
    }
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
});
