/**
 * In Chromium: a bench PC left on another screen than the station screen still takes scans.
 * On the library, a clip page, health and settings a scanner's burst is sent as a scan, with the usual
 * sound, shown in a corner with the code, the outcome and the way back to the station screen; a burst
 * that landed in a field is taken out of it again, while a person's typing stays typing (the rule
 * tester keeps its scans: that is what it is for).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';
import { expectSound, personTypes, recordTones, scannerTypes, takeTones } from '../helpers/wedge-keys.js';

const TOAST = '[data-testid="scan-toast"]';

describe('scans on every screen of the operator (Chromium)', () => {
  const fx = stationInBrowser();

  let clip: Clip;

  const post = async (code: string) =>
    ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());
  const lastScan = async () => ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=1`)).json()).scans[0];
  const scanCount = async () => ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=200`)).json()).scans.length;
  /** Each test starts with no clip open, whatever the one before left. */
  const noClipOpen = async () => {
    if ((await status()).activeClipId !== null) expect((await post('PW-CANCEL')).action).toBe('stopped');
  };

  beforeAll(async () => {
    await waitFor(async () => ((await status()).segmentCount > 0 ? true : undefined), 30_000, 'the first segment');
    // A clip to open a clip page on.
    const started = await post('SF3141592653589');
    await new Promise((r) => setTimeout(r, 2_000));
    await post('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await fx.station.api(routes.clip(started.id!))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the clip video');
  }, 90_000);
  async function open(locale: string, hash: string): Promise<Page> {
    // The READY URL trades the token for the cookie and redirects to '/': the hash goes along.
    return fx.newPage({ locale, hash, viewport: { width: 1366, height: 768 }, beforeGoto: recordTones });
  }

  it('library (en): a burst into the search box is a scan and leaves the box as the person typed it; the toast leads back to the station screen', async () => {
    const page = await open('en-US', '#/library');
    const box = page.locator('[data-testid="clip-search"]');
    await box.waitFor({ timeout: 10_000 });
    // The search box has the focus, as the library gives it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 5_000 }).toBe('clip-search');
    const before = await scanCount();
    await personTypes(page, '535');
    await page.locator('[data-testid="clip-results"][data-query="535"]').waitFor({ timeout: 10_000 });
    expect(await scanCount()).toBe(before);
    await takeTones(page);

    const code = '123456789012345678';
    await scannerTypes(page, code);
    const toast = page.locator(`${TOAST}[data-tone="started"]`);
    await toast.waitFor({ timeout: 5_000 });
    expect(await toast.locator('[data-testid="scan-toast-code"]').textContent()).toBe(code);
    expect(await toast.locator('[data-testid="scan-toast-text"]').textContent()).toBe(`Recording ${code}`);
    await expectSound(page, 'started');
    expect((await status()).activeCodes).toEqual([code]);
    expect(await lastScan()).toMatchObject({ code, raw: code, action: 'started' });
    // The box holds what the person typed, not the code, and the search is the person's again.
    await expect.poll(() => box.inputValue(), { timeout: 5_000 }).toBe('535');
    await expect.poll(() => new URL(page.url()).hash, { timeout: 5_000 }).toBe('#/library?q=535');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('clip-search');
    await page.screenshot({ path: '/tmp/bench-scan-library.png' });

    // The person goes on typing in the box: still typing.
    await personTypes(page, '89');
    await expect.poll(() => box.inputValue(), { timeout: 5_000 }).toBe('53589');
    expect(await scanCount()).toBe(before + 1);

    await toast.locator('[data-testid="scan-toast-back"]').click();
    await page.locator('[data-testid="recording-indicator"]').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).hash).toBe('#/');
  });

  it('clip page (zh-CN): a burst with nothing focused is a scan, told in Chinese', async () => {
    const page = await open('zh-CN', `#/clips/${clip.id}`);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clip.id}"]`).waitFor({ timeout: 10_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await takeTones(page);
    if ((await status()).activeClipId === null) expect((await post('555555555555555555')).action).toBe('started');
    await scannerTypes(page, 'PW-STOP', 'Tab');
    const toast = page.locator(`${TOAST}[data-tone="stopped"]`);
    await toast.waitFor({ timeout: 5_000 });
    expect(await toast.locator('[data-testid="scan-toast-text"]').textContent()).toMatch(/^录制结束：\S+，时长 (\d+ 分 )?\d+ 秒$/);
    expect(await toast.locator('[data-testid="scan-toast-back"]').textContent()).toBe('← 返回工位画面');
    await expectSound(page, 'stopped');
    expect((await status()).activeClipId).toBeNull();
    // The Tab did not move the focus, and the page stayed where it was.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(new URL(page.url()).hash).toBe(`#/clips/${clip.id}`);
  });

  it('health (en): a scanner without a terminator is heard too, and a rejected code is loud', async () => {
    await noClipOpen();
    const page = await open('en-US', '#/health');
    await page.locator('[data-testid="health-updated"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await takeTones(page);
    await scannerTypes(page, 'YT1234567890', null);
    await page.locator(`${TOAST}[data-tone="started"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'started');
    expect((await status()).activeCodes).toEqual(['YT1234567890']);
    await scannerTypes(page, 'XX-NOT*A*CODE');
    await page.locator(`${TOAST}[data-tone="rejected"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'rejected');
    await scannerTypes(page, 'PW-STOP');
    await page.locator(`${TOAST}[data-tone="stopped"]`).waitFor({ timeout: 5_000 });
  });

  it('settings (zh-CN): a burst into a settings field is taken out of it; the rule tester keeps what is scanned into it', async () => {
    await noClipOpen();
    const page = await open('zh-CN', '#/settings');
    const name = page.locator('[data-testid="station-name"]');
    await expect.poll(() => name.inputValue(), { timeout: 10_000 }).toBe('Station 1');
    await name.click();
    await page.keyboard.press('End');
    await takeTones(page);
    await scannerTypes(page, '987654321098765432');
    await page.locator(`${TOAST}[data-tone="started"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'started');
    expect((await status()).activeCodes).toEqual(['987654321098765432']);
    await expect.poll(() => name.inputValue(), { timeout: 5_000 }).toBe('Station 1');
    // Nothing to save: the field is as it was.
    expect(await page.locator('[data-testid="settings-station-feedback"]').getAttribute('data-state')).toBe('idle');

    // The rule tester: a label scanned into it is tested, not sent.
    const before = await scanCount();
    const tester = page.locator('[data-testid="scan-tester-input"]');
    await tester.click();
    await scannerTypes(page, 'SF1234567890123', null);
    await expect.poll(() => tester.inputValue(), { timeout: 5_000 }).toBe('SF1234567890123');
    await expect.poll(() => page.locator('[data-testid="scan-tester-result"]').getAttribute('data-kind'), { timeout: 5_000 }).toBe('waybill');
    expect(await scanCount()).toBe(before);

    await name.click();
    await scannerTypes(page, 'PW-STOP');
    await page.locator(`${TOAST}[data-tone="stopped"]`).waitFor({ timeout: 5_000 });
    expect((await status()).activeClipId).toBeNull();
    await page.screenshot({ path: '/tmp/bench-scan-settings.png' });
  });
});
