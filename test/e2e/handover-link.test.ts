/**
 * Hand-over mode in a real Chromium against a real station: the clip page of a parcel's
 * packing clip says when and where it was packed and handed over, links the hand-over clip, and the
 * link opens it (which links back), in English and Chinese; the settings screen's dispatch-point toggle.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatusResponse, routes, type Clip } from '../../shared/api.js';
import { getClip as clipOf, scan as scanCode, stationRecording } from '../helpers/station-api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

const WAYBILL = 'SF2718281828459';
const BENCH = '3号台 <b>Bench</b>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the clip page links a parcel’s packing and hand-over clips (Chromium)', () => {
  // A bench name with markup in it: shown as text, never as HTML.
  const fx = stationInBrowser({ station: { args: ['--station', BENCH] } });

  let packed: Clip;
  let handedOver: Clip;

  const scan = (code: string) => scanCode(fx.station, code);
  const getClip = (id: number) => clipOf(fx.station, id);

  beforeAll(async () => {
    await stationRecording(fx.station);
    const pack = await scan(WAYBILL);
    await sleep(2_000);
    await scan('PW-STOP');
    await sleep(2_500);
    expect((await scan('PW-SHIP')).mode).toBe('ship');
    const ship = await scan(WAYBILL);
    expect(ship).toMatchObject({ action: 'started', mode: 'ship' });
    await sleep(2_000);
    await scan('PW-STOP');
    const ready = (id: number) => waitFor(async () => ((await getClip(id)).video ? getClip(id) : undefined), 30_000, `clip ${id}'s video`);
    [packed, handedOver] = await Promise.all([ready(pack.id!), ready(ship.id!)]);
  }, 90_000);

  async function openClip(locale: string, id: number): Promise<Page> {
    return fx.newPage({ locale, hash: `#/clips/${id}`, ready: `[data-testid="clip-page"][data-clip-id="${id}"]` });
  }

  const hhmm = (iso: string, locale: string): string => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

  it('says "packed … at …, handed over … at …", and the link opens the hand-over clip, which links back', async () => {
    const page = await openClip('en-US', packed.id);
    const trail = page.locator('[data-testid="parcel-trail"]');
    await trail.waitFor({ timeout: 10_000 });
    expect(await trail.textContent()).toBe(`Packed ${hhmm(packed.startedAt, 'en-US')} at ${BENCH}, handed over ${hhmm(handedOver.startedAt, 'en-US')} at ${BENCH}`);
    // The bench name is text: its markup made no element.
    expect(await trail.locator('b').count()).toBe(0);
    expect(await page.locator('.clip-page__badges .badge--mode-pack').textContent()).toBe('Packing');
    const link = trail.locator('[data-testid="parcel-trail-link"]');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('data-clip-id')).toBe(String(handedOver.id));
    await page.screenshot({ path: '/tmp/handover-packed-clip.png' });

    await link.click();
    await page.locator(`[data-testid="clip-page"][data-clip-id="${handedOver.id}"]`).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).hash).toBe(`#/clips/${handedOver.id}`);
    expect(await page.locator('.clip-page__badges .badge--mode-ship').textContent()).toBe('Hand-over');
    expect(await page.locator('[data-testid="parcel-trail-self"]').textContent()).toBe(`handed over ${hhmm(handedOver.startedAt, 'en-US')} at ${BENCH}`);
    const back = page.locator('[data-testid="parcel-trail-link"]');
    expect(await back.getAttribute('data-clip-id')).toBe(String(packed.id));
    await back.click();
    await page.locator(`[data-testid="clip-page"][data-clip-id="${packed.id}"]`).waitFor({ timeout: 10_000 });
  }, 60_000);

  it('says it in Chinese', async () => {
    const page = await openClip('zh-CN', handedOver.id);
    const trail = page.locator('[data-testid="parcel-trail"]');
    await trail.waitFor({ timeout: 10_000 });
    expect(await trail.textContent()).toBe(`${hhmm(packed.startedAt, 'zh-CN')} 在 ${BENCH} 打包，${hhmm(handedOver.startedAt, 'zh-CN')} 在 ${BENCH} 发货交接`);
    expect(await page.locator('.clip-page__badges .badge--mode-ship').textContent()).toBe('发货交接');
    await page.screenshot({ path: '/tmp/handover-clip-zh.png' });
  }, 30_000);

  it('the settings screen makes this bench the dispatch point: the next clip is a hand-over', async () => {
    expect((await scan('PW-PACK')).mode).toBe('pack');
    const page = await openClip('zh-CN', packed.id);
    await page.goto(`${fx.station.url}#/settings`, { waitUntil: 'domcontentloaded' });
    const box = page.locator('[data-testid="dispatch-point"]');
    await box.waitFor({ timeout: 15_000 });
    expect(await box.isChecked()).toBe(false);
    expect(await page.locator('[data-testid="settings-scan"]').textContent()).toContain('本工位是发货交接点');
    expect(await page.locator('[data-testid="handover-clip"]').inputValue()).toBe('30');
    await box.check();
    await page.locator('[data-testid="settings-scan-save"]').click();
    await page.locator('[data-testid="settings-scan-feedback"][data-state="saved"]').waitFor({ timeout: 10_000 });
    const status = StatusResponse.parse(await (await fx.station.api(routes.status)).json());
    expect(status.mode).toBe('ship');
  }, 30_000);
});
