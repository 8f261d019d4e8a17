/**
 * The claim check on the clip page in a real Chromium against a real station: a merchant
 * adds the buyer's photo (made from a frame of the recorded clip, seen at an angle, "damaged", and
 * labelled as AI-generated with exiftool), sees the AI label as a strong warning, clicks the matched
 * moment (the clip player goes there and the clip's frame is set beside the photo), and copies the
 * appeal text. Runs on the built output (the station serves dist/renderer).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Clip, ClaimsResponse, ScanResponse, routes } from '../../shared/api.js';
import { addAigcXmpElement, AIGC_LABEL, closeFixtureTool } from '../helpers/claim-fixtures.js';
import { claimPhotoFrom, sceneClip } from '../helpers/claim-scenes.js';
import { ffmpegBin } from '../helpers/media.js';
import { stationRecording } from '../helpers/station-api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

const WAYBILL = 'JDX000123456789';
/** The moment of the clip the buyer's photo is made from (seconds from the clip's start). */
const AT = 5;
/** Text typed into the form that a careless page would turn into markup. */
const HOSTILE = '<img src=x onerror="window.__pwned=1">杯子碎了';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claim check on the clip page (Chromium)', () => {
  let clip: Clip;
  const dir = tempDataDir('pw-e2e-claim-');
  const photo = join(dir, 'buyer-photo.jpg');
  let ffmpeg: string;

  const fx = stationInBrowser({
    start: async () => {
      ffmpeg = await ffmpegBin();
      // A file camera showing eight distinct items, two seconds each, looped at real time.
      const { clip: bench } = await sceneClip(ffmpeg, dir, [31, 32, 33, 34, 35, 36, 37, 38], 2, 'bench.mp4');
      return startStation({ camera: `file:${bench}` });
    },
    timeoutMs: 150_000,
  });

  beforeAll(async () => {
    await stationRecording(fx.station);
    await sleep(1_000);
    const post = async (code: string) =>
      ScanResponse.parse(await (await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const id = (await post(WAYBILL)).id!;
    await sleep(9_000);
    await post('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await fx.station.api(routes.clip(id))).json());
      return c.video ? c : undefined;
    }, 40_000, 'the clip video');

    // The buyer's photo: the clip's frame at AT s, as the station serves the clip.
    const video = join(dir, 'clip.mp4');
    writeFileSync(video, Buffer.from(await (await fx.station.api(routes.clipVideo(clip.id))).arrayBuffer()));
    const still = join(dir, 'still.png');
    execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-ss', String(AT), '-i', video, '-frames:v', '1', still]);
    await claimPhotoFrom(still, photo, { seed: 9, warp: 0.1, crop: 0.08, hue: 15, damage: true, quality: 45 });
    await addAigcXmpElement(photo, join(dir, 'label.xmp'), { ...AIGC_LABEL, ProduceID: 'E2E-777' });
    await closeFixtureTool();
  }, 150_000);

  async function openClip(locale: string): Promise<Page> {
    return fx.newPage({
      locale,
      viewport: { width: 1400, height: 1000 },
      contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
      hash: `#/clips/${clip.id}`,
      ready: `[data-testid="clip-page"][data-clip-id="${clip.id}"]`,
    });
  }

  it('adds a claim, shows the AI label as a strong warning, seeks the player to the matched moment beside the photo, and gives the appeal text', async () => {
    const page = await openClip('zh-CN');
    await page.locator('[data-testid="no-claims"]').waitFor();
    expect(await page.locator('[data-testid="no-claims"]').textContent()).toBe('此片段还没有售后核验。');

    await page.locator('[data-testid="add-claim"]').click();
    // Nothing chosen: nothing to send.
    expect(await page.locator('[data-testid="claim-submit"]').isDisabled()).toBe(true);
    // Ten photos are refused before anything is sent.
    await page.locator('[data-testid="claim-photos"]').setInputFiles(Array.from({ length: 10 }, () => photo));
    expect(await page.locator('[data-testid="claim-too-many"]').textContent()).toBe('一次售后核验最多 9 张照片，当前选了 10 张。');
    expect(await page.locator('[data-testid="claim-submit"]').isDisabled()).toBe(true);

    // A text file named .jpg: the station's one sentence, in the UI language; the form keeps what was typed.
    await page.locator('[data-testid="claim-platform"]').fill('京东 JD');
    await page.locator('[data-testid="claim-photos"]').setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture\n'.repeat(40)) });
    await page.locator('[data-testid="claim-submit"]').click();
    const refusal = page.locator('[data-testid="claim-error"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toMatch(/fake\.jpg.*不是 JPEG、PNG、WebP 或 HEIC 照片/);
    expect(await page.locator('[data-testid="claim-card"]').count()).toBe(0);
    expect(await page.locator('[data-testid="claim-platform"]').inputValue()).toBe('京东 JD');

    await page.locator('[data-testid="claim-photos"]').setInputFiles(photo);
    await page.locator('[data-testid="claim-number"]').fill('JD-RMA-42');
    await page.locator('[data-testid="claim-buyer-words"]').fill(HOSTILE);
    await page.locator('[data-testid="claim-submit"]').click();
    await page.locator('[data-testid="claim-busy"]').waitFor();
    const card = page.locator('[data-testid="claim-card"]');
    await card.waitFor({ timeout: 120_000 });

    // The buyer's words as text, not markup.
    expect(await card.locator('[data-testid="claim-buyer-words-shown"]').textContent()).toContain(HOSTILE);
    expect(await card.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // The thumbnail is the station's preview, loaded.
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-testid="claim-thumb"]')?.naturalWidth ?? 0) > 0, null, { timeout: 10_000 });

    // The AI label, first and as the strong warning, in Chinese, with the producer and the produce ID.
    const first = card.locator('[data-testid="finding"]').first();
    expect(await first.getAttribute('data-kind')).toBe('aigc-label');
    expect(await first.getAttribute('data-severity')).toBe('ai');
    const text = (await first.textContent())!;
    expect(text).toContain('AI 标识');
    expect(text).toContain('人工智能生成内容隐式标识');
    expect(text).toContain(`生成服务提供者 ${AIGC_LABEL.ContentProducer}`);
    expect(text).toContain('内容制作编号 E2E-777');
    expect(await first.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 236, 234)');

    // The best moment is the one the photo was made from; clicking it seeks the clip player there.
    const moments = card.locator('[data-testid="match-moment"]');
    expect(await moments.count()).toBeGreaterThan(0);
    const at = Number(await moments.first().getAttribute('data-at'));
    expect(Math.abs(at - AT), `best moment ${at}`).toBeLessThanOrEqual(2);
    const player = page.locator('[data-testid="clip-video"]');
    await player.evaluate((v: HTMLVideoElement) => (v.currentTime = 0));
    await moments.first().click();
    await page.waitForFunction((t) => Math.abs(document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')!.currentTime - t) < 0.2, at, { timeout: 10_000 });
    expect(await player.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    expect(await moments.first().getAttribute('aria-pressed')).toBe('true');

    // The clip's frame at that moment beside the buyer's photo.
    const side = card.locator('[data-testid="side-by-side"]');
    await side.locator('[data-testid="match-frame"][data-ready="true"]').waitFor({ timeout: 15_000 });
    expect(Math.abs((await side.locator('[data-testid="match-frame"]').evaluate((v: HTMLVideoElement) => v.currentTime)) - at)).toBeLessThan(0.2);
    expect(await side.locator('[data-testid="match-frame"]').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    expect(await side.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/claim-check.png', fullPage: true });

    // Scrubbing the clip frame beside the photo to another moment.
    const target = Math.round((at > 2 ? at - 1.5 : at + 1.5) * 20) / 20; // on the slider's 0.05 s steps
    await side.locator('[data-testid="match-scrub"]').fill(String(target));
    await page.waitForFunction((t) => Math.abs(document.querySelector<HTMLVideoElement>('[data-testid="match-frame"]')!.currentTime - t) < 0.1, target, { timeout: 10_000 });
    await side.locator('[data-testid="match-frame"][data-ready="true"]').waitFor({ timeout: 10_000 });
    expect(await side.locator('figcaption').nth(1).textContent()).toContain(`录像 ${`${Math.floor(target / 60)}:${(target % 60).toFixed(1).padStart(4, '0')}`}`);

    // The appeal text in the UI language, read-only, with its length.
    await card.locator('[data-testid="show-appeal-text"]').click();
    const box = card.locator('[data-testid="appeal-text-box"]');
    await box.waitFor();
    const appeal = await box.inputValue();
    expect(appeal.split('\n')[0]).toBe('申诉说明（平台：京东 JD，售后单号：JD-RMA-42）');
    expect(appeal).toContain(`运单号 ${WAYBILL}`);
    expect(appeal).toContain(clip.video!.sha256);
    expect(appeal).toContain('内容制作编号 E2E-777');
    expect(appeal).not.toContain('杯子碎了');
    expect(await card.locator('[data-testid="appeal-text-chars"]').textContent()).toBe(`${[...appeal].length} 个字符`);
    await card.locator('[data-testid="copy-appeal-text"]').click();
    await page.locator('[data-testid="copy-appeal-text"]', { hasText: '✓' }).waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(appeal);

    // The claim protected the clip and is in its audit log, shown on the page.
    await page.locator('[data-testid="protected-badge"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="audit-entry"][data-action="claim"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="audit-entry"][data-action="claim"]').textContent()).toContain('添加售后核验');
    const audit = AuditResponse.parse(await (await fx.station.api(routes.clipAudit(clip.id))).json());
    expect(audit.entries.some((e) => e.action === 'claim' && e.detail?.includes('JD-RMA-42'))).toBe(true);
    expect(ClaimsResponse.parse(await (await fx.station.api(routes.clipClaims(clip.id))).json()).claims).toHaveLength(1);
  }, 240_000);

  it('shows the same claim in English after a reload, the appeal text in English', async () => {
    const page = await openClip('en-US');
    const card = page.locator('[data-testid="claim-card"]');
    await card.waitFor();
    const first = card.locator('[data-testid="finding"]').first();
    expect(await first.textContent()).toContain('GB 45438-2025 AI-content label');
    await card.locator('[data-testid="show-appeal-text"]').click();
    const box = card.locator('[data-testid="appeal-text-box"]');
    await box.waitFor();
    expect((await box.inputValue()).split('\n')[0]).toBe('Appeal statement (platform: 京东 JD, claim number: JD-RMA-42)');
  }, 60_000);
});
