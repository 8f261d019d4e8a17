/**
 * The hub's library in a real Chromium: the station's React library and clip page, served
 * by a real hub (embedded PostgreSQL) over two real stations on the demo camera. Customer service
 * types a fragment, sees both benches' clips, narrows to one bench with the station filter, opens a
 * clip, which says which bench recorded it, plays the hub's copy and offers the sealed bundle. The
 * statistics page counts the parcels of every bench, or of the bench chosen, with its CSV.
 */
import { generateKeyPairSync } from 'node:crypto';
import { joinProofText, signText } from '../../electron/hub/protocol.js';
import { fingerprintOf } from '../../electron/station/evidence/station-keys.js';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HubStationsResponse } from '../../shared/api.js';
import { hubInBrowser } from '../helpers/hub-browser.js';
import { pairingToken, type HubProcess } from '../helpers/hub-process.js';
import { recordClip } from '../helpers/station-api.js';
import { waitFor, type StationProcess } from '../helpers/station-process.js';

const fx = hubInBrowser({ stations: [{ args: ['--station', 'Bench A'] }, { args: ['--station', 'Bench B'] }] });
let hub: HubProcess;
let a: StationProcess;
let b: StationProcess;
beforeAll(() => {
  hub = fx.hub;
  [a, b] = fx.stations as [StationProcess, StationProcess];
});

interface HubSummary {
  id: number;
  station: string;
  hasVideo: boolean;
}

async function onHub(code: string): Promise<HubSummary> {
  return waitFor(async () => ((await (await hub.api(`/api/clips?q=${code}`)).json()) as { items: HubSummary[] }).items.find((c) => c.hasVideo), 40_000, `${code} on the hub`);
}

function openHub(hash: string): Promise<Page> {
  // The READY URL trades the token for the cookie and redirects to '/': the hash goes along.
  return fx.openPage({ hash });
}

