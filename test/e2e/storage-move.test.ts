/**
 * Moving the data folder from the settings screen in a real Chromium against a real station process:
 * a refused folder shows the station's sentence, in the UI's language; an accepted one asks for
 * confirmation (recording pauses at the end), shows the copy's progress while the station records,
 * and then the new folder, once the restarted station answers on the same address. The desktop
 * shell's folder picker is offered only when the shell is there.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { routes, SettingsInfo } from '../../shared/api.js';
import { POINTER_FILE } from '../../electron/station/storage/move-data.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { tempDataDir } from '../helpers/station-process.js';

describe('storage folder move (Chromium)', () => {
  const fx = stationInBrowser();

  /** A new browser context in `locale`, on the settings screen. */
  async function openSettings(locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const page = await fx.newPage({ locale });
    await page.locator('[data-testid="nav-settings"]').click();
    return { context: page.context(), page };
  }

  it("shows the station's refusal in Chinese in the zh-CN UI", async () => {
    const { context, page } = await openSettings('zh-CN');
    await page.locator('[data-testid="storage-move-to"]').fill('别处');
    await page.locator('[data-testid="storage-move"]').click();
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="storage-move-error"]').textContent(), { timeout: 10_000 })
      .toMatch(/^新文件夹须为完整路径（如 .*），而不是“别处”。$/);
    expect(readdirSync(fx.station.dataDir)).toContain('packwitness.db');
    await context.close();
  }, 60_000);

  it("offers the desktop shell's folder picker when there is one (none in a plain browser)", async () => {
    const { context, page } = await openSettings('en-US');
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
    const { context, page } = await openSettings('en-US');
    const shown = page.locator('[data-testid="settings-data-dir"]');
    await expect.poll(() => shown.textContent(), { timeout: 10_000 }).toBe(fx.station.dataDir);
    const from = fx.station.dataDir;

    // A relative path: the station's sentence under the field, nothing moved.
    const input = page.locator('[data-testid="storage-move-to"]');
    await input.fill('elsewhere');
    await page.locator('[data-testid="storage-move"]').click();
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="storage-move-error"]').textContent(), { timeout: 10_000 })
      .toMatch(/^The new folder must be a full path .*, not "elsewhere"\.$/);
    expect(readdirSync(from)).toContain('packwitness.db');

    // Weeks of footage stand-in: 600 MB of sealed segment files, so the copy made while recording lasts
    // long enough (seconds) for the page to show its progress.
    const archive = join(from, 'runs', 'archive', 'demo', 'r1');
    mkdirSync(archive, { recursive: true });
    const chunk = randomBytes(8 * 1024 * 1024);
    for (let i = 0; i < 75; i++) {
      writeFileSync(join(archive, `seg-${String(i).padStart(5, '0')}.ts`), chunk);
      chmodSync(join(archive, `seg-${String(i).padStart(5, '0')}.ts`), 0o444);
    }

    // The real move: a confirmation that says recording pauses only at the end, the copy's progress
    // while recording goes on, then the new folder.
    const to = join(tempDataDir('pw-e2e-move-'), 'Moved');
    await input.fill(to);
    await page.locator('[data-testid="storage-move"]').click();
    expect(await page.locator('[data-testid="storage-move-confirm-text"]').textContent()).toMatch(/recording pauses only for the last step/);
    await page.locator('[data-testid="storage-move-confirm"]').click();
    await page.locator('[data-testid="storage-moving"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="storage-moving"][data-phase="copying"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="storage-copying"]').textContent()).toMatch(/^Copying footage to .*Moved while recording goes on: [\d.]+ of [\d.]+ MB \(\d+ of \d+ files\)\.$/);
    expect(await page.locator('[data-testid="storage-moving"] progress').count()).toBe(1);
    await expect.poll(() => shown.textContent(), { timeout: 90_000, interval: 500 }).toBe(to);
    expect(await page.locator('[data-testid="storage-last-move"]').getAttribute('data-state')).toBe('done');
    expect(await page.locator('[data-testid="storage-last-move"]').textContent()).toContain(`Moved to ${to}`);
    expect(await page.locator('[data-testid="storage-moving"]').count()).toBe(0);

    const info = SettingsInfo.parse(await (await fx.station.api(routes.settingsInfo)).json());
    expect(info.dataDir).toBe(to);
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    await context.close();
  }, 150_000);
});
