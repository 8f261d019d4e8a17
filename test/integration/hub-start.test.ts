/**
 * `packwitness hub`: READY with a real embedded PostgreSQL in its data folder, the
 * admin token, a restart after kill -9 (the server it left running is stopped, the index kept), a
 * stopped PostgreSQL answered with 503 and one sentence until the hub has it running again, and the
 * refusals (a second hub on one folder, a folder the postgres user cannot enter).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedPostgresPid, startHub, tempHubDir, type HubProcess } from '../helpers/hub-process.js';
import { alive } from '../helpers/processes.js';
import { cliPath, repoRoot, waitFor } from '../helpers/station-process.js';

const running: HubProcess[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
});

async function hub(opts: Parameters<typeof startHub>[0] = {}): Promise<HubProcess> {
  const h = await startHub(opts);
  running.push(h);
  return h;
}

describe('packwitness hub', () => {
  it('answers with READY, keeps its index in the embedded PostgreSQL inside DIR, and guards admin routes with the token', async () => {
    const h = await hub();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=hub-admin-/);
    expect(await (await fetch(`${h.origin}/api/health`)).json()).toEqual({ ok: true });
    const pgData = join(h.dataDir, 'postgres', 'data');
    expect(statSync(join(pgData, 'PG_VERSION')).isFile()).toBe(true);
    if (process.getuid?.() === 0) expect(statSync(pgData).uid).not.toBe(0); // run as the postgres user
    // No token, a wrong token: refused; the right one: a one-time pairing token.
    expect((await fetch(`${h.origin}/api/pairings`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${h.origin}/api/pairings`, { method: 'POST', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const p = await h.api('/api/pairings', { method: 'POST' });
    expect(p.status).toBe(200);
    const body = (await p.json()) as { token: string; expiresAt: string };
    expect(body.token).toMatch(/^pwp_[A-Za-z0-9_-]{32}$/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(await (await h.api('/api/stations')).json()).toEqual({ stations: [] });
    // A clean stop stops PostgreSQL too.
    const pgPid = embeddedPostgresPid(h.dataDir);
    expect(await h.stop()).toBe(0);
    await waitFor(() => !alive(pgPid), 10_000, 'PostgreSQL to stop with the hub');
  });

  it('after kill -9 restarts on the same folder: the PostgreSQL it left running is stopped, the index is kept', async () => {
    const first = await hub();
    const pgPid = embeddedPostgresPid(first.dataDir);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(alive(pgPid)).toBe(true); // PostgreSQL outlives a killed parent
    const second = await hub({ dataDir: first.dataDir });
    expect(alive(pgPid)).toBe(false);
    expect(second.stderr()).toMatch(/stopping the embedded PostgreSQL that a previous hub left running/);
    expect(second.stderr()).not.toMatch(/cluster created/); // the same cluster, not a new one
    expect((await second.api('/api/pairings', { method: 'POST' })).status).toBe(200);
  });

  it('answers 503 with one sentence while PostgreSQL is stopped, and recovers by itself', async () => {
    const h = await hub();
    process.kill(embeddedPostgresPid(h.dataDir), 'SIGINT'); // a fast shutdown, as an admin or a crash would
    const down = await waitFor(
      async () => {
        const r = await h.api('/api/stations');
        return r.status === 503 ? ((await r.json()) as { error: string; message: { 'zh-CN': string } }) : undefined;
      },
      10_000,
      'a 503 while PostgreSQL is down',
    );
    expect(down.error).toBe('The hub’s database is not answering right now; the hub keeps trying, so try again in a minute.');
    expect(down.message['zh-CN']).toMatch(/数据库/);
    await waitFor(async () => (await h.api('/api/stations')).status === 200, 20_000, 'the hub to answer again');
    expect((await fetch(`${h.origin}/api/health`)).status).toBe(200);
    expect(h.stderr()).toMatch(/the embedded PostgreSQL stopped; starting it again/);
  });

  it('refuses a second hub on the same folder, and (as root) a folder the postgres user cannot enter, in one sentence', async () => {
    const h = await hub();
    const again = spawnSync(process.execPath, [cliPath, 'hub', '--data', h.dataDir, '--port', '0'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toMatch(/^packwitness: Another hub \(pid \d+\) is already running on .*\. Stop it first, or use another --data folder\.$/);
    if (process.getuid?.() === 0) {
      const closed = mkdtempSync(join(tmpdir(), 'pw-hub-closed-')); // mode 0700
      const r = spawnSync(process.execPath, [cliPath, 'hub', '--data', join(closed, 'hub'), '--port', '0'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
      spawnSync('rm', ['-rf', closed]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`who cannot enter ${closed}`);
    }
    expect(tempHubDir()).not.toBe(h.dataDir);
  });
});
