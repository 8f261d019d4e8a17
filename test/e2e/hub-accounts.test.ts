/**
 * Office accounts on the hub in a real Chromium: a new hub opened from its READY link asks for its
 * first admin; the admin adds a customer-service account on the Users page and logs out; the service
 * user logs in by name and finds a real station's clip in the library, with their name and a logout in
 * the header and no Users page; the export they make is audited under their name.
 */
import { describe, expect, it } from 'vitest';
import type { HubAuditResponse } from '../../shared/api.js';
import { hubInBrowser } from '../helpers/hub-browser.js';
import { recordClip } from '../helpers/station-api.js';
import { waitFor } from '../helpers/station-process.js';

const fx = hubInBrowser({ stations: [{ args: ['--station', 'Bench A'] }] });

describe('hub accounts (Chromium)', () => {
  it('creates the first admin from the READY link, adds a service user, who logs in and sees the library', async () => {
    const hub = fx.hub;
    await recordClip(fx.stations[0]!, 'SF7000123456', { timeoutMs: 20_000 });
    await waitFor(async () => ((await (await hub.api('/api/clips?q=123456')).json()) as { items: unknown[] }).items.length > 0 || undefined, 40_000, 'the clip on the hub');

    const admin = await fx.openPage();
    await admin.locator('[data-testid="first-admin"]').waitFor({ timeout: 15_000 });
    await admin.fill('[data-testid="first-admin-name"]', 'Boss Li');
    await admin.fill('[data-testid="first-admin-password"]', 'correct horse battery');
    await admin.fill('[data-testid="first-admin-again"]', 'correct horse battery');
    await admin.click('[data-testid="first-admin-submit"]');
    await admin.locator('[data-testid="hub-user"]').waitFor({ timeout: 15_000 });
    expect(await admin.locator('[data-testid="hub-user"]').textContent()).toBe('Boss Li');

    await admin.click('[data-testid="nav-users"]');
    await admin.locator('[data-testid="user-row"][data-name="Boss Li"]').waitFor({ timeout: 10_000 });
    await admin.fill('[data-testid="user-name"]', 'Desk Wang');
    await admin.selectOption('[data-testid="user-role-select"]', 'service');
    await admin.fill('[data-testid="user-password"]', 'service-desk-2026');
    await admin.click('[data-testid="user-add-submit"]');
    await admin.locator('[data-testid="user-row"][data-name="Desk Wang"]').waitFor({ timeout: 10_000 });
    // The last admin cannot disable themself: the hub's sentence is shown.
    await admin.locator('[data-testid="user-row"][data-name="Boss Li"] [data-testid="user-toggle"]').click();
    await expect.poll(() => admin.locator('[data-testid="users-error"]').textContent(), { timeout: 10_000 }).toContain('last admin');
    await admin.click('[data-testid="logout"]');
    await admin.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });

    // The READY link has done its job: opened again, it asks for a login, not a first admin.
    const desk = await fx.openPage({ hash: '#/library?q=123456' });
    await desk.locator('[data-testid="login-name"]').waitFor({ timeout: 15_000 });
    await desk.fill('[data-testid="login-name"]', 'Desk Wang');
    await desk.fill('[data-testid="login-password"]', 'wrong password here');
    await desk.click('[data-testid="login-submit"]');
    expect(await desk.locator('[data-testid="login-error"]').textContent()).toBe('Wrong name or password, or this account is disabled.');
    await desk.fill('[data-testid="login-name"]', 'Desk Wang');
    await desk.fill('[data-testid="login-password"]', 'service-desk-2026');
    await desk.click('[data-testid="login-submit"]');
    await desk.locator('[data-testid="clip-results"][data-status="ready"][data-query="123456"]').waitFor({ timeout: 15_000 });
    expect(await desk.locator('[data-testid="clip-row"]').count()).toBe(1);
    expect(await desk.locator('[data-testid="clip-results"]').textContent()).toContain('Bench A');
    expect(await desk.locator('[data-testid="hub-user"]').textContent()).toBe('Desk Wang');
    expect(await desk.locator('[data-testid="nav-users"]').count()).toBe(0);
    // The export the service user makes is in the audit log under their name.
    const hubClipId = ((await (await hub.api('/api/clips?q=123456')).json()) as { items: { id: number }[] }).items[0]!.id;
    const zip = await desk.request.get(`${hub.origin}/api/clips/${hubClipId}/export`);
    expect(zip.status()).toBe(200);
    const events = ((await (await hub.api('/api/audit')).json()) as HubAuditResponse).events;
    expect(events.find((e) => e.kind === 'export-made')).toMatchObject({ actor: 'Desk Wang', detail: { clipId: hubClipId } });
    expect(events.find((e) => e.kind === 'login-refused')).toMatchObject({ actor: 'Desk Wang' });
  }, 150_000);
});
