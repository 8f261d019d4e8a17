/**
 * Moving the data folder from the settings screen in a real Chromium against a real station process:
 * a refused folder shows the station's sentence, in the UI's language; an accepted one asks for
 * confirmation (recording pauses), shows the moving state while the station is down, and then the
 * new folder, once the restarted station answers on the same address.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, SettingsInfo } from '../../shared/api.js';
import { POINTER_FILE } from '../../electron/station/storage/move-data.js';
import { launchChromium } from '../helpers/browser.js';
import { startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

describe('storage folder move (Chromium)', () => {
  let station: StationProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [station, browser] = await Promise.all([startStation(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it("shows the station's refusal in Chinese in the zh-CN UI", async () => {
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(station!.url, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="nav-settings"]').click();
    await page.locator('[data-testid="storage-move-to"]').fill('别处');
    await page.locator('[data-testid="storage-move"]').click();
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="storage-move-error"]').textContent(), { timeout: 10_000 })
      .toMatch(/^新文件夹须为完整路径（如 .*），而不是“别处”。$/);
    expect(readdirSync(station!.dataDir)).toContain('packwitness.db');
    await context.close();
  }, 60_000);

  it("offers the desktop shell's folder picker when there is one (none in a plain browser)", async () => {
    const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(station!.url, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="nav-settings"]').click();
    await page.locator('[data-testid="storage-move-to"]').waitFor();
    expect(await page.locator('[data-testid="storage-pick"]').count()).toBe(0);

    // What electron/preload.cts exposes, standing in for the native dialog (Electron cannot run here).
    await page.addInitScript(() => {
      (globalThis as { packwitnessShell?: unknown }).packwitnessShell = { kind: 'electron', pickFolder: async () => '/mnt/big-disk/PackWitness' };
    });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="nav-settings"]').click();
    await page.locator('[data-testid="storage-pick"]').click();
    await expect.poll(() => page.locator('[data-testid="storage-move-to"]').inputValue(), { timeout: 10_000 }).toBe('/mnt/big-disk/PackWitness');
    await context.close();
  }, 60_000);

  it('types a folder, confirms, sees the moving state, then the new folder', async () => {
    const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(station!.url, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="nav-settings"]').click();
    const shown = page.locator('[data-testid="settings-data-dir"]');
    await expect.poll(() => shown.textContent(), { timeout: 10_000 }).toBe(station!.dataDir);
    const from = station!.dataDir;

    // A relative path: the station's sentence under the field, nothing moved.
    const input = page.locator('[data-testid="storage-move-to"]');
    await input.fill('elsewhere');
    await page.locator('[data-testid="storage-move"]').click();
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="storage-move-error"]').textContent(), { timeout: 10_000 })
      .toMatch(/^The new folder must be a full path .*, not "elsewhere"\.$/);
    expect(readdirSync(from)).toContain('packwitness.db');

    // The real move: a confirmation that says recording pauses, the moving state, then the new folder.
    const to = join(tempDataDir('pw-e2e-move-'), 'Moved');
    await input.fill(to);
    await page.locator('[data-testid="storage-move"]').click();
    expect(await page.locator('[data-testid="storage-move-confirm-text"]').textContent()).toMatch(/recording pauses only for the last step/);
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await page.locator('[data-testid="storage-moving"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => shown.textContent(), { timeout: 90_000, interval: 500 }).toBe(to);
    expect(await page.locator('[data-testid="storage-last-move"]').getAttribute('data-state')).toBe('done');
    expect(await page.locator('[data-testid="storage-last-move"]').textContent()).toContain(`Moved to ${to}`);
    expect(await page.locator('[data-testid="storage-moving"]').count()).toBe(0);

    const info = SettingsInfo.parse(await (await station!.api(routes.settingsInfo)).json());
    expect(info.dataDir).toBe(to);
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    await context.close();
  }, 150_000);
});