describe('hub library (Chromium)', () => {
  it('finds both benches’ clips by a fragment, filters by station, and plays a clip with its bench named', async () => {
    await Promise.all([recordClip(a, 'SF4000555666', { timeoutMs: 20_000 }), recordClip(b, 'YT5000555666', { timeoutMs: 20_000 })]);
    const [hubA, hubB] = await Promise.all([onHub('SF4000555666'), onHub('YT5000555666')]);

    const page = await openHub('#/library?q=555666');
    await page.locator('[data-testid="clip-results"][data-status="ready"][data-query="555666"]').waitFor({ timeout: 15_000 });
    const rows = page.locator('[data-testid="clip-row"]');
    expect((await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-clip-id'))))).sort()).toEqual([hubA.id, hubB.id].sort());
    const text = await page.locator('[data-testid="clip-results"]').textContent();
    expect(text).toContain('Bench A');
    expect(text).toContain('Bench B');
    // No station screen on the hub: the library is the whole app, with no station pill.
    expect(await page.locator('[data-testid="nav-station"]').count()).toBe(0);
    expect(await page.locator('[data-testid="station-pill"]').count()).toBe(0);

    await page.goto(`${hub.origin}/#/library?q=555666&station=${encodeURIComponent('Bench B')}`);
    await page.locator('[data-testid="clip-results"][data-status="ready"]').waitFor({ timeout: 15_000 });
    await waitFor(async () => (await rows.count()) === 1, 10_000, 'one row for Bench B');
    expect(await rows.first().getAttribute('data-clip-id')).toBe(String(hubB.id));

    await page.goto(`${hub.origin}/#/clips/${hubA.id}`);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${hubA.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="hub-clip-station"]').textContent()).toBe('Bench A');
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.readyState ?? 0) >= 1, null, { timeout: 15_000 });
    const duration = await page.locator('[data-testid="clip-video"]').evaluate((v) => (v as HTMLVideoElement).duration);
    expect(duration).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="hub-export"]').getAttribute('href')).toBe(`/api/clips/${hubA.id}/export`);
    // The bundle link answers with the zip to this browser (its cookie), not to anyone else.
    const zip = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type') };
    }, `/api/clips/${hubA.id}/export`);
    expect(zip).toEqual({ status: 200, type: 'application/zip' });
    expect((await fetch(`${hub.origin}/api/clips/${hubA.id}/export`)).status).toBe(401);
  });

  it('lists the stations: the two benches online and recording with an empty backlog, a paired one never heard from offline', async () => {
    // A station that paired (with a key of its own) but never sent anything.
    const token = await pairingToken(hub);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const fingerprint = fingerprintOf(publicKey);
    const join = await fetch(`${hub.origin}/api/hub/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingToken: token, stationName: '<b>Bench C</b>', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), proof: signText(privateKey, joinProofText(token, fingerprint)) }),
    });
    expect(join.status).toBe(200);
    const silentId = ((await join.json()) as { stationId: number }).stationId;

    const page = await openHub('#/stations');
    await page.locator('[data-testid="stations-page"][data-status="ready"]').waitFor({ timeout: 15_000 });
    const rows = page.locator('[data-testid="station-row"]');
    await waitFor(async () => (await rows.count()) === 3, 10_000, 'three stations');
    const online = await page.locator('[data-testid="station-row"][data-online="true"]').allInnerTexts();
    expect(online).toHaveLength(2);
    expect(online.join('\n')).toMatch(/Bench A\s+Online/);
    expect(online.join('\n')).toMatch(/Bench B\s+Online/);
    for (const row of online) expect(row).toMatch(/Yes\s+0/); // recording, nothing waiting
    const silent = page.locator(`[data-testid="station-row"][data-station-id="${silentId}"]`);
    expect(await silent.getAttribute('data-online')).toBe('false');
    // A name from a station is text, never markup.
    expect(await silent.innerText()).toMatch(/^<b>Bench C<\/b>\s+Offline\s+Never/);
    expect(await page.locator('[data-testid="station-row"] b').count()).toBe(0);
    // In Chinese too.
    await page.locator('button[lang="zh-CN"]').click();
    await waitFor(async () => (await silent.innerText()).includes('离线'), 5_000, 'the Chinese page');
    expect(await silent.innerText()).toContain('从未');
  });

  it('counts the parcels of every bench on the statistics page, and of the bench chosen in the station filter, with its CSV', async () => {
    await recordClip(b, 'YT5000777888', { timeoutMs: 20_000 });
    await onHub('YT5000777888');
    const page = await openHub('#/library');
    // The hub's own links come with its session: clicking before it arrived could land on a link that moved.
    await page.locator('[data-testid="nav-first-admin"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="nav-stats"]').click();
    await page.locator('[data-testid="stats"]').waitFor({ timeout: 15_000 });
    // Bench A one parcel, Bench B two.
    const parcels = page.locator('[data-testid="stats-parcels"]');
    await expect.poll(() => parcels.textContent(), { timeout: 10_000 }).toBe('3');
    const stations = HubStationsResponse.parse(await (await hub.api('/api/stations')).json()).stations;
    const benchB = stations.find((s) => s.name === 'Bench B')!;
    const select = page.locator('[data-testid="stats-station"]');
    expect(await select.locator('option').allTextContents()).toEqual(expect.arrayContaining(['All stations', 'Bench A', 'Bench B']));
    expect(await select.inputValue()).toBe('');
    await select.selectOption(String(benchB.id));
    await expect.poll(() => parcels.textContent(), { timeout: 10_000 }).toBe('2');
    const href = await page.locator('[data-testid="stats-csv"]').getAttribute('href');
    const url = new URL(href!, hub.origin);
    expect(url.searchParams.get('stationId')).toBe(String(benchB.id));
    const csv = await page.request.get(url.toString());
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('\r\ntotal,,,,2,');
    await select.selectOption('');
    await expect.poll(() => parcels.textContent(), { timeout: 10_000 }).toBe('3');
    expect(new URL((await page.locator('[data-testid="stats-csv"]').getAttribute('href'))!, hub.origin).searchParams.has('stationId')).toBe(false);
  });
});
