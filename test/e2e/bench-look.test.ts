/**
 * What a newcomer stumbled on, on a 1366×768 screen in zh-CN and English: the
 * header's brand and station name fit (no wrap, no cut), an idle bench looks idle ("待扫描", no red)
 * and only an open order shows the red REC, the audit log shows an export's facts as fields, not
 * JSON, and no page load 404s (the favicon).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportJob, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

const INDICATOR = '[data-testid="recording-indicator"]';
const RECORDING = `${INDICATOR}[data-recording="true"]`;
/** A long name in each script, as warehouses name their benches. */
const STATION_NAME = '华东仓 3号打包台 Packing Bench East';

interface Fit {
  text: string;
  clipped: boolean;
  lines: number;
  /** Whether its box intersects the tools' box (the tools may sit beside it or on a row below). */
  overlapsTools: boolean;
  /** Whether it is inside the window. */
  inView: boolean;
}

describe('the bench at 1366×768 (Chromium)', () => {
  const fx = stationInBrowser({ station: { args: ['--station', STATION_NAME] } });

  let clipId = 0;
  const post = (code: string) => fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  const status = async () => StatusResponse.parse(await (await fx.station.api(routes.status)).json());

  beforeAll(async () => {
    await waitFor(async () => (await status()).segmentCount > 0, 30_000, 'the first segment');
    // A clip with an export, for the audit log.
    clipId = ScanResponse.parse(await (await post('SF3141592653589')).json()).id!;
    await new Promise((r) => setTimeout(r, 1_500));
    await post('PW-STOP');
    await waitFor(async () => ((await (await fx.station.api(routes.clip(clipId))).json()) as { video: unknown }).video !== null || undefined, 30_000, 'the clip video');
    const job = ExportJob.parse(await (await fx.station.api(routes.clipExport(clipId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'original', sheet: false }) })).json());
    await waitFor(async () => ExportJob.parse(await (await fx.station.api(routes.exportJob(job.id))).json()).state === 'done' || undefined, 60_000, 'the export');
  }, 120_000);

  async function open(locale: string): Promise<{ page: Page; notFound: string[] }> {
    const notFound: string[] = [];
    const page = await fx.newPage({
      locale,
      viewport: { width: 1366, height: 768 },
      waitUntil: 'load',
      beforeGoto: (p) => {
        p.on('response', (r) => {
          if (r.status() === 404) notFound.push(r.url());
        });
      },
      ready: RECORDING,
      readyTimeoutMs: 20_000,
    });
    await page.waitForSelector('[data-testid="station-name"]', { state: 'attached', timeout: 10_000 });
    return { page, notFound };
  }

  /** How the header's brand and station name are laid out: cut (ellipsis or overflow), wrapped, beside the tools? */
  const header = (page: Page) =>
    page.evaluate(() => {
      const tools = document.querySelector('.station-screen__tools')!.getBoundingClientRect();
      const fit = (el: HTMLElement): Fit => {
        const r = el.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.2;
        const overlapsTools = r.left < tools.right && tools.left < r.right && r.top < tools.bottom && tools.top < r.bottom;
        const inView = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
        return { text: el.textContent ?? '', clipped: el.scrollWidth > el.clientWidth + 1, lines: Math.round(r.height / lineHeight), overlapsTools, inView };
      };
      return {
        brand: fit(document.querySelector<HTMLElement>('.station-screen__app')!),
        name: fit(document.querySelector<HTMLElement>('[data-testid="station-name"]')!),
      };
    });

  for (const [locale, brand, idle, rec] of [
    ['zh-CN', '打包见证', '待扫描', '录制中'],
    ['en-US', 'PackWitness', 'Waiting for scan', 'REC'],
  ] as const) {
    it(`${locale}: the brand and the station name are whole, on one line, clear of the tools`, async () => {
      const { page, notFound } = await open(locale);
      await page.screenshot({ path: `/tmp/bench-1366-${locale}.png` });
      const h = await header(page);
      for (const [what, f] of Object.entries(h)) {
        expect(f.clipped, `${what} "${f.text}" is cut`).toBe(false);
        expect(f.lines, `${what} "${f.text}" wraps`).toBe(1);
        expect(f.overlapsTools, `${what} runs under the tools`).toBe(false);
        expect(f.inView, `${what} is outside the window`).toBe(true);
      }
      expect(h.brand.text).toBe(brand);
      expect(h.name.text).toContain(STATION_NAME);
      // The order's band and the indicator stay on screen without scrolling, below the taller header.
      for (const sel of ['[data-testid="clip-band"]', INDICATOR]) {
        const box = await page.locator(sel).boundingBox();
        expect(box && box.y >= 0 && box.y + box.height <= 768, sel).toBe(true);
      }
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight)).toBe(true);
      expect(notFound).toEqual([]);
    });

    it(`${locale}: an idle bench waits for a scan (no red); an open order is the red REC`, async () => {
      const { page } = await open(locale);
      if ((await status()).activeClipId !== null) await post('PW-STOP');
      const ind = page.locator(INDICATOR);
      await page.locator(`${INDICATOR}[data-clip="none"]`).waitFor({ timeout: 10_000 });
      expect(await ind.textContent()).toBe(idle);
      const dot = () => page.locator('.recording-indicator__dot').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await dot()).toBe('rgba(0, 0, 0, 0)');
      await post('SF2718281828459');
      await page.locator(`${INDICATOR}[data-clip="open"]`).waitFor({ timeout: 10_000 });
      expect(await ind.textContent()).toBe(rec);
      expect(await dot()).toBe('rgb(224, 22, 43)');
      await post('PW-STOP');
      await page.locator(`${INDICATOR}[data-clip="none"]`).waitFor({ timeout: 10_000 });
      expect(await ind.textContent()).toBe(idle);
    });

    it(`${locale}: the audit log shows an export’s facts as fields, not JSON`, async () => {
      const { page, notFound } = await open(locale);
      await page.evaluate((h) => (location.hash = h), `#/clips/${clipId}`);
      const detail = page.locator('[data-testid="audit-entry"][data-action="export"] [data-testid="audit-export-detail"]');
      await detail.waitFor({ timeout: 15_000 });
      const text = (await detail.textContent()) ?? '';
      expect(text).not.toMatch(/[{}"]/);
      expect(text).toContain('original');
      expect(text).toMatch(locale === 'zh-CN' ? /预设.*视频.*原始视频.*大小.*SHA-256/ : /Preset.*Video.*original.*Size.*SHA-256/);
      expect(notFound).toEqual([]);
    });
  }
});
