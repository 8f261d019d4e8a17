/**
 * The server's security rules as plain functions: who may call which route, which Host headers are
 * the station's own, what a valid LAN set-up is, the viewer password, sessions and the login throttle.
 * The same rules run end to end in test/integration/http-security.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/api.js';
import { LOGIN_FAILURES, VIEWER_SESSION_MS } from '../../electron/station/limits.js';
import { accessFor, ROUTE_ACCESS } from '../../electron/station/server/access.js';
import { HostCheck, isLoopbackHost, parseHost } from '../../electron/station/server/host-check.js';
import { isCrossSiteWrite, type RequestFacts } from '../../electron/station/server/csrf.js';
import { clientAddress, LoginThrottle } from '../../electron/station/server/login-throttle.js';
import { securityConfig, SecurityConfigError } from '../../electron/station/server/security-config.js';
import { ViewerPassword } from '../../electron/station/server/viewer-password.js';
import { ViewerSessions } from '../../electron/station/server/viewer-sessions.js';

describe('the route → role table', () => {
  it('lets viewers find, watch, protect and export clips, and nothing else', () => {
    const viewer = Object.entries(ROUTE_ACCESS)
      .filter(([, a]) => a === 'viewer')
      .map(([k]) => k)
      .sort();
    expect(viewer).toEqual(
      [
        'GET /api/status',
        'GET /api/clips',
        'GET /api/clips/:id',
        'GET /api/clips/:id/audit',
        'GET /api/clips/:id/thumbnail.jpg',
        'GET /api/clips/:id/video',
        'GET /api/clips/:id/video/download',
        'PATCH /api/clips/:id',
        'POST /api/clips/:id/export',
        'GET /api/exports',
        'GET /api/exports/:id',
        'DELETE /api/exports/:id',
        'GET /api/exports/:id/files/:role',
        'GET /api/settings/export-presets',
        // The language and sounds defaults: every screen reads them.
        'GET /api/settings/display',
        // Health page
        'GET /api/health/report',
        // Claim check: customer service answers the buyer's photos.
        'POST /api/clips/:id/claims',
        'GET /api/clips/:id/claims',
        'POST /api/claims/identify',
        'GET /api/claims/:claim/photos/:position/preview.jpg',
        'GET /api/clips/:id/claims/:claim/appeal-text',
      ].sort(),
    );
  });

  it('keeps the settings screen and the camera test (which spawns ffmpeg) to the operator', () => {
    for (const [method, path] of [
      ['GET', routes.settingsInfo],
      ['PUT', routes.stationSettings],
      ['GET', routes.cameraSettings],
      ['PUT', routes.cameraSettings],
      ['GET', routes.cameras],
      ['POST', routes.cameraTest],
      ['PUT', routes.displaySettings],
      ['GET', routes.lanSettings],
      ['PUT', routes.lanSettings],
      ['POST', routes.scanTest],
      ['PUT', routes.retentionSettings],
      ['GET', routes.exportPresetDefaults],
      // Storage folder move: stops the station and moves every file.
      ['POST', routes.storageMove],
    ] as const) {
      expect(accessFor(method, path, path), `${method} ${path}`).toBe('operator');
    }
  });

  it('makes a route nobody classified operator-only', () => {
    expect(accessFor('POST', '/api/some-new-route', '/api/some-new-route')).toBe('operator');
    expect(accessFor('DELETE', '/api/clips/:id', '/api/clips/1')).toBe('operator');
    expect(accessFor('PUT', routes.scanSettings, routes.scanSettings)).toBe('operator');
    expect(accessFor('PUT', routes.exportPresets, routes.exportPresets)).toBe('operator');
    expect(accessFor('POST', routes.scans, routes.scans)).toBe('operator');
    // No route matched (a 404): nobody learns that without the token.
    expect(accessFor('GET', undefined, '/whatever')).toBe('operator');
  });

  it('treats HEAD as GET, and unknown /api/ paths under the UI catch-all as API calls', () => {
    expect(accessFor('HEAD', '/api/clips/:id/video', '/api/clips/1/video')).toBe('viewer');
    expect(accessFor('GET', '/*', '/assets/index.js')).toBe('ui');
    expect(accessFor('GET', '/*', '/api/exports/1')).toBe('operator');
    expect(accessFor('GET', routes.health, routes.health)).toBe('public');
    expect(accessFor('POST', routes.login, routes.login)).toBe('public');
  });
});

describe('the Host check', () => {
  const port = 8417;

  it('parses Host headers strictly: one spelling per name, nothing but a name and a port', () => {
    expect(parseHost('LocalHost:8417')).toEqual({ name: 'localhost', port: 8417 });
    expect(parseHost('packing-pc.lan.')).toEqual({ name: 'packing-pc.lan', port: null });
    expect(parseHost('[0:0::1]:80')).toEqual({ name: '::1', port: 80 });
    for (const bad of ['', ' ', 'a b', 'evil.example:1@localhost', 'localhost:99999', '[localhost]:1', '::1', 'x/y', 'x:', 'localhost\u0000', '%6cocalhost']) {
      expect(parseHost(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('knows which bind addresses keep the station on this machine', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'fe80::1', 'packing-pc.lan', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('on loopback answers to localhost, 127.0.0.1 and [::1] on its own port only', () => {
    const check = new HostCheck('127.0.0.1', [], () => port);
    for (const ok of ['localhost:8417', '127.0.0.1:8417', '[::1]:8417', 'LOCALHOST:8417']) expect(check.allows(ok), ok).toBe(true);
    for (const bad of ['evil.example:8417', 'localhost', 'localhost:8418', '127.0.0.2:8417', `${hostname()}:8417`, undefined]) expect(check.allows(bad), String(bad)).toBe(false);
  });

  it('on every interface answers to this machine’s addresses and names', () => {
    const check = new HostCheck('0.0.0.0', [], () => port);
    const addresses = Object.values(networkInterfaces()).flatMap((l) => l ?? []);
    for (const a of addresses) {
      const host = a.family === 'IPv6' ? `[${a.address.split('%')[0]}]:8417` : `${a.address}:8417`;
      expect(check.allows(host), host).toBe(true);
    }
    const short = hostname().toLowerCase().split('.')[0]!;
    expect(check.allows(`${hostname()}:8417`)).toBe(true);
    expect(check.allows(`${short}.local:8417`)).toBe(true);
    expect(check.allows('203.0.113.7:8417')).toBe(false);
    expect(check.allows(`${short}.local.evil.example:8417`)).toBe(false);
  });

  it('adds --allowed-host names, on any port unless one is given', () => {
    const extra = ['packing-pc.lan', 'station.example:8443'].map((h) => parseHost(h)!);
    const check = new HostCheck('192.168.1.20', extra, () => port);
    expect(check.allows('192.168.1.20:8417')).toBe(true);
    expect(check.allows('127.0.0.1:8417')).toBe(false);
    expect(check.allows('packing-pc.lan')).toBe(true);
    expect(check.allows('packing-pc.lan:80')).toBe(true);
    expect(check.allows('station.example:8443')).toBe(true);
    expect(check.allows('station.example')).toBe(false);
    expect(check.allows('station.example:8417')).toBe(false);
  });
});

describe('the security settings', () => {
  const base = { token: 'Zq3vN8xLr2Tb5YhW0kJp7sDf4GmC1aEu' };

  it('refuses LAN mode without a viewer password, or with a short one, in one sentence', () => {
    expect(() => securityConfig({ ...base, host: '0.0.0.0' })).toThrow(SecurityConfigError);
    expect(() => securityConfig({ ...base, host: '192.168.1.20', viewerPassword: '' })).toThrow(/^Listening on 192\.168\.1\.20 shares the station with the network, so it needs a viewer password of at least 8 characters: .*\.$/);
    expect(() => securityConfig({ ...base, host: '0.0.0.0', viewerPassword: '1234567' })).toThrow('The viewer password must be at least 8 characters long.');
    // Characters, not bytes: eight Chinese characters are a valid password.
    expect(securityConfig({ ...base, host: '0.0.0.0', viewerPassword: '打包见证打包见证' }).lan).toBe(true);
    const local = securityConfig({ ...base, host: '127.0.0.1' });
    expect(local).toMatchObject({ lan: false, viewerPassword: null, corsOrigins: [], allowedHosts: [] });
  });

  it('refuses a weak operator token when listening beyond loopback, in one sentence; loopback takes any', () => {
    const lan = { host: '0.0.0.0', viewerPassword: 'packing-room 7' };
    for (const token of ['a', 'short', 'x'.repeat(31), 'a'.repeat(64), 'abababababababababababababababab', '2026-12-04 2026-12-04 2026-12-04']) {
      expect(() => securityConfig({ ...lan, token }), token).toThrow(
        'Listening on 0.0.0.0 lets the network guess at the operator token, so --token must be at least 32 characters of random text with at least 8 different characters (e.g. from openssl rand -base64 24); leave --token out for a random one.',
      );
    }
    // What the station makes itself (24 random bytes, base64url) and what the README suggests pass.
    expect(securityConfig({ ...lan, token: randomBytes(24).toString('base64url') }).lan).toBe(true);
    expect(securityConfig({ ...lan, token: randomBytes(16).toString('hex') }).lan).toBe(true);
    expect(securityConfig({ host: '127.0.0.1', token: 'a' }).token).toBe('a');
  });

  it('takes CORS origins exactly as browsers send them, and no wildcard', () => {
    expect(securityConfig({ ...base, host: '127.0.0.1', corsOrigins: ['http://192.168.1.20:5173', 'https://tools.example/'] }).corsOrigins).toEqual([
      'http://192.168.1.20:5173',
      'https://tools.example',
    ]);
    for (const bad of ['*', 'null', 'tools.example', 'http://tools.example/path', 'ftp://tools.example', 'http://*.example']) {
      expect(() => securityConfig({ ...base, host: '127.0.0.1', corsOrigins: [bad] }), bad).toThrow(/is not a web origin/);
    }
    expect(() => securityConfig({ ...base, host: '127.0.0.1', allowedHosts: ['http://x'] })).toThrow(/--allowed-host "http:\/\/x" is not a host name/);
  });
});

describe('the viewer password', () => {
  it('matches only itself and never shows up when printed', async () => {
    const pw = ViewerPassword.fromPlainText('packing-room 7');
    expect(await pw.matches('packing-room 7')).toBe(true);
    expect(await pw.matches('packing-room 8')).toBe(false);
    expect(await pw.matches('')).toBe(false);
    expect(await pw.matches('packing-room 7 ')).toBe(false);
    expect(inspect(pw)).toBe('[viewer password]');
    expect(JSON.stringify({ pw })).toBe('{"pw":"[viewer password]"}');
  });
});

describe('viewer sessions', () => {
  it('last a working day, then are gone; logging out ends one at once', () => {
    let now = 1_000_000;
    const sessions = new ViewerSessions(() => now);
    const a = sessions.create('192.168.1.23');
    const b = sessions.create('192.168.1.24');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.valid(a)).toBe(true);
    expect(sessions.valid(`${a}x`)).toBe(false);
    expect(sessions.valid(null)).toBe(false);
    sessions.end(b);
    expect(sessions.valid(b)).toBe(false);
    now += VIEWER_SESSION_MS - 1;
    expect(sessions.valid(a)).toBe(true);
    now += 1;
    expect(sessions.valid(a)).toBe(false);
  });
});

describe('the login throttle', () => {
  it('blocks an address after the allowed wrong passwords until the window ends; others are not affected', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < LOGIN_FAILURES.max; i++) {
      expect(t.retryAfterMs('10.0.0.5')).toBe(0);
      t.failed('10.0.0.5');
    }
    expect(t.retryAfterMs('10.0.0.5')).toBe(LOGIN_FAILURES.windowMs);
    expect(t.retryAfterMs('10.0.0.6')).toBe(0);
    now += LOGIN_FAILURES.windowMs - 1;
    expect(t.retryAfterMs('10.0.0.5')).toBe(1);
    now += 1;
    expect(t.retryAfterMs('10.0.0.5')).toBe(0);
  });

  it('forgets the wrong passwords of an address that then logs in', () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < LOGIN_FAILURES.max - 1; i++) t.failed('10.0.0.5');
    t.succeeded('10.0.0.5');
    for (let i = 0; i < LOGIN_FAILURES.max - 1; i++) t.failed('10.0.0.5');
    expect(t.retryAfterMs('10.0.0.5')).toBe(0);
  });

  it('counts a wrong credential sent again once (a stale cookie polling is not a guesser), distinct ones each', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 100; i++) t.failed('10.0.0.5', 'token-of-yesterday');
    expect(t.retryAfterMs('10.0.0.5')).toBe(0);
    for (let i = 0; i < LOGIN_FAILURES.max - 1; i++) t.failed('10.0.0.5', `guess ${i}`);
    expect(t.retryAfterMs('10.0.0.5')).toBe(LOGIN_FAILURES.windowMs);
    now += LOGIN_FAILURES.windowMs;
    expect(t.retryAfterMs('10.0.0.5')).toBe(0);
  });

  it('takes an IPv4 client on a dual-stack socket as the same address', () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < LOGIN_FAILURES.max; i++) t.failed(i % 2 ? '::ffff:10.0.0.5' : '10.0.0.5', `guess ${i}`);
    expect(t.retryAfterMs('10.0.0.5')).toBeGreaterThan(0);
    expect(t.retryAfterMs('::ffff:10.0.0.5')).toBeGreaterThan(0);
    expect(clientAddress('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(clientAddress('fe80::1')).toBe('fe80::1');
  });
});

describe('cross-site writes', () => {
  const host = '127.0.0.1:8417';
  const cors = new Set(['http://office-tool.example:5173']);
  const req = (o: Partial<RequestFacts>): RequestFacts => ({ method: 'POST', host, origin: undefined, secFetchSite: undefined, contentType: undefined, authorization: undefined, ...o });

  it.each<[string, Partial<RequestFacts>, boolean]>([
    ['a page on another port (same-site for cookies)', { origin: 'http://127.0.0.1:8418' }, true],
    ['another site', { origin: 'http://evil.example' }, true],
    ['Origin null', { origin: 'null' }, true],
    ['another name for this PC (rebinding passed the Host check but not the Origin)', { origin: 'http://localhost:8417' }, true],
    ['same-site by Sec-Fetch-Site', { secFetchSite: 'same-site' }, true],
    ['cross-site by Sec-Fetch-Site', { secFetchSite: 'cross-site' }, true],
    ['own Origin but Sec-Fetch-Site cross-site', { origin: 'http://127.0.0.1:8417', secFetchSite: 'cross-site' }, true],
    ['an old browser: no Origin, a form', { contentType: 'application/x-www-form-urlencoded' }, true],
    ['an old browser: no Origin, no body', {}, true],
    ['text/plain (a form can send it)', { contentType: 'text/plain' }, true],
    ['JSON from another origin', { origin: 'http://evil.example', contentType: 'application/json' }, true],
    ['a DELETE from another port', { method: 'DELETE', origin: 'http://127.0.0.1:1' }, true],
    ['the station’s own page', { origin: 'http://127.0.0.1:8417', secFetchSite: 'same-origin' }, false],
    ['the station’s own page, bodyless (logout)', { origin: 'http://127.0.0.1:8417' }, false],
    ['Sec-Fetch-Site same-origin without Origin', { secFetchSite: 'same-origin' }, false],
    ['JSON without Origin (the CLI, scripts)', { contentType: 'application/json; charset=utf-8' }, false],
    ['a bearer token (no ambient credential)', { authorization: 'Bearer x', origin: 'http://evil.example' }, false],
    ['a --cors-origin', { origin: 'http://office-tool.example:5173', secFetchSite: 'cross-site' }, false],
    ['a read', { method: 'GET', origin: 'http://evil.example' }, false],
  ])('%s: refused %s', (_what, facts, refused) => {
    expect(isCrossSiteWrite(req(facts), cors)).toBe(refused);
  });

  it('compares the Origin with the Host it was sent to, default ports included', () => {
    expect(isCrossSiteWrite(req({ host: 'localhost:8417', origin: 'http://localhost:8417' }), cors)).toBe(false);
    expect(isCrossSiteWrite(req({ host: '[::1]:8417', origin: 'http://[::1]:8417' }), cors)).toBe(false);
    expect(isCrossSiteWrite(req({ host: 'packing-pc.lan', origin: 'https://packing-pc.lan' }), cors)).toBe(false);
    expect(isCrossSiteWrite(req({ host: 'packing-pc.lan:8417', origin: 'http://packing-pc.lan' }), cors)).toBe(true);
  });
});
