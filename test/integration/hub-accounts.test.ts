/**
 * Office accounts on the hub, with a real hub (embedded PostgreSQL) over real HTTP: the add-user
 * command line, login and logout, roles, disabling, the last admin, the READY link's first admin, and
 * the audit log naming the person.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, HubAuditResponse, HubUser, HubUsersResponse, SessionResponse } from '../../shared/api.js';
import { startHub, tempHubDir, type HubProcess } from '../helpers/hub-process.js';
import { cliPath, repoRoot } from '../helpers/station-process.js';

function addUser(dataDir: string, name: string, role: string, password: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cliPath, 'hub', 'add-user', '--data', dataDir, '--name', name, '--role', role, '--password-stdin'], { cwd: repoRoot });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
    p.stdin.end(`${password}\n`);
  });
}

/** A browser-like client: keeps the session cookie, sends JSON. */
class Person {
  cookie = '';
  constructor(private readonly hub: HubProcess) {}
  async req(path: string, init: { method?: string; body?: unknown; json?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (init.body !== undefined && init.json !== false) headers['content-type'] = 'application/json';
    const r = await fetch(this.hub.origin + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), redirect: 'manual' });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return r;
  }
  login(name: string, password: string): Promise<Response> {
    return this.req('/api/login', { method: 'POST', body: { name, password } });
  }
}

const ADMIN_PW = 'correct horse battery';
const SERVICE_PW = 'service-desk-2026';

describe('hub add-user on a stopped hub', () => {
  let dataDir: string;
  let hub: HubProcess | undefined;
  afterAll(async () => void (await hub?.stop()));

  it('refuses a weak password with one sentence, adds an admin, then refuses while the hub runs', async () => {
    dataDir = tempHubDir();
    const weak = await addUser(dataDir, 'Li Wei', 'admin', 'short');
    expect(weak.code).toBe(1);
    expect(weak.err.trim()).toBe('packwitness: The password is too short: give at least 10 characters on stdin.');
    const ok = await addUser(dataDir, 'Li Wei', 'admin', ADMIN_PW);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/^added admin "Li Wei" \(account \d+\)$/m);
    const dup = await addUser(dataDir, 'li wei', 'service', ADMIN_PW);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);

    hub = await startHub({ dataDir });
    const running = await addUser(dataDir, 'Zhang San', 'service', SERVICE_PW);
    expect(running.code).toBe(1);
    expect(running.err).toMatch(/The hub is running on .*: add the account on its Users page/);
    const p = new Person(hub);
    expect((await p.login('LI WEI', ADMIN_PW)).status).toBe(200);
    const s = (await (await p.req('/api/session')).json()) as SessionResponse;
    expect(s.user).toEqual({ name: 'Li Wei', role: 'admin' });
    // The READY link no longer signs a browser in once accounts exist.
    const ready = await fetch(hub.url, { redirect: 'manual' });
    expect(ready.status).toBe(303);
    expect(ready.headers.get('set-cookie')).toBeNull();
  }, 120_000);
});

