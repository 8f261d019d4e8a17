/**
 * Starting a claim from the buyer's photo alone, in a real Chromium against a real station: a photo
 * of the parcel's waybill label (a Code 128 barcode drawn into a JPEG by the test) dropped on the
 * library offers the clip recorded with that code, not the other clip; choosing it opens the clip page
 * with the claim form already holding the photo, and adding the claim stores that photo. Runs on the
 * built output (the station serves dist/renderer).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { waybillPhoto } from '../helpers/claim-fixtures.js';
import { stationRecording } from '../helpers/station-api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { tempDataDir, waitFor } from '../helpers/station-process.js';

const WAYBILL = 'SF7788990011223';
const OTHER = 'YT4455667788990';
/** A file name that a careless page would turn into markup. */
const HOSTILE_NAME = '<img src=x onerror=window.__pwned=1>.jpg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('finding the clip from photos dropped on the library (Chromium)', () => {
  const dir = tempDataDir('pw-e2e-claim-find-');
  const waybill = join(dir, 'waybill.jpg');
  const clipIds: Record<string, number> = {};
  // A loaded machine (other tests, a build) can take the station past 30 s to start.
  const fx = stationInBrowser({ station: { timeoutMs: 80_000 }, timeoutMs: 120_000 });

  beforeAll(async () => {
    await waybillPhoto(waybill, WAYBILL);
    await stationRecording(fx.station);
    const post = async (code: string) =>
      ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    // Two clips: the photographed code's and another, which must not be offered.
    clipIds[OTHER] = (await post(OTHER)).id!;
    await sleep(2_500);
    clipIds[WAYBILL] = (await post(WAYBILL)).id!;
    await sleep(2_500);
    await post('PW-STOP');
    await waitFor(async () => {
      const c = Clip.parse(await (await fx.station.api(routes.clip(clipIds[WAYBILL]!))).json());
      return c.video ? c : undefined;
    }, 40_000, 'the clip video');
  }, 90_000);

  /** Drops files on the library's photo target as a person dragging them from the file manager would. */
  async function drop(page: Page, files: Array<{ name: string; type: string; bytes: Buffer }>): Promise<void> {
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return dt;
    }, files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })));
    await page.dispatchEvent('[data-testid="photo-drop"]', 'dragover', { dataTransfer });
    await page.dispatchEvent('[data-testid="photo-drop"]', 'drop', { dataTransfer });
  }

  it('offers the clip recorded with the photographed waybill code and opens it with the claim form holding the photo', async () => {
    const page = await fx.newPage({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 }, hash: '#/library', ready: '[data-testid="photo-drop"]' });
    expect(await page.locator('#photo-drop-title').textContent()).toBe('用买家照片找片段');

    // The waybill photo and a picture with no code whose name is markup.
    const bare = await (await import('sharp')).default({ create: { width: 200, height: 150, channels: 3, background: '#c84' } }).jpeg().toBuffer();
    await drop(page, [
      { name: 'waybill.jpg', type: 'image/jpeg', bytes: readFileSync(waybill) },
      { name: HOSTILE_NAME, type: 'image/jpeg', bytes: bare },
    ]);
    const answer = page.locator('[data-testid="photo-drop-answer"]');
    await answer.waitFor({ timeout: 60_000 });

    const photos = answer.locator('[data-testid="photo-drop-photo"]');
    expect(await photos.count()).toBe(2);
    expect(await photos.nth(0).locator('[data-testid="photo-drop-code"]').textContent()).toBe(WAYBILL);
    expect(await photos.nth(1).textContent()).toBe(`${HOSTILE_NAME} 未读到条码`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // Only the clip with that code is offered, with its codes beside it.
    const offered = answer.locator('[data-testid="photo-drop-clip"]');
    expect(await offered.count()).toBe(1);
    expect(Number(await offered.getAttribute('data-clip-id'))).toBe(clipIds[WAYBILL]);
    expect(await offered.textContent()).toBe(`打开片段 #${clipIds[WAYBILL]}`);
    await answer.locator('.photo-drop__clip-facts').filter({ hasText: WAYBILL }).waitFor();

    // Nothing was stored by looking.
    expect(readdirSync(join(fx.station.dataDir, 'claims', '.incoming'))).toEqual([]);

    await offered.click();
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipIds[WAYBILL]}"]`).waitFor();
    const form = page.locator('[data-testid="claim-form"]');
    await form.waitFor();
    expect(await page.locator('[data-testid="claim-photos-handed"]').textContent()).toBe(`从片段库带来的照片：waybill.jpg、${HOSTILE_NAME}`);
    expect(await page.locator('[data-testid="claim-photos"]').evaluate((el: HTMLInputElement) => Array.from(el.files ?? [], (f) => f.name))).toEqual(['waybill.jpg', HOSTILE_NAME]);
    expect(await page.locator('[data-testid="claim-submit"]').isDisabled()).toBe(false);

    await page.locator('[data-testid="claim-submit"]').click();
    const card = page.locator('[data-testid="claim-card"]');
    await card.waitFor({ timeout: 120_000 });
    // The stored claim holds the dropped photos, the waybill's code read on the first, naming this clip.
    const claims = (await (await fx.station.api(routes.clipClaims(clipIds[WAYBILL]!))).json()) as { claims: Array<{ files: Array<{ originalName: string; barcodes: Array<{ text: string; clipIds: number[] }> }> }> };
    expect(claims.claims).toHaveLength(1);
    expect(claims.claims[0]!.files.map((f) => f.originalName)).toEqual(['waybill.jpg', HOSTILE_NAME]);
    expect(claims.claims[0]!.files[0]!.barcodes).toEqual([expect.objectContaining({ text: WAYBILL, clipIds: [clipIds[WAYBILL]] })]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // The hand-over is used once: coming back to the clip opens no pre-filled form.
    await page.reload();
    await page.locator('[data-testid="claim-card"]').waitFor();
    expect(await page.locator('[data-testid="claim-form"]').count()).toBe(0);
  }, 240_000);

  it('says so in English when no clip carries a code read in the photos', async () => {
    const page = await fx.newPage({ locale: 'en', viewport: { width: 1400, height: 1000 }, hash: '#/library', ready: '[data-testid="photo-drop"]' });
    const other = join(dir, 'other.jpg');
    await waybillPhoto(other, 'ZTO000111222333');
    await page.locator('[data-testid="photo-drop-input"]').setInputFiles(other);
    const none = page.locator('[data-testid="photo-drop-none"]');
    await none.waitFor({ timeout: 60_000 });
    expect(await none.textContent()).toBe('No clip carries a code read in these photos. Search by the order or waybill number instead.');
    expect(await page.locator('[data-testid="photo-drop-code"]').textContent()).toBe('ZTO000111222333 (no clip has it)');

    // A text file named .jpg: the station's own sentence for that photo.
    await page.locator('[data-testid="photo-drop-input"]').setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture\n'.repeat(40)) });
    await page.locator('[data-testid="photo-drop-photo"] .panel__error').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="photo-drop-photo"] .panel__error').textContent()).toMatch(/fake\.jpg.*is not a JPEG, PNG, WebP or HEIC photo/);
  }, 120_000);
});
