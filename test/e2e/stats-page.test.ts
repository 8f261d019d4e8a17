/**
 * In Chromium, in Chinese: the statistics page shows today's parcels per packer (a parcel
 * packed before anyone signed in under "nobody"), per day and per hour, the same numbers as the
 * station's API, each badge under its name from the packers list, a period that makes no sense as one
 * sentence, and the CSV of the same period.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ScanResponse, StatusResponse, StatsResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

const ALICE = '王丽 <b>A</b>';

describe('the packing statistics page (Chromium, zh-CN)', () => {
  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());
  const scan = async (code: string) =>
    ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());

  const fx = stationInBrowser({
    setup: async () => {
      await waitFor(async () => ((await status()).recording ? true : undefined), 20_000, 'the demo camera to record');
      // PK-ALICE has a name (markup in it stays text); PK-BOB's badge is not listed.
      const named = await fx.station.api(routes.packers, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'PK-ALICE', name: ALICE }) });
      expect(named.status).toBe(201);
      // One parcel before anyone signs in, three by PK-ALICE, two by PK-BOB: one scan ends the last clip and starts the next.
      const plan: Array<string> = ['771000000000001', 'PW-STOP', 'PK-ALICE', '771000000000002', '771000000000003', '771000000000004', 'PW-STOP', 'PK-BOB', '771000000000005', '771000000000006', 'PW-STOP'];
      for (const code of plan) {
        const r = await scan(code);
        expect(['started', 'switched', 'stopped', 'packer']).toContain(r.action);
        await new Promise((res) => setTimeout(res, 400));
      }
      await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 10_000, 'the last stop');
    },
    page: { locale: 'zh-CN', viewport: { width: 1366, height: 768 } },
    timeoutMs: 90_000,
  });
  beforeAll(async () => {
    await fx.page.locator('[data-testid="nav-stats"]').click();
    await fx.page.locator('[data-testid="stats"]').waitFor({ timeout: 10_000 });
  });

  it('shows each packer\'s parcels, per day and per hour, as the API counts them', async () => {
    expect(await fx.page.locator('.library__title').textContent()).toBe('打包统计');
    expect(await fx.page.locator('[data-testid="stats-parcels"]').textContent()).toBe('6');
    const row = (packer: string) => fx.page.locator(`[data-testid="stats-packers"] tr[data-packer="${packer}"]`);
    expect(await row('PK-ALICE').locator('[data-testid="packer-parcels"]').textContent()).toBe('3');
    expect(await row('PK-BOB').locator('[data-testid="packer-parcels"]').textContent()).toBe('2');
    expect(await row('').locator('th').textContent()).toBe('未登录打包员');
    // Each badge under its name, the code small beside it; a badge without a name shows its code once.
    expect(await row('PK-ALICE').locator('[data-testid="packer-name"]').textContent()).toBe(ALICE);
    expect(await row('PK-ALICE').locator('[data-testid="packer-code"]').textContent()).toBe('PK-ALICE');
    expect(await row('PK-ALICE').locator('b').count()).toBe(0);
    expect(await row('PK-BOB').locator('th').textContent()).toBe('PK-BOB');
    expect(await fx.page.locator('[data-testid="stats-daily"] thead').textContent()).toContain(ALICE);
    expect(await row('').locator('[data-testid="packer-parcels"]').textContent()).toBe('1');
    // Highest first.
    expect(await fx.page.locator('[data-testid="stats-packers"] tbody tr').first().getAttribute('data-packer')).toBe('PK-ALICE');

    // Today's row per day and the hours add up to the same six parcels.
    const now = new Date();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    const day = fx.page.locator(`[data-testid="stats-daily"] tr[data-period="${today}"]`);
    expect(await day.locator('td[data-packer="PK-ALICE"]').textContent()).toBe('3');
    expect(await day.locator('[data-testid="period-total"]').textContent()).toBe('6');
    const hours = (await fx.page.locator('[data-testid="stats-hourly"] [data-testid="period-total"]').allTextContents()).map(Number);
    expect(hours.reduce((a, b) => a + b, 0)).toBe(6);

    // The page's numbers are the API's for the same period (whose own sums are checked against SQL in test/unit/orders-stats.test.ts).
    const csv = await fx.page.locator('[data-testid="stats-csv"]').getAttribute('href');
    const query = new URL(csv!, fx.station.origin).search;
    const api = StatsResponse.parse(await (await fx.station.api(`${routes.stats}${query}`)).json());
    expect(api.packers.map((p) => [p.packer, p.parcels]).sort()).toEqual([[null, 1], ['PK-ALICE', 3], ['PK-BOB', 2]].sort());
    const median = await fx.page.locator('[data-testid="stats-median"]').textContent();
    expect(median).toMatch(/^\d+\.\d s$/);
    expect(Math.abs(Number.parseFloat(median!) * 1000 - api.medianPackingMs!)).toBeLessThan(100);
    await fx.page.screenshot({ path: '/tmp/stats-page.png', fullPage: true });
  });

  it('downloads the same period as CSV', async () => {
    const href = await fx.page.locator('[data-testid="stats-csv"]').getAttribute('href');
    const res = await fx.page.request.get(new URL(href!, fx.station.origin).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    const text = await res.text();
    expect(text).toContain(`\r\ntotal,,PK-ALICE,${ALICE},3,`);
    expect(text).toContain('\r\ntotal,,PK-BOB,PK-BOB,2,');
  });

  it('says what is wrong with a period instead of asking the station', async () => {
    const requests: string[] = [];
    fx.page.on('request', (r) => r.url().includes(routes.stats) && requests.push(r.url()));
    await fx.page.locator('[data-testid="stats-to"]').fill('2026-01-01');
    await fx.page.locator('[data-testid="stats-from"]').fill('2026-02-01');
    expect(await fx.page.locator('[data-testid="stats-period-error"]').textContent()).toBe('结束日期早于开始日期。');
    expect(await fx.page.locator('[data-testid="stats-csv"]').count()).toBe(0);
    expect(requests).toEqual([]);
    // A period with no parcels: said so, no tables.
    await fx.page.locator('[data-testid="stats-to"]').fill('2026-02-02');
    await fx.page.locator('[data-testid="stats-empty"]').waitFor({ timeout: 10_000 });
    expect(await fx.page.locator('[data-testid="stats-parcels"]').textContent()).toBe('0');
    // Back to today with a preset.
    expect(await fx.page.locator('[data-testid="stats-preset-today"]').textContent()).toBe('今天');
    await fx.page.locator('[data-testid="stats-preset-today"]').click();
    await expect.poll(() => fx.page.locator('[data-testid="stats-parcels"]').textContent(), { timeout: 10_000 }).toBe('6');
  });
});