describe('logging in, roles and the audit log', () => {
  let hub: HubProcess;
  const admin = () => new Person(hub);
  let boss: Person;
  let bossUser: HubUser;

  beforeAll(async () => {
    hub = await startHub();
  }, 60_000);
  afterAll(async () => void (await hub?.stop()));

  it('makes the first admin from the READY link, once', async () => {
    const browser = new Person(hub);
    const ready = await fetch(hub.url, { redirect: 'manual' });
    expect(ready.status).toBe(303);
    browser.cookie = ready.headers.get('set-cookie')!.split(';')[0]!;
    const s = (await (await browser.req('/api/session')).json()) as SessionResponse;
    expect(s.firstAdmin).toBe(true);
    // Without the link's cookie: refused.
    const stranger = await new Person(hub).req('/api/setup/first-admin', { method: 'POST', body: { name: 'Mallory', password: 'x'.repeat(12) } });
    expect(stranger.status).toBe(401);
    const made = await browser.req('/api/setup/first-admin', { method: 'POST', body: { name: 'Boss', password: ADMIN_PW } });
    expect(made.status).toBe(200);
    expect(((await made.json()) as SessionResponse).user).toEqual({ name: 'Boss', role: 'admin' });
    boss = browser;
    const again = await new Person(hub).req('/api/setup/first-admin', { method: 'POST', body: { name: 'Second', password: ADMIN_PW } });
    expect(again.status).toBe(401);
    const tokenAgain = await hub.api('/api/setup/first-admin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Second', password: ADMIN_PW }) });
    expect(tokenAgain.status).toBe(409);
    bossUser = ((await (await boss.req('/api/users')).json()) as HubUsersResponse).users[0]!;
    expect(bossUser.name).toBe('Boss');
  });

  it('answers a wrong password with 401 and one sentence, never logging the password', async () => {
    const r = await admin().login('Boss', 'not the password at all');
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: string }).error).toBe('Wrong name or password, or this account is disabled.');
    const unknown = await admin().login('Nobody', 'not the password at all');
    expect(unknown.status).toBe(401);
    expect(hub.stderr()).not.toContain('not the password at all');
    const audit = JSON.stringify(await (await hub.api('/api/audit')).json());
    expect(audit).toContain('"kind":"login-refused"');
    expect(audit).not.toContain('not the password at all');
  });

  it('refuses a change sent with the cookie but not as JSON (CSRF), and accepts it as JSON', async () => {
    const form = await boss.req('/api/pairings', { method: 'POST', body: 'x', json: false });
    expect(form.status).toBe(401);
    const ok = await boss.req('/api/pairings', { method: 'POST', body: {} });
    expect(ok.status).toBe(200);
  });

  it('lets a service user search but not pair stations or manage accounts', async () => {
    const made = await boss.req('/api/users', { method: 'POST', body: { name: 'Service Desk', role: 'service', password: SERVICE_PW } });
    expect(made.status).toBe(201);
    const weak = await boss.req('/api/users', { method: 'POST', body: { name: 'Weak', role: 'service', password: 'short' } });
    expect(weak.status).toBe(400);
    const svc = new Person(hub);
    expect((await svc.login('service desk', SERVICE_PW)).status).toBe(200);
    expect(((await (await svc.req('/api/session')).json()) as SessionResponse).user).toEqual({ name: 'Service Desk', role: 'service' });
    expect((await svc.req('/api/clips')).status).toBe(200);
    const pair = await svc.req('/api/pairings', { method: 'POST', body: {} });
    expect(pair.status).toBe(403);
    expect(((await pair.json()) as { error: string }).error).toBe('Only a hub admin may do this; ask an admin.');
    expect((await svc.req('/api/users')).status).toBe(403);
    // Logging out ends the session on the hub, not only in the browser.
    const cookie = svc.cookie;
    expect((await svc.req('/api/logout', { method: 'POST', body: {} })).status).toBe(200);
    svc.cookie = cookie;
    expect((await svc.req('/api/clips')).status).toBe(401);
  });

  it('stops a disabled user’s open session at once', async () => {
    const svc = new Person(hub);
    expect((await svc.login('Service Desk', SERVICE_PW)).status).toBe(200);
    expect((await svc.req('/api/clips')).status).toBe(200);
    const id = ((await (await boss.req('/api/users')).json()) as HubUsersResponse).users.find((u) => u.name === 'Service Desk')!.id;
    expect((await boss.req(`/api/users/${id}`, { method: 'PUT', body: { disabled: true } })).status).toBe(200);
    expect((await svc.req('/api/clips')).status).toBe(401);
    expect((await new Person(hub).login('Service Desk', SERVICE_PW)).status).toBe(401);
    // A reset password and re-enabled account: the new password works, the old one does not.
    expect((await boss.req(`/api/users/${id}`, { method: 'PUT', body: { disabled: false, password: 'a new password!' } })).status).toBe(200);
    expect((await new Person(hub).login('Service Desk', SERVICE_PW)).status).toBe(401);
    expect((await new Person(hub).login('Service Desk', 'a new password!')).status).toBe(200);
  });

  it('protects the last admin from demotion and disabling', async () => {
    for (const change of [{ role: 'service' }, { disabled: true }]) {
      const r = await boss.req(`/api/users/${bossUser.id}`, { method: 'PUT', body: change });
      expect(r.status).toBe(409);
      expect(((await r.json()) as { error: string }).error).toBe("Boss is the hub's last admin; make another admin first.");
    }
    // With a second admin, the first may step down.
    expect((await boss.req('/api/users', { method: 'POST', body: { name: 'Deputy', role: 'admin', password: ADMIN_PW } })).status).toBe(201);
    expect((await boss.req(`/api/users/${bossUser.id}`, { method: 'PUT', body: { role: 'service' } })).status).toBe(200);
    expect((await boss.req('/api/pairings', { method: 'POST', body: {} })).status).toBe(403);
  });

  it('names the person in the audit log', async () => {
    const deputy = new Person(hub);
    expect((await deputy.login('Deputy', ADMIN_PW)).status).toBe(200);
    expect((await deputy.req('/api/pairings', { method: 'POST', body: {} })).status).toBe(200);
    const events = ((await (await deputy.req('/api/audit')).json()) as HubAuditResponse).events;
    const find = (kind: string, actor: string, user?: string) => events.find((e) => e.kind === kind && e.actor === actor && (user === undefined || e.detail.user === user));
    expect(find('pairing-created', 'Deputy')).toBeTruthy();
    expect(find('pairing-created', 'Boss')).toBeTruthy();
    expect(find('login', 'Deputy')).toBeTruthy();
    expect(find('logout', 'Service Desk')).toBeTruthy();
    expect(find('user-created', 'Boss', 'Service Desk')?.detail).toMatchObject({ user: 'Service Desk', role: 'service' });
    expect(events.filter((e) => e.kind === 'user-changed' && e.actor === 'Boss').map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        { user: 'Service Desk', disabled: true },
        { user: 'Service Desk', disabled: false, passwordReset: true },
        { user: 'Boss', role: 'service' },
      ]),
    );
    expect(find('user-created', 'ready-link')?.detail).toMatchObject({ user: 'Boss', role: 'admin' });
    // The admin token keeps working for scripts.
    expect((await hub.api('/api/pairings', { method: 'POST' })).status).toBe(200);
  });

  // Last: it leaves this address throttled for the rest of the window.
  it('throttles wrong passwords per address: after five, even the right one waits (429 with Retry-After)', async () => {
    for (let i = 0; i < 5; i++) expect((await new Person(hub).login('Deputy', `wrong password ${i}`)).status).toBe(401);
    const blocked = await new Person(hub).login('Deputy', ADMIN_PW);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as ErrorResponse).error).toMatch(/^too many wrong passwords or tokens from this computer; try again in \d+ minutes?$/);
  });
});
