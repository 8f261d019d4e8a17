/**
 * The settings screen in a real Chromium against a real station: the operator renames the station,
 * adds a rule, watches the live tester classify a code as it is typed, saves, reloads, and finds the
 * values kept; a broken regular expression is shown at once and cannot be saved.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EncoderSettingsResponse, RetentionSettings, ScanSettings, StationIdentitySettings, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { TEST_CAMERA } from '../helpers/station-process.js';

describe('settings screen (Chromium)', () => {
  // Without --camera, which would choose the cameras at every start (the camera card is then read-only).
  const fx = stationInBrowser({
    station: { camera: null },
    setup: async (station) => {
      const cameras = [{ spec: TEST_CAMERA, name: '', resolution: 'auto', fps: null, quality: 'standard' }];
      const res = await station.api(routes.cameraListSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cameras }) });
      if (res.status !== 200) throw new Error(`saving the camera answered ${res.status}`);
    },
  });

  async function openSettings(locale: string): Promise<Page> {
    const page = await fx.newPage({ locale });
    // From the station screen's header, as an operator would.
    await page.locator('[data-testid="nav-settings"]').click();
    await page.locator('[data-testid="station-name"]').waitFor({ timeout: 10_000 });
    return page;
  }

  const saved = async <T,>(path: string, schema: { parse: (v: unknown) => T }): Promise<T> => schema.parse(await (await fx.station.api(path)).json());

  it('renames the station, adds a rule, tests a code live, saves, and keeps it all across a reload', async () => {
    const page = await openSettings('en-US');
    // The path arrives with /api/settings/info after the sections mount ('…' until then).
    await expect.poll(() => page.locator('[data-testid="settings-data-dir"]').textContent(), { timeout: 10_000 }).toBe(fx.station.dataDir);

    // Station section.
    await page.locator('[data-testid="station-name"]').fill('Bench 3');
    await page.locator('[data-testid="operator-name-setting"]').fill('王芳');
    await page.locator('[data-testid="settings-station-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-station-feedback"]').textContent(), { timeout: 10_000 }).toBe('Saved.');
    expect(await saved(routes.stationSettings, StationIdentitySettings)).toEqual({ stationName: 'Bench 3', operatorName: '王芳' });
    expect((await saved(routes.status, StatusResponse)).station).toBe('Bench 3');

    // The live tester uses the rules as typed, before saving.
    const tester = page.locator('[data-testid="scan-tester-input"]');
    const result = page.locator('[data-testid="scan-tester-result"]');
    await tester.fill('SF1234567890123');
    await expect.poll(() => result.textContent(), { timeout: 5_000 }).toBe('This code would be: waybill (rule SF Express)');
    await tester.fill('KX123456');
    await expect.poll(() => result.textContent(), { timeout: 5_000 }).toBe('This code would be: order (rule other order number)');

    // A product's EAN is told from an order number, and what it does follows the start mode.
    await tester.fill('6921168509256');
    await expect
      .poll(() => result.textContent(), { timeout: 5_000 })
      .toBe('This code would be a product code (rule product EAN-13 (China 690-699)): added to the open clip, never starting one');
    expect(await page.locator('[data-testid="rule-0-gs1"]').isChecked()).toBe(false);
    await page.locator('[data-testid="start-on"]').selectOption('item');
    await expect.poll(() => result.textContent(), { timeout: 5_000 }).toBe('This code would be a product code (rule product EAN-13 (China 690-699)): it starts a clip when none is open');
    await tester.fill('KX123456');

    await page.locator('[data-testid="add-rule"]').click();
    await page.locator('[data-testid="rule-0-name"]').fill('Bench carrier');
    await page.locator('[data-testid="rule-0-pattern"]').fill('^KX\\d{6}$');
    // The new rule is first and a waybill by default: the same code now classifies differently.
    await expect.poll(() => result.textContent(), { timeout: 5_000 }).toBe('This code would be: waybill (rule Bench carrier)');
    await page.locator('[data-testid="pre-roll"]').fill('5');
    await page.locator('[data-testid="settings-scan-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-scan-feedback"]').textContent(), { timeout: 10_000 }).toBe('Saved.');
    const scan = await saved(routes.scanSettings, ScanSettings);
    expect(scan.rules[0]).toEqual({ name: 'Bench carrier', kind: 'waybill', pattern: '^KX\\d{6}$' });
    expect(scan.preRollMs).toBe(5_000);
    expect(scan.startOn).toBe('item');

    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="station-name"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid="station-name"]').inputValue(), { timeout: 5_000 }).toBe('Bench 3');
    expect(await page.locator('[data-testid="operator-name-setting"]').inputValue()).toBe('王芳');
    expect(await page.locator('[data-testid="rule-0-name"]').inputValue()).toBe('Bench carrier');
    expect(await page.locator('[data-testid="rule-0-pattern"]').inputValue()).toBe('^KX\\d{6}$');
    expect(await page.locator('[data-testid="pre-roll"]').inputValue()).toBe('5');
    expect(await page.locator('[data-testid="start-on"]').inputValue()).toBe('item');
    await page.screenshot({ path: '/tmp/settings-screen.png', fullPage: true });
  });

  it('shows a broken regular expression at once, with the rule name, and does not save it', async () => {
    const before = await saved(routes.scanSettings, ScanSettings);
    const page = await openSettings('en-US');
    await page.locator('[data-testid="rule-0-pattern"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="rule-0-pattern"]').fill('^KX(\\d{6}$');
    const error = page.locator('[data-testid="rule-0-pattern-error"]');
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toMatch(/^rule "Bench carrier": invalid regular expression/);
    expect(await page.locator('[data-testid="settings-scan-save"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="scan-tester-input"]').fill('KX123456');
    await expect.poll(() => page.locator('[data-testid="scan-tester-result"]').getAttribute('data-kind'), { timeout: 5_000 }).toBe('error');
    // Force the click anyway: nothing is sent, nothing changes on the station.
    const writes: string[] = [];
    page.on('request', (r) => r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/settings/') && writes.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.locator('[data-testid="settings-scan-save"]').click({ force: true });
    // A request the page sends after the click: the page's requests are seen in the order it sends
    // them, and a save would have been sent from the click itself, so by now it would have been seen.
    await Promise.all([page.waitForRequest((r) => new URL(r.url()).pathname === routes.health), page.evaluate((path) => fetch(path).then((r) => r.status), routes.health)]);
    expect(writes).toEqual([]);
    expect(await saved(routes.scanSettings, ScanSettings)).toEqual(before);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('[data-testid="rule-0-pattern"]').inputValue(), { timeout: 10_000 }).toBe('^KX\\d{6}$');
  });

  it('refuses a rule the linear-time engine cannot run (a backreference) as it is typed, in Chinese and in English', async () => {
    const page = await openSettings('zh-CN');
    await page.locator('[data-testid="rule-0-pattern"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="rule-0-pattern"]').fill('^(\\d)\\1+$');
    const error = page.locator('[data-testid="rule-0-pattern-error"]');
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toBe('规则“Bench carrier”不能使用反向引用（如 \\1）：规则由线性时间的引擎执行，任何条码都不会让工位卡住');
    expect(await page.locator('[data-testid="settings-scan-save"]').isDisabled()).toBe(true);
    await page.locator('.language-switch button[lang="en"]').click();
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toBe('rule "Bench carrier": backreferences such as \\1 cannot be used (rules run on a linear-time engine, so that no code can stall the station)');
  });

  it('speaks Chinese in a Chinese browser, its refusals included', async () => {
    const page = await openSettings('zh-CN');
    expect(await page.locator('#settings-station-title').textContent()).toBe('工作站');
    // The schemas' own sentences, looked up by their text…
    await page.locator('[data-testid="station-name"]').fill('');
    await expect.poll(() => page.locator('[data-testid="station-name-error"]').textContent(), { timeout: 5_000 }).toBe('工位名称不能为空');
    // …or by their key when they carry details (the rule's name; the regex engine's words stay its own).
    await page.locator('[data-testid="rule-0-pattern"]').fill('^KX(\\d{6}$');
    await expect.poll(() => page.locator('[data-testid="rule-0-pattern-error"]').textContent(), { timeout: 5_000 }).toMatch(/^规则“Bench carrier”的正则表达式无效：/);
    // zod's generic ones from its Chinese locale.
    const retention = page.locator('[data-testid="settings-retention"]');
    await retention.locator('[data-testid="settings-retention-save"]').waitFor({ timeout: 10_000 });
    await retention.locator('input[type="number"]').first().fill('0');
    await expect.poll(() => retention.locator('[role="alert"]').first().textContent(), { timeout: 5_000 }).toMatch(/^数值过小/);
    // Names with a text-direction mark (or any control character) are refused as typed, in the UI's language.
    await page.locator('[data-testid="station-name"]').fill('Bench\u202E7');
    await expect.poll(() => page.locator('[data-testid="station-name-error"]').textContent(), { timeout: 5_000 }).toBe('工位名称不能包含控制字符、换行或文字方向标记');
    await page.locator('[data-testid="station-name"]').fill('');
    // Switched to English, the same refusals read in English.
    await page.locator('.language-switch button[lang="en"]').click();
    await expect.poll(() => page.locator('[data-testid="station-name-error"]').textContent(), { timeout: 5_000 }).toBe('the station name must not be empty');
    await expect.poll(() => retention.locator('[role="alert"]').first().textContent(), { timeout: 5_000 }).toMatch(/^Too small/);
  });

  it('keeps exports a number of days the operator chooses and may stop waiting for the hub copy (retention card), and takes a network stream URL as a camera', async () => {
    const page = await openSettings('en-US');
    const days = page.locator('[data-testid="retention-keepExportsDays"]');
    await expect.poll(() => days.inputValue(), { timeout: 10_000 }).toBe('14');
    await days.fill('7');
    const waitForHub = page.locator('[data-testid="retention-waitForHubCopy"]');
    expect(await waitForHub.isChecked()).toBe(true);
    await waitForHub.uncheck();
    await page.locator('[data-testid="settings-retention-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-retention-feedback"]').textContent(), { timeout: 10_000 }).toBe('Saved.');
    expect(await saved(routes.retentionSettings, RetentionSettings)).toMatchObject({ keepExportsDays: 7, waitForHubCopy: false });
    // The camera URL field asks the station's own parser: tcp:// and http:// are cameras too.
    await page.locator('[data-testid="camera-source"]').selectOption('__rtsp__');
    const url = page.locator('[data-testid="rtsp-url"]');
    await url.fill('tcp://192.168.1.64:5000');
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.locator('[data-testid="rtsp-url-error"]').count()).toBe(0);
    await url.fill('tcp://192.168.1.64');
    await expect.poll(() => page.locator('[data-testid="rtsp-url-error"]').textContent(), { timeout: 5_000 }).toBe('"tcp://192.168.1.64" needs a port, for example tcp://192.168.1.64:5000');
  });

  it('makes the saved language the default of a browser that has not chosen one', async () => {
    const res = await fx.station.api(routes.displaySettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: 'zh-CN', sounds: true }) });
    expect(res.status).toBe(200);
    const page = await openSettings('en-US');
    await expect.poll(() => page.locator('#settings-station-title').textContent(), { timeout: 5_000 }).toBe('工作站');
    // A browser that picked its own language keeps it.
    await page.locator('.language-switch button[lang="en"]').click();
    // Every read of the display settings after the reload (the app's defaults, the Display section)
    // must have been answered before "still English" means anything.
    const displayReads = { sent: 0, answered: 0 };
    const isDisplayRead = (r: { url: () => string; method: () => string }): boolean => r.method() === 'GET' && new URL(r.url()).pathname === routes.displaySettings;
    page.on('request', (r) => isDisplayRead(r) && displayReads.sent++);
    page.on('requestfinished', (r) => isDisplayRead(r) && displayReads.answered++);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="station-name"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => displayReads.answered >= 2 && displayReads.answered === displayReads.sent, { timeout: 10_000 }).toBe(true);
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(await page.locator('#settings-station-title').textContent()).toBe('Station');
    // Back to "each browser's own", so the tests after this one see their browser's language.
    const reset = await fx.station.api(routes.displaySettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: null, sounds: true }) });
    expect(reset.status).toBe(200);
  });

  it('checks an RTSP URL as it is typed and tests the connection with one clear sentence', async () => {
    const page = await openSettings('en-US');
    await page.locator('[data-testid="camera-source"]').selectOption('__rtsp__');
    const url = page.locator('[data-testid="rtsp-url"]');
    await url.fill('rtsp://exa mple/stream');
    await expect.poll(() => page.locator('[data-testid="rtsp-url-error"]').textContent(), { timeout: 5_000 }).toMatch(/RTSP URL/);
    expect(await page.locator('[data-testid="settings-camera-save"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="camera-test"]').isDisabled()).toBe(true);
    // Port 9 (discard) on this machine: nothing listens there.
    await url.fill('rtsp://admin:secret@127.0.0.1:9/Streaming/Channels/101');
    await page.locator('[data-testid="camera-test"]').click();
    const result = page.locator('[data-testid="camera-test-result"]');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-ok')).toBe('false');
    expect(await result.textContent()).toMatch(/^Failed: Nothing answers at 127\.0\.0\.1:9/);
  });

  // ---- Hardware encoder setting ----
  it('shows the encoder in use and each hardware encoder’s test, and saves "off" (the recording restarts)', async () => {
    const page = await openSettings('en-US');
    const section = page.locator('[data-testid="settings-encoder"]');
    await expect.poll(() => section.locator('[data-testid="encoder-in-use"]').textContent(), { timeout: 10_000 }).toBe('Recording with: libx264 (software)');
    const select = section.locator('[data-testid="encoder-select"]');
    expect(await select.inputValue()).toBe('auto');
    // This PC's own test results, as the station cached them: VAAPI is compiled in and fails, NVENC is absent.
    expect(await section.locator('[data-testid="encoder-option-h264_vaapi"]').textContent()).toMatch(/^h264_vaapi — fails: \S/);
    expect(await section.locator('[data-testid="encoder-option-h264_nvenc"]').textContent()).toBe('h264_nvenc — not in this ffmpeg');
    const pidBefore = (await saved(routes.status, StatusResponse)).camera.pid;
    await select.selectOption('off');
    await section.locator('[data-testid="settings-encoder-save"]').click();
    await expect.poll(() => section.locator('[data-testid="settings-encoder-feedback"]').textContent(), { timeout: 30_000 }).toBe('Saved.');
    expect(await saved(routes.encoderSettings, EncoderSettingsResponse)).toMatchObject({ hardwareEncoder: 'off', inUse: 'libx264' });
    expect((await saved(routes.status, StatusResponse)).camera.pid).not.toBe(pidBefore);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('[data-testid="encoder-select"]').inputValue(), { timeout: 10_000 }).toBe('off');
  });

  // ---- The repeat-scan, double-scan, waybill and duplicate choices ----
  it('sets what a repeated scan does, the double-scan and duplicate windows and waybill attaching: checked as typed, saved, applied from the next scan', async () => {
    const before = await saved(routes.scanSettings, ScanSettings);
    const page = await openSettings('en-US');
    const section = page.locator('[data-testid="settings-scan"]');
    const repeat = section.locator('[data-testid="repeat-scan"]');
    const double = section.locator('[data-testid="double-scan-ms"]');
    const days = section.locator('[data-testid="duplicate-window-days"]');
    const attach = section.locator('[data-testid="attach-waybill"]');
    await expect.poll(() => repeat.inputValue(), { timeout: 10_000 }).toBe('ignore');
    expect(await repeat.locator('option:checked').textContent()).toBe('Keep recording (a short tick)');
    expect(await double.inputValue()).toBe('2000');
    expect(await days.inputValue()).toBe('30');
    expect(await attach.isChecked()).toBe(true);

    await repeat.selectOption('stop');
    await double.fill('20000');
    await expect.poll(() => page.locator('[data-testid="double-scan-ms-error"]').textContent(), { timeout: 5_000 }).toMatch(/^Too big/);
    expect(await page.locator('[data-testid="settings-scan-save"]').isDisabled()).toBe(true);
    await double.fill('800');
    await days.fill('-1');
    await expect.poll(() => page.locator('[data-testid="duplicate-window-days-error"]').textContent(), { timeout: 5_000 }).toMatch(/^Too small/);
    await days.fill('0');
    await attach.uncheck();
    expect(await page.locator('[data-testid="double-scan-ms-error"]').count()).toBe(0);
    await page.locator('[data-testid="settings-scan-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-scan-feedback"]').textContent(), { timeout: 10_000 }).toBe('Saved.');
    const stored = await saved(routes.scanSettings, ScanSettings);
    expect(stored).toEqual({ ...before, repeatScan: 'stop', doubleScanMs: 800, duplicateWindowDays: 0, attachWaybill: false });

    // Applied from the next scan: a repeat 1 s later (past 800 ms) stops the clip.
    const scan = async (code: string) =>
      (await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json()) as { action: string; id: number | null };
    const first = await scan('246813579024681357');
    expect(first.action).toBe('started');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await scan('246813579024681357')).toMatchObject({ action: 'stopped', id: first.id });

    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('[data-testid="repeat-scan"]').inputValue(), { timeout: 10_000 }).toBe('stop');
    expect(await page.locator('[data-testid="double-scan-ms"]').inputValue()).toBe('800');
    expect(await page.locator('[data-testid="duplicate-window-days"]').inputValue()).toBe('0');
    expect(await page.locator('[data-testid="attach-waybill"]').isChecked()).toBe(false);

    // In Chinese.
    await page.locator('.language-switch button[lang="zh-CN"]').click();
    await expect.poll(() => page.locator('[data-testid="repeat-scan"] option[value="ignore"]').textContent(), { timeout: 5_000 }).toBe('继续录制（短促提示音）');
    await page.locator('[data-testid="double-scan-ms"]').fill('20000');
    await expect.poll(() => page.locator('[data-testid="double-scan-ms-error"]').textContent(), { timeout: 5_000 }).toMatch(/^数值过大/);
    await page.locator('.language-switch button[lang="en"]').click();

    const reset = await fx.station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(before) });
    expect(reset.status).toBe(200);
  });

  it('sets the idle stop in seconds: 0 turns it off, under 3 s is refused as typed in English and Chinese', async () => {
    const before = await saved(routes.scanSettings, ScanSettings);
    const page = await openSettings('en-US');
    const idle = page.locator('[data-testid="settings-scan"] [data-testid="idle-stop"]');
    const error = page.locator('[data-testid="idle-stop-error"]');
    await expect.poll(() => idle.inputValue(), { timeout: 10_000 }).toBe('300');
    await idle.fill('1');
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toBe('the idle stop is 0 (off) or at least 3 seconds');
    expect(await page.locator('[data-testid="settings-scan-save"]').isDisabled()).toBe(true);
    await page.locator('.language-switch button[lang="zh-CN"]').click();
    await idle.fill('2');
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toBe('无活动自动结束须为 0（关闭）或至少 3 秒');
    await page.locator('.language-switch button[lang="en"]').click();
    await idle.fill('0');
    await expect.poll(() => error.count(), { timeout: 5_000 }).toBe(0);
    await idle.fill('120');
    await page.locator('[data-testid="settings-scan-save"]').click();
    await expect.poll(() => page.locator('[data-testid="settings-scan-feedback"]').textContent(), { timeout: 10_000 }).toBe('Saved.');
    expect(await saved(routes.scanSettings, ScanSettings)).toEqual({ ...before, idleStopMs: 120_000 });

    const reset = await fx.station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(before) });
    expect(reset.status).toBe(200);
  });
});
