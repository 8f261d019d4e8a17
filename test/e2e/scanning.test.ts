/**
 * The packer's scanning screen in a real Chromium against a real station: a keyboard-wedge scanner
 * (simulated by fast key presses) starts and stops clips from anywhere on the page, slow typing does
 * not, the manual box sends on Enter, and the command sheet prints four Code128 barcodes.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';
import { expectSound, personTypes, recordTones, scannerTypes, scannerTypesHeldUp, takeTones } from '../helpers/wedge-keys.js';

const SCREENSHOT = '/tmp/station-scanning.png';

const RECORDING = '[data-testid="recording-indicator"][data-recording="true"]';
const ACTIVE_CODES = '[data-testid="active-codes"]';
const SCAN_ROW = '[data-testid="scan-row"]';
const FLASH = '[data-testid="scan-flash"]';
const MANUAL = '[data-testid="manual-entry"]';

describe('scanning screen (Chromium)', () => {
  // An open page keeps an MJPEG stream to the station: each test's pages close after it.
  const fx = stationInBrowser();

  async function status(): Promise<StatusResponse> {
    return StatusResponse.parse(await (await fx.station.api(routes.status)).json());
  }

  async function scans(): Promise<ScansResponse['scans']> {
    return ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=50`)).json()).scans;
  }

  async function openScreen(locale = 'en-US'): Promise<Page> {
    return fx.newPage({ locale, viewport: { width: 1280, height: 720 }, beforeGoto: recordTones, ready: RECORDING });
  }

  /** Nothing focused: keys go to the document, as when a packer has not touched the screen. */
  async function focusNothing(page: Page): Promise<void> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }

  it('a scanner burst anywhere on the page starts a clip; slow typing does not; PW-STOP stops it', async () => {
    const page = await openScreen('en-US');
    const scansBefore = (await scans()).length;
    await focusNothing(page);

    // (a) A fast burst + Enter starts a clip.
    const first = 'SF1234567890123';
    await scannerTypes(page, first);
    await page.locator(ACTIVE_CODES, { hasText: first }).waitFor({ timeout: 5_000 });
    await page.locator(`${FLASH}[data-tone="started"]`, { hasText: first }).waitFor({ timeout: 5_000 });
    const started = await waitFor(async () => {
      const s = await status();
      return s.activeClipId !== null && s.activeCodes.includes(first) ? s : undefined;
    }, 5_000, 'the clip to start');
    expect(started.activeCodes).toEqual([first]);
    expect(await page.locator(RECORDING).count()).toBe(1);
    await page.locator(`${SCAN_ROW}[data-action="started"][data-code="${first}"]`).waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="active-elapsed"]').textContent()).toMatch(/^\d\d:\d\d$/);
    expect(await page.locator('[data-testid="clip-band"]').getAttribute('data-mode')).toBe('pack');
    const afterStart = await scans();
    expect(afterStart.length).toBe(scansBefore + 1);
    expect(afterStart[0]).toMatchObject({ code: first, action: 'started', raw: first });

    // The elapsed time ticks.
    const t0 = await page.locator('[data-testid="active-elapsed"]').textContent();
    await page.waitForTimeout(1_600);
    expect(await page.locator('[data-testid="active-elapsed"]').textContent()).not.toBe(t0);
    await page.screenshot({ path: SCREENSHOT });

    // (b) The characters of another code typed by a person, on the page: no scan at all.
    const second = 'SF9876543210987';
    await focusNothing(page);
    await personTypes(page, second);
    await page.keyboard.press('Enter');

    // Typing slowly into the manual box: nothing until Enter, then exactly one scan.
    const manual = '123456789012345678'; // a Taobao order number: the next parcel
    await page.locator(MANUAL).click();
    await personTypes(page, manual);
    expect(await page.locator(MANUAL).inputValue()).toBe(manual);
    await page.keyboard.press('Enter');
    await page.locator(`${SCAN_ROW}[data-action="switched"][data-code="${manual}"]`).waitFor({ timeout: 5_000 });
    // The page sends its scans one at a time in the order it read them, so the answer to the manual
    // scan comes after any the person's typing (b) or the slow keys in the box could have sent: the
    // log holds exactly the first scan and this one, and this one ended the first clip.
    const afterManual = await scans();
    expect(afterManual.length).toBe(scansBefore + 2);
    expect(afterManual[0]).toMatchObject({ code: manual, raw: manual, action: 'switched', endedId: started.activeClipId });
    expect(afterManual[1]).toMatchObject({ code: first, action: 'started' });
    expect(await page.locator(`${SCAN_ROW}[data-code="${second}"]`).count()).toBe(0);
    expect(await page.locator(MANUAL).inputValue()).toBe('');
    // The box gave the focus back, so the next scanner burst is heard by the page.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    const switched = await status();
    expect(switched.activeCodes).toEqual([manual]);
    expect(switched.activeClipId).not.toBe(started.activeClipId);
    await page.locator(ACTIVE_CODES, { hasText: manual }).waitFor({ timeout: 5_000 });

    // (c) PW-STOP as a fast burst stops the clip.
    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the clip to stop');
    await page.locator(`${SCAN_ROW}[data-action="stopped"][data-code="PW-STOP"]`).waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="active-codes-idle"]').waitFor({ timeout: 5_000 });
    expect((await scans())[0]).toMatchObject({ code: 'PW-STOP', action: 'stopped', id: switched.activeClipId });
  });

  it('takes scanners that end with Tab or with nothing, and a duplicate is loud', async () => {
    const page = await openScreen('zh-CN');
    await focusNothing(page);

    const code = 'YT1234567890';
    await scannerTypes(page, code, 'Tab');
    await waitFor(async () => ((await status()).activeCodes.includes(code) ? true : undefined), 5_000, 'a Tab-terminated scan');
    // The Tab did not move the focus: the next scan still goes to the page.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

    // No terminator: 80 ms of silence ends the scan. PW-CANCEL voids the clip.
    await scannerTypes(page, 'PW-CANCEL', null);
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'a terminator-less scan');
    expect((await scans())[0]).toMatchObject({ code: 'PW-CANCEL', action: 'stopped' });

    // The same waybill again: a new clip, with a duplicate warning (it is on the cancelled clip).
    await takeTones(page);
    await scannerTypes(page, code);
    await page.locator(`${FLASH}[data-duplicate="true"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'duplicate');
    await page.locator(`${SCAN_ROW}[data-duplicate="true"][data-code="${code}"]`).waitFor({ timeout: 5_000 });
    expect(await page.locator(FLASH).textContent()).toContain('重复');
    await page.screenshot({ path: '/tmp/station-scanning-duplicate.png' });
    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
  });

  it('takes a burst whose keys reach the page in two lots, 150 ms apart, as one scan', async () => {
    // Seen on the loaded test machine: one scan became two clips ("SF123456", then "7890123").
    const page = await openScreen('en-US');
    await focusNothing(page);
    const before = (await scans()).length;
    const code = 'SF1234567890123';
    await scannerTypesHeldUp(page, code, 8, 150);
    await waitFor(async () => ((await status()).activeCodes.includes(code) ? true : undefined), 5_000, 'the scan');
    await page.waitForTimeout(500);
    const after = await scans();
    expect(after.slice(0, after.length - before).map((s) => s.raw)).toEqual([code]);
    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
  });

  it('remembers the sound switch across reloads', async () => {
    const page = await openScreen('en-US');
    const toggle = page.locator('[data-testid="sound-toggle"]');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator(RECORDING).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="sound-toggle"]').getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => localStorage.getItem('packwitness.sounds'))).toBe('off');
  });

  it('prints the five command codes as Code128 barcodes from the station settings', async () => {
    const page = await openScreen('en-US');
    await page.locator('[data-testid="open-command-sheet"]').click();
    const sheet = page.locator('[data-testid="command-sheet"]');
    await sheet.waitFor();
    await page.locator('[data-testid="command-barcode"] rect').first().waitFor({ timeout: 5_000 });
    expect(await sheet.locator('svg[data-testid="command-barcode"]').count()).toBe(5);
    const cards = await sheet.locator('[data-testid="command-card"]').evaluateAll((els) =>
      els.map((e) => ({ code: e.getAttribute('data-code'), text: e.textContent ?? '', bars: e.querySelectorAll('svg rect').length })),
    );
    expect(cards.map((c) => c.code)).toEqual(['PW-STOP', 'PW-CANCEL', 'PW-PACK', 'PW-RETURN', 'PW-SHIP']);
    for (const [c, caption] of cards.map((c, i) => [c, ['停止 STOP', '作废 CANCEL', '打包模式 PACK MODE', '退货模式 RETURN MODE', '发货交接模式 HAND-OVER MODE'][i]!] as const)) {
      expect(c.text).toContain(caption);
      // Human-readable text under the bars, and real bars.
      expect(c.text).toContain(c.code);
      expect(c.bars).toBeGreaterThan(10);
    }
    await page.screenshot({ path: '/tmp/station-command-sheet.png' });

    // A scanner burst while the sheet is open still works (the packer tries a code on the screen).
    await scannerTypes(page, 'PW-RETURN');
    await waitFor(async () => ((await status()).mode === 'return' ? true : undefined), 5_000, 'the mode to change');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    await page.locator('[data-testid="clip-band"][data-mode="return"]').waitFor({ timeout: 5_000 });
    await scannerTypes(page, 'PW-PACK');
    await waitFor(async () => ((await status()).mode === 'pack' ? true : undefined), 5_000, 'the mode to change back');
  });
});
