/**
 * In Chromium: saving a camera that failed its test (or was never tested) asks first, with
 * the test's sentence and, when a clip is being recorded, that it ends; the camera card shows what
 * records live (the station's status), never the previous camera as "recording now" after a change.
 * A camera that passed its test is saved without a question.
 */
import type { ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CameraSettings, Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { freePort, startNetworkCamera } from '../helpers/network-camera.js';
import { TEST_CAMERA, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const LIVE = '[data-testid="camera-live"]';
const CONFIRM = '[data-testid="camera-confirm"]';

describe('changing the camera (Chromium)', () => {
  let station: StationProcess | undefined;
  let browser: Browser | undefined;
  let camera: ChildProcess | null = null;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Without --camera (which would win over the setting at every start): the saved camera records.
    const dataDir = tempDataDir();
    const first = await startStation({ dataDir });
    const put = await first.api(routes.cameraSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: TEST_CAMERA, resolution: 'auto', fps: null, quality: 'standard' }) });
    expect(put.status).toBe(200);
    await first.stop();
    [station, browser] = await Promise.all([startStation({ dataDir, camera: null }), launchChromium()]);
  }, 90_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    camera?.kill('SIGKILL');
    await browser?.close();
    await station?.stop();
  });

  const status = async () => StatusResponse.parse(await (await station!.api(routes.status)).json());
  const savedCamera = async () => CameraSettings.parse(await (await station!.api(routes.cameraSettings)).json());
  const post = async (code: string) =>
    ScanResponse.parse(await (await station!.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());

  async function openSettings(locale: string): Promise<Page> {
    const context = await browser!.newContext({ locale, viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(station!.url + '#/settings', { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="camera-source"]').waitFor({ timeout: 10_000 });
    return page;
  }

  /** Every text the camera card's live line shows from now on, however briefly. */
  async function recordLive(page: Page): Promise<() => Promise<Array<{ recording: string | null; text: string }>>> {
    await page.evaluate((sel) => {
      const seen: Array<{ recording: string | null; text: string }> = [];
      (window as unknown as { liveSeen: typeof seen }).liveSeen = seen;
      const check = (): void => {
        const el = document.querySelector(sel);
        if (!el) return;
        const v = { recording: el.getAttribute('data-recording'), text: el.textContent ?? '' };
        if (seen.at(-1)?.text !== v.text || seen.at(-1)?.recording !== v.recording) seen.push(v);
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      check();
    }, LIVE);
    return () => page.evaluate(() => [...(window as unknown as { liveSeen: Array<{ recording: string | null; text: string }> }).liveSeen]);
  }

  it('asks before saving a camera that failed its test, says the clip ends, and then shows what really records', async () => {
    const page = await openSettings('en-US');
    const live = page.locator(LIVE);
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).toBe(`Recording now: ${TEST_CAMERA}`);
    expect(await live.getAttribute('data-recording')).toBe('true');

    const clip = await post('123456789012345678');
    expect(clip.action).toBe('started');
    const pidBefore = (await status()).camera.pid;

    // Port 9 on this machine: nothing listens there.
    await page.locator('[data-testid="camera-source"]').selectOption('__rtsp__');
    await page.locator('[data-testid="rtsp-url"]').fill('tcp://127.0.0.1:9');
    await page.locator('[data-testid="camera-test"]').click();
    const result = page.locator('[data-testid="camera-test-result"][data-ok="false"]');
    await result.waitFor({ timeout: 15_000 });
    const sentence = (await result.textContent())!.replace(/^Failed: /, '');
    expect(sentence.length).toBeGreaterThan(10);

    // Save: a question first, with the test's own sentence and the clip that would end.
    const writes: string[] = [];
    page.on('request', (r) => r.method() === 'PUT' && writes.push(new URL(r.url()).pathname));
    await page.locator('[data-testid="settings-camera-save"]').click();
    const confirm = page.locator(CONFIRM);
    await confirm.waitFor({ timeout: 5_000 });
    expect(await confirm.locator('[data-testid="camera-confirm-test"]').textContent()).toBe(`The test of tcp://127.0.0.1:9 failed: ${sentence}`);
    expect(await confirm.locator('[data-testid="camera-confirm-clip"]').textContent()).toBe('The clip being recorded (123456789012345678) ends now.');
    await page.screenshot({ path: '/tmp/settings-camera-confirm.png', fullPage: true });
    // Cancel: nothing was sent, the station records as before, the clip goes on.
    await confirm.locator('[data-testid="camera-confirm-cancel"]').click();
    await confirm.waitFor({ state: 'detached' });
    expect(writes).toEqual([]);
    expect((await savedCamera()).spec).toBe(TEST_CAMERA);
    const unchanged = await status();
    expect(unchanged.camera.pid).toBe(pidBefore);
    expect(unchanged.activeClipId).toBe(clip.id);

    // Save anyway: saved, the clip ends, and the card says what records now: nothing, from the new camera.
    const seen = await recordLive(page);
    await page.locator('[data-testid="settings-camera-save"]').click();
    await confirm.locator('[data-testid="camera-confirm-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-camera-feedback"]').textContent(), { timeout: 30_000 }).toBe('Saved.');
    expect(writes).toEqual([routes.cameraListSettings]);
    expect((await savedCamera()).spec).toBe('tcp://127.0.0.1:9');
    await expect.poll(() => live.getAttribute('data-recording'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).toMatch(/^NOT recording: tcp:\/\/127\.0\.0\.1:9 \((Starting|Restarting|Stalled)\)/);
    await page.waitForTimeout(3_000);
    const shown = await seen();
    // Never the old camera as recording once the save answered, nor the new one as recording.
    const afterSave = shown.slice(shown.findIndex((v) => v.text.includes('tcp://')));
    expect(afterSave.length).toBeGreaterThan(0);
    expect(afterSave.filter((v) => v.recording === 'true')).toEqual([]);
    const ended = Clip.parse(await (await station!.api(routes.clip(clip.id!))).json());
    expect(ended).toMatchObject({ status: 'closed', endReason: 'camera changed' });
    await page.screenshot({ path: '/tmp/settings-camera-not-recording.png', fullPage: true });

    // Another camera never tested: asked again, in the screen's language.
    await page.locator('[data-testid="rtsp-url"]').fill('tcp://127.0.0.1:10');
    await page.locator('.language-switch button[lang="zh-CN"]').click();
    await page.locator('[data-testid="settings-camera-save"]').click();
    await confirm.waitFor({ timeout: 5_000 });
    expect(await confirm.locator('[data-testid="camera-confirm-test"]').textContent()).toBe('tcp://127.0.0.1:10 还没有测试过。');
    expect(await confirm.locator('[data-testid="camera-confirm-clip"]').count()).toBe(0);
    expect(await confirm.locator('[data-testid="camera-confirm-save"]').textContent()).toBe('仍然保存');
    await confirm.locator('[data-testid="camera-confirm-cancel"]').click();
    await page.locator('.language-switch button[lang="en"]').click();

    // A camera that passes its test is saved without a question, and the card says it records.
    const port = await freePort();
    camera = await startNetworkCamera(port, 15);
    await page.locator('[data-testid="rtsp-url"]').fill(`tcp://127.0.0.1:${port}`);
    await page.locator('[data-testid="camera-test"]').click();
    await page.locator('[data-testid="camera-test-result"][data-ok="true"]').waitFor({ timeout: 15_000 });
    // The stand-in serves one client: the test was it. Start it again for the station.
    const served = camera;
    await new Promise((resolve) => {
      served.once('exit', resolve);
      served.kill('SIGKILL');
    });
    camera = await startNetworkCamera(port, 15);
    await page.locator('[data-testid="settings-camera-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-camera-feedback"]').textContent(), { timeout: 30_000 }).toBe('Saved.');
    expect(await confirm.count()).toBe(0);
    await expect.poll(() => live.textContent(), { timeout: 20_000 }).toBe(`Recording now: tcp://127.0.0.1:${port}`);
    await waitFor(async () => ((await status()).recording ? true : undefined), 10_000, 'recording from the tested camera');
  }, 120_000);
});
