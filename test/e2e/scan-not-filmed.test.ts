/**
 * In Chromium: what a packer sees and hears when a scan comes while the camera is down (the
 * error look and sound, said until recording resumes, never the green "Recording" and the OK beep),
 * and when the label of the parcel being packed is scanned again (a short tick: the clip goes on).
 * The camera is a tcp:// stream this test kills and starts again.
 */
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { freePort, startNetworkCamera } from '../helpers/network-camera.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { startStation, waitFor } from '../helpers/station-process.js';
import { expectSound, recordTones, scannerTypes, takeTones } from '../helpers/wedge-keys.js';

const FLASH = '[data-testid="scan-flash"]';
const BANNER = '[data-testid="not-recording-banner"]';
/** renderer scan-store.ts: how long an ordinary flash stays. */
const FLASH_MS = 3_000;

describe('a scan while the camera is down (Chromium)', () => {
  let camera: ChildProcess | null = null;
  let port = 0;

  const fx = stationInBrowser({
    start: async () => {
      port = await freePort();
      camera = await startNetworkCamera(port, 15);
      return startStation({ camera: `tcp://127.0.0.1:${port}` });
    },
  });
  afterAll(() => {
    camera?.kill('SIGKILL');
  });

  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());
  const scanLog = async () => ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=200`)).json()).scans;

  async function openStation(locale: string): Promise<Page> {
    const page = await fx.newPage({
      locale,
      viewport: { width: 1366, height: 768 },
      beforeGoto: recordTones,
      ready: '[data-testid="recording-indicator"][data-recording="true"]',
      readyTimeoutMs: 20_000,
    });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    return page;
  }

  it('answers with the red look and the error sound, says it until recording resumes, then scans are normal again', async () => {
    const page = await openStation('en-US');

    // Recording: a start is green with the OK beep.
    await scannerTypes(page, '111111111111111111');
    await page.locator(`${FLASH}[data-tone="started"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'started');
    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
    await page.locator(`${FLASH}[data-tone="stopped"]`).waitFor({ timeout: 5_000 });
    await expectSound(page, 'stopped');

    camera!.kill('SIGKILL');
    camera = null;
    await page.locator(`${BANNER}[data-reason="camera-not-recording"]`).waitFor({ timeout: 10_000 });
    await takeTones(page);

    const code = '123456789012345678';
    await scannerTypes(page, code);
    const flash = page.locator(`${FLASH}[data-tone="not-filmed"]`);
    await flash.waitFor({ timeout: 5_000 });
    expect(await flash.getAttribute('data-filmed')).toBe('false');
    expect(await flash.locator('.scan-flash__text').textContent()).toBe('⚠ Camera not recording: this parcel is NOT being filmed');
    expect(await flash.locator('.scan-flash__other').textContent()).toBe('摄像头没有在录像：这个包裹没有被拍下来');
    // What the scan did, without the usual "Recording …", which would be untrue.
    expect(await flash.locator('.scan-flash__detail').textContent()).toBe(`Started: ${code}`);
    expect(await page.locator(`${FLASH}[data-tone="started"]`).count()).toBe(0);
    await expectSound(page, 'notFilmed');
    // The clip band says it too, for as long as it lasts.
    await page.locator('[data-testid="clip-band"][data-filmed="false"] [data-testid="clip-not-filmed"]').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: '/tmp/station-not-filmed.png' });

    // Still there well after an ordinary flash would have gone.
    await page.waitForTimeout(FLASH_MS + 1_500);
    expect(await flash.count()).toBe(1);
    expect(await page.locator('[data-testid="clip-not-filmed"]').count()).toBe(1);

    // The camera returns: the warning goes by itself, and the next scan is an ordinary one.
    camera = await startNetworkCamera(port, 15);
    await page.locator('[data-testid="recording-indicator"][data-recording="true"]').waitFor({ timeout: 20_000 });
    await flash.waitFor({ state: 'detached', timeout: 5_000 });
    await page.locator('[data-testid="clip-band"][data-filmed="true"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="clip-not-filmed"]').count()).toBe(0);

    // The same label again, past the double-scan window: "already recording", a short tick, the clip goes on.
    await takeTones(page);
    const before = await status();
    await scannerTypes(page, code);
    const still = page.locator(`${FLASH}[data-tone="still-recording"]`);
    await still.waitFor({ timeout: 5_000 });
    expect(await still.textContent()).toBe(`Already recording ${code}: the clip goes on`);
    await expectSound(page, 'stillRecording');
    expect((await status()).activeClipId).toBe(before.activeClipId);

    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
  }, 90_000);

  it('says it in Chinese on a Chinese screen', async () => {
    const page = await openStation('zh-CN');
    camera!.kill('SIGKILL');
    camera = null;
    await page.locator(`${BANNER}[data-reason="camera-not-recording"]`).waitFor({ timeout: 10_000 });
    await takeTones(page);
    const before = await scanLog();
    await scannerTypes(page, 'SF1234567890123');
    const flash = page.locator(`${FLASH}[data-tone="not-filmed"]`);
    await flash.waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    expect((await scanLog()).slice(0, -before.length || undefined).map((s) => s.raw)).toEqual(['SF1234567890123']);
    expect(await flash.locator('.scan-flash__text').textContent()).toBe('⚠ 摄像头没有在录像：这个包裹没有被拍下来');
    expect(await flash.locator('.scan-flash__other').textContent()).toBe('Camera not recording: this parcel is NOT being filmed');
    expect(await page.locator('[data-testid="clip-not-filmed"]').textContent()).toBe('⚠ 没有在拍');
    await expectSound(page, 'notFilmed');
    await scannerTypes(page, 'PW-STOP');
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'the stop');
  }, 60_000);
});
