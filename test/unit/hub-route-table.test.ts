/**
 * The hub's route table (shared/hub-route-table.ts) against the hub's real Fastify instance: every
 * route the hub registers is a table entry and every entry is registered, the roles are the ones
 * the hub has always had, URLs come from the table's patterns, and the refusals that need no
 * database carry catalogue codes. The routes' behaviour with a database is in test/integration/hub-*.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRoutes } from '../../shared/api.js';
import { hubRouteTable } from '../../shared/hub-route-table.js';
import { CATALOGUE } from '../../shared/messages/index.js';
import { routeUrl } from '../../shared/route-table.js';
import { HUB_ROUTE_ACCESS, hubAccessFor } from '../../electron/hub/server/hub-access.js';
import { createHubServer } from '../../electron/hub/server/hub-server.js';
import type { HubPool } from '../../electron/hub/db/hub-database.js';
import type { FootageStore } from '../../electron/hub/storage/footage-store.js';

const TOKEN = 'hub-admin-route-table-test-token-0123456789';

/** A dependency these requests never reach: any use fails the test loudly. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_t, key) => {
      throw new Error(`${name}.${String(key)} used: this request should not reach it`);
    },
  });
}

/** `METHOD /pattern` of every route Fastify holds (HEAD left out: Fastify adds one per GET), from its route tree. */
function registeredRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const labels: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    labels.length = m[1]!.length / 4;
    labels.push(m[2]!);
    const path = labels.join('');
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${path.startsWith('/') ? path : `/${path}`}`);
  }
  return out.sort();
}

describe('the hub route table', () => {
  let app: FastifyInstance;
  let ui: string;
  beforeAll(async () => {
    ui = mkdtempSync(join(tmpdir(), 'pw-hub-ui-'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>hub</title>');
    app = await createHubServer({ pool: unused<HubPool>('pool'), adminToken: TOKEN, footage: unused<FootageStore>('footage'), workDir: ui, uiDir: ui });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(ui, { recursive: true, force: true });
  });

  it('is what the hub registers: no route outside it, no entry left out', () => {
    const table = Object.values(hubRouteTable).map((r) => `${r.method} ${r.path}`);
    expect(new Set(table).size).toBe(table.length);
    // The UI's files (@fastify/static) are the one route of the hub's that is not an API route.
    const registered = registeredRoutes(app);
    expect(registered).toEqual([...table, 'GET /*'].sort());
    // Each by addRoute from its entry: the hub refuses to start with one registered by hand (below).
  });

  it('refuses to start with a route registered outside the table', async () => {
    const app = await createHubServer({ pool: unused<HubPool>('pool'), adminToken: TOKEN, footage: unused<FootageStore>('footage'), workDir: ui, uiDir: ui });
    expect(() => app.get(hubRoutes.stations, async () => ({ stations: [] }))).toThrow(/GET \/api\/stations is registered outside the hub's route table/);
    expect(() => app.post('/api/forgotten', async () => ({}))).toThrow(/outside the hub's route table/);
    await app.close();
  });

  it('gives each route the role it has always had', () => {
    const byAccess = (access: string) =>
      Object.entries(HUB_ROUTE_ACCESS)
        .filter(([, a]) => a === access)
        .map(([k]) => k)
        .sort();
    expect(byAccess('public')).toEqual(['GET /', 'GET /*', 'GET /api/health', 'GET /api/session', 'POST /api/login', 'POST /api/logout'].sort());
    expect(byAccess('admin')).toEqual(['GET /api/audit', 'GET /api/users', 'POST /api/users', 'PUT /api/users/:id', 'POST /api/pairings'].sort());
    expect(byAccess('readyLink')).toEqual(['POST /api/setup/first-admin']);
    expect(byAccess('pairing')).toEqual(['POST /api/hub/join']);
    expect(byAccess('station')).toEqual(['POST /api/hub/heartbeat', 'POST /api/hub/clips', 'PUT /api/hub/clips/:stationClipId/video', 'PUT /api/hub/clips/:stationClipId/cameras/:camera/video'].sort());
    expect(byAccess('reader')).toEqual(
      [
        'GET /api/stations',
        'GET /api/clips',
        'GET /api/clips/:id',
        'GET /api/clips/:id/audit',
        'GET /api/clips/:id/video',
        'GET /api/clips/:id/video/download',
        'GET /api/clips/:id/export',
        'GET /api/settings/display',
        'GET /api/stats',
        'GET /api/stats.csv',
      ].sort(),
    );
    // A route missing from the table is the admins'; HEAD is GET; no route is the 404's.
    expect(hubAccessFor('POST', '/api/forgotten')).toBe('admin');
    expect(hubAccessFor('HEAD', '/api/clips/:id/video')).toBe('reader');
    expect(hubAccessFor('GET', undefined)).toBeNull();
  });

  it('builds the URLs the station and the pages send from its patterns', () => {
    expect(routeUrl(hubRouteTable.uploadVideo, { stationClipId: 41 })).toBe('/api/hub/clips/41/video');
    expect(routeUrl(hubRouteTable.uploadCameraVideo, { stationClipId: 41, camera: 'side-2' })).toBe(hubRoutes.uploadCameraVideo(41, 'side-2'));
    expect(routeUrl(hubRouteTable.changeUser, { id: 3 })).toBe(hubRoutes.user(3));
    expect(routeUrl(hubRouteTable.exportBundle, { id: 9 })).toBe('/api/clips/9/export');
  });

  it('checks the caller the table names before the handler', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/clips?limit=0' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('hubServer.needsLogin');
    const firstAdmin = await app.inject({ method: 'POST', url: hubRoutes.firstAdmin, payload: { name: 'Boss', password: 'long enough password' } });
    expect(firstAdmin.statusCode).toBe(401);
    expect(firstAdmin.json().code).toBe('hubServer.firstAdminFromReadyLink');
  });

  it('refuses in both languages, with the sentences it always had in English', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const refusal = async (req: InjectOptions, status: number, code: keyof typeof CATALOGUE) => {
      const res = await app.inject(req);
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(body.code).toBe(code);
      expect(body.message['zh-CN']).toBeTruthy();
      return body.error as string;
    };
    expect(await refusal({ method: 'GET', url: '/api/nothing-here' }, 404, 'hubServer.notFound')).toBe('not found');
    expect(await refusal({ method: 'GET', url: '/api/clips?limit=0', headers: bearer }, 400, 'hubServer.searchLimit')).toBe('limit is a whole number from 1 to 200');
    expect(await refusal({ method: 'GET', url: '/api/clips?mode=x', headers: bearer }, 400, 'hubServer.modeIs')).toBe('mode is pack, return, ship');
    expect(await refusal({ method: 'GET', url: '/api/audit?limit=0', headers: bearer }, 400, 'hubServer.auditLimit')).toBe('limit is a whole number from 1 to 1000');
    expect(await refusal({ method: 'PUT', url: '/api/users/x', headers: bearer, payload: {} }, 400, 'hubServer.accountIdNumber')).toMatch(/^an account id/);
    expect(await refusal({ method: 'POST', url: hubRoutes.join, payload: { pairingToken: 1 } }, 400, 'hubServer.badJoinRequest')).toMatch(/^bad join request: /);
    expect(await refusal({ method: 'POST', url: hubRoutes.join, headers: { 'content-type': 'application/json' }, payload: '{' }, 400, 'hubServer.bodyNotJson')).toBe('the body is not valid JSON');
    expect(await refusal({ method: 'POST', url: '/api/login', headers: { 'content-type': 'text/plain' }, payload: 'x' }, 415, 'hubServer.loginSendJson')).toMatch(/^send JSON/);
    expect(await refusal({ method: 'POST', url: '/api/login', payload: { name: 'a' } }, 400, 'hubServer.badLogin')).toMatch(/^bad login: password: /);
    expect(await refusal({ method: 'PUT', url: '/api/hub/clips/0/video', headers: { 'content-type': 'application/octet-stream' }, payload: 'x' }, 400, 'hubServer.clipIdNumber')).toBe('a clip id is a positive whole number');
    expect(await refusal({ method: 'GET', url: '/?token=not-the-token' }, 401, 'hubServer.linkTokenNotHubs')).toMatch(/open the READY link again$/);
    // Fastify's own refusals: a body over the route's limit, a content type the hub reads no body of.
    const big = JSON.stringify({ pairingToken: 'x'.repeat(300 * 1024) });
    expect(await refusal({ method: 'POST', url: hubRoutes.join, headers: { 'content-type': 'application/json' }, payload: big }, 413, 'http.bodyTooLarge')).toBe('request body too large: at most 256 KB');
    expect(await refusal({ method: 'POST', url: hubRoutes.join, headers: { 'content-type': 'application/xml' }, payload: '<a/>' }, 415, 'hubServer.unsupportedMediaType')).toMatch(/^the hub reads a body sent as JSON/);
  });
});
