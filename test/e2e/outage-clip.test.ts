/**
 * A clip recorded wholly inside a camera outage, as a person sees it in Chromium: the clip page says
 * there is no footage (not that the video is being written, not a green "Complete"), the export
 * button is disabled with that reason, and the health page lists what went wrong as sentences, with
 * no raw JSON or ffmpeg output. In zh-CN and en.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { freePort, startTcpCamera } from '../helpers/tcp-camera.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { startStation, waitFor } from '../helpers/station-process.js';

describe('a clip with no footage, and the health page (Chromium)', () => {
  let camera: ChildProcess | null = null;
  let port = 0;
  let clipId: number;

  const fx = stationInBrowser({
    start: async () => {
      port = await freePort();
      camera = await startTcpCamera(port);
      return startStation({ camera: `tcp://127.0.0.1:${port}` });
    },
  });

  beforeAll(async () => {
    const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());
    const scan = async (code: string) =>
      ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    await waitFor(async () => ((await status()).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');
    camera!.kill('SIGKILL');
    await waitFor(async () => ((await status()).recording ? undefined : true), 5_000, 'NOT RECORDING');
    await sleep(4_000); // longer than the pre-roll
    clipId = (await scan('123456789012345678')).id!;
    await sleep(1_000);
    await scan('PW-STOP');
    await sleep(3_000);
    camera = await startTcpCamera(port);
    await waitFor(async () => ((await status()).recording ? true : undefined), 15_000, 'recording again');
    await waitFor(async () => (Clip.parse(await (await fx.station.api(routes.clip(clipId))).json()).footage === 'none' ? true : undefined), 20_000, 'footage: none');
  }, 90_000);

  afterAll(() => {
    camera?.kill('SIGKILL');
  });

  async function open(locale: string, hash: string): Promise<Page> {
    return fx.newPage({ locale, hash, viewport: { width: 1366, height: 768 } });
  }

  const text = async (page: Page, testId: string) => (await page.locator(`[data-testid="${testId}"]`).first().textContent())?.trim() ?? '';

  for (const [locale, words] of [
    ['en-US', { none: 'No footage: the camera was not recording.', badge: 'No footage', refusal: 'Cannot be exported: no footage, the camera was not recording.', pending: 'being written', complete: 'Complete' }],
    ['zh-CN', { none: '没有录像：摄像头当时未在录制。', badge: '无录像', refusal: '无法导出：没有录像，摄像头当时未在录制。', pending: '正在生成', complete: '已完成' }],
  ] as const) {
    it(`${locale}: the clip page says there is no footage, and export is disabled with that reason`, async () => {
      const page = await open(locale, `#/clips/${clipId}`);
      await page.locator('[data-testid="no-footage"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="no-footage"] p').first().textContent()).toBe(words.none);
      expect(await page.locator('[data-testid="video-pending"]').count()).toBe(0);
      expect(await page.locator('main').textContent()).not.toContain(words.pending);
      expect(await text(page, 'status-badge')).toBe(words.badge);
      expect(await page.locator('[data-testid="status-badge"]').getAttribute('class')).not.toContain('badge--status-closed');
      // The gap that covers it is shown, closed (the camera came back).
      await page.locator('[data-testid="gap-warning"]').waitFor();
      expect(await text(page, 'gap-warning')).not.toContain('…');
      const button = page.locator('[data-testid="export-start"]');
      expect(await button.isDisabled()).toBe(true);
      expect(await text(page, 'export-refusal')).toBe(words.refusal);
      expect(await button.getAttribute('aria-describedby')).toBe('export-no-footage');
      await page.context().close();
    });
  }

  it('the health page lists each problem as one sentence, without raw JSON or ffmpeg output', async () => {
    const page = await open('en-US', '#/health');
    await page.locator('[data-testid="last-errors"] li').first().waitFor({ timeout: 15_000 });
    const items = await page.locator('[data-testid="last-errors"] li').allTextContents();
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item, item).not.toMatch(/[{}[\]"]|ffmpeg exited|tcp:\/\/|Connection to/);
      // "<time> WARN The recording stopped …." : one sentence after the time and the level.
      expect(item, item).toMatch(/(WARN|ERROR) [A-Z][^\n]*\.$/);
    }
    expect(items.join('\n')).toMatch(new RegExp(`Clip ${clipId} has no video: the camera was not recording`));
    await page.context().close();
  });
});
