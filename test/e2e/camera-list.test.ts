/**
 * The cameras card in Chromium: the operator adds a second camera (one this PC offers), names it,
 * gives it its own size and rate, saves, and the station records from both (its status, the card's
 * live lines and the station screen's panel say so). A name that would forge text is refused as it is
 * typed, in the screen's language. A station started with --camera shows what records, read-only.
 */
import { describe, expect, it } from 'vitest';
import { CameraListSettings, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { TEST_CAMERA, waitFor } from '../helpers/station-process.js';

const json = { 'content-type': 'application/json' };

describe('the cameras card (Chromium)', () => {
  const fx = stationInBrowser({
    // Without --camera, which would choose the cameras at every start: the saved list records.
    station: { camera: null },
    setup: async (station) => {
      const res = await station.api(routes.cameraListSettings, { method: 'PUT', headers: json, body: JSON.stringify({ cameras: [{ spec: TEST_CAMERA, name: '', resolution: 'auto', fps: null, quality: 'standard' }] }) });
      expect(res.status).toBe(200);
    },
    timeoutMs: 90_000,
  });
  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());

  it('adds a second camera with its own name, size and rate; both record', async () => {
    const page = await fx.newPage({ locale: 'zh-CN', hash: '#/settings', ready: '[data-testid="camera-0"]' });
    await page.locator('[data-testid="camera-add"]').click();
    const second = page.locator('[data-testid="camera-1"]');
    await second.waitFor({ timeout: 5_000 });
    // The first camera this PC offers that is not in the list yet: here the demo picture.
    expect(await second.locator('[data-testid="camera-source"]').inputValue()).toBe('demo');
    expect(await second.locator('legend').textContent()).toBe('摄像头 2');
    // A name with a text-direction mark is refused as it is typed, in the screen's language.
    await second.locator('[data-testid="camera-name"]').fill('Side\u202Eevil');
    await expect.poll(() => second.locator('[data-testid="camera-name-error"]').textContent(), { timeout: 5_000 }).toBe('摄像头名称不能包含控制字符、换行或文字方向标记');
    expect(await page.locator('[data-testid="settings-camera-save"]').isDisabled()).toBe(true);
    await page.locator('.language-switch button[lang="en"]').click();
    await expect.poll(() => second.locator('[data-testid="camera-name-error"]').textContent(), { timeout: 5_000 }).toBe('a camera name must not contain control characters, line breaks or text-direction marks');
    await second.locator('[data-testid="camera-name"]').fill('Side <b>');
    await second.locator('[data-testid="camera-resolution"]').selectOption('640x360');
    await second.locator('[data-testid="camera-fps"]').selectOption('15');
    await second.locator('[data-testid="camera-quality"]').selectOption('economy');
    const pidBefore = (await status()).camera.pid;
    await page.locator('[data-testid="settings-camera-save"]').click();
    // The demo needs no test and the main camera stays: saved without a question.
    await expect.poll(() => page.locator('[data-testid="settings-camera-feedback"]').textContent(), { timeout: 30_000 }).toBe('Saved.');
    expect(await page.locator('[data-testid="camera-confirm"]').count()).toBe(0);
    const saved = CameraListSettings.parse(await (await fx.station.api(routes.cameraListSettings)).json());
    expect(saved.cameras.map((c) => [c.spec, c.name, c.resolution, c.fps, c.quality, c.id])).toEqual([
      [TEST_CAMERA, '', 'auto', null, 'standard', 'demo'],
      ['demo', 'Side <b>', '640x360', 15, 'economy', 'demo-2'],
    ]);
    const st = await waitFor(async () => {
      const s = await status();
      return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s : undefined;
    }, 20_000, 'both cameras recording');
    // Adding a camera leaves the main one recording as it was.
    expect(st.camera.pid).toBe(pidBefore);
    const other = page.locator('[data-testid="camera-live-other"]');
    await expect.poll(() => other.textContent(), { timeout: 10_000 }).toBe('Camera 2: Side <b> · demo (Recording)');
    await page.locator('[data-testid="settings-camera"]').screenshot({ path: '/tmp/settings-cameras.png' });

    // The station screen's panel lists both cameras, the second by its name (as text).
    const screen = await fx.newPage({ hash: '#/', ready: '[data-testid="camera-state"]' });
    const row = screen.locator('[data-testid="camera-state-demo-2"]');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Side <b> · demo');
    expect(await row.locator('b').count()).toBe(0);
  }, 90_000);

  it('moves the second camera up and removes the first: the list saves as shown', async () => {
    const page = await fx.newPage({ hash: '#/settings', ready: '[data-testid="camera-1"]' });
    await page.locator('[data-testid="camera-1"] [data-testid="camera-up"]').click();
    expect(await page.locator('[data-testid="camera-0"] [data-testid="camera-name"]').inputValue()).toBe('Side <b>');
    await page.locator('[data-testid="camera-1"] [data-testid="camera-remove"]').click();
    expect(await page.locator('[data-testid="camera-1"]').count()).toBe(0);
    // The last camera cannot be removed.
    expect(await page.locator('[data-testid="camera-0"] [data-testid="camera-remove"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="settings-camera-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-camera-feedback"]').textContent(), { timeout: 30_000 }).toBe('Saved.');
    const st = await waitFor(async () => {
      const s = await status();
      return s.cameras?.length === 1 && s.camera.id === 'demo-2' && s.recording ? s : undefined;
    }, 20_000, 'the named camera recording alone, as the main one');
    expect(st.camera.name).toBe('Side <b>');
  }, 60_000);
});

describe('the cameras card of a station started with --camera (Chromium)', () => {
  const fx = stationInBrowser({ station: { args: ['--camera', 'demo:320x180@10'] } });

  it('shows what records, read-only, and says why', async () => {
    const page = await fx.newPage({ hash: '#/settings', ready: '[data-testid="camera-cli"]' });
    expect(await page.locator('[data-testid="camera-cli"]').textContent()).toMatch(/^This station was started with --camera/);
    await expect.poll(() => page.locator('[data-testid="camera-cli-item"]').allTextContents(), { timeout: 10_000 }).toEqual([`${TEST_CAMERA} (Recording)`, 'demo:320x180@10 (Recording)']);
    expect(await page.locator('[data-testid="camera-source"]').count()).toBe(0);
    expect(await page.locator('[data-testid="settings-camera-save"]').count()).toBe(0);
  }, 60_000);
});
