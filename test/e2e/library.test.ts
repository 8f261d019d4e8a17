/**
 * The clip library in a real Chromium against a real station: a customer-service agent types the
 * last digits of a waybill, finds the clip, watches it, jumps to a scan, protects it, and the
 * protection and the audit log survive a reload.
 *
 * Runs on the built output (`npm test` builds first): the station serves dist/renderer.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Clip, ScanResponse, ScansResponse, routes } from '../../shared/api.js';
import { stationRecording } from '../helpers/station-api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';
import { personTypes } from '../helpers/wedge-keys.js';


const ORDER = '123456789012345678';
const WAYBILL = 'SF3141592653589';
const OTHER = 'YT7788990011';
const FRAGMENT = '53589';
const OPERATOR = '客服小李';
/** The test camera's rate (TEST_CAMERA, demo:640x360@15). */
const FPS = 15;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('clip library (Chromium)', () => {
  const fx = stationInBrowser();

  /** The clip with the order and the waybill, and the other one. */
  let clipA: Clip;
  let clipB: Clip;

  async function scan(code: string): Promise<ScanResponse> {
    const res = await fx.station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    return ScanResponse.parse(await res.json());
  }

  async function getClip(id: number): Promise<Clip> {
    return Clip.parse(await (await fx.station.api(routes.clip(id))).json());
  }

  async function scanCount(): Promise<number> {
    return ScansResponse.parse(await (await fx.station.api(`${routes.scans}?limit=200`)).json()).scans.length;
  }

  beforeAll(async () => {
    // Recording, with enough footage behind it for the pre-roll: the video's first frame is then the clip's start.
    await stationRecording(fx.station);
    await sleep(3_500);

    // A parcel: order scanned, label printed and its waybill scanned 1.5 s later, packed, STOP.
    const started = await scan(ORDER);
    expect(started.action).toBe('started');
    await sleep(1_500);
    expect((await scan(WAYBILL)).action).toBe('attached');
    await sleep(3_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    // Another parcel.
    const other = await scan(OTHER);
    expect(other.action).toBe('started');
    await sleep(2_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');

    const ready = (id: number) => waitFor(async () => {
      const c = await getClip(id);
      return c.video && c.hasThumbnail ? c : undefined;
    }, 40_000, `clip ${id} to have its video and thumbnail`);
    [clipA, clipB] = await Promise.all([ready(started.id!), ready(other.id!)]);
  }, 120_000);

  async function openApp(locale: string, hash = ''): Promise<Page> {
    // The READY URL trades the token for the cookie and redirects to '/': the hash goes along.
    return fx.newPage({ locale, hash });
  }

  const video = (page: Page) => page.locator('[data-testid="clip-video"]');
  const currentTime = (page: Page) => video(page).evaluate((v) => (v as HTMLVideoElement).currentTime);

  it('finds a clip by the last digits of its waybill, plays it, jumps to a scan, and protects it across a reload', async () => {
    const page = await openApp('en-US');
    await page.locator('[data-testid="recording-indicator"][data-recording="true"]').waitFor({ timeout: 15_000 });

    // Station -> Library from the header.
    await page.locator('[data-testid="nav-library"]').click();
    const box = page.locator('[data-testid="clip-search"]');
    await box.waitFor();
    expect(new URL(page.url()).hash).toBe('#/library');
    await page.locator('[data-testid="empty-before-search"]').waitFor();
    expect(await page.locator('[data-testid="empty-before-search"]').textContent()).toContain('Type an order or waybill number, or a fragment');
    expect(await page.locator('.search-panel__hint').textContent()).toContain('last 4-6 digits of the waybill');

    // The agent's name, for the audit log (a Chinese name: it must survive the HTTP header).
    await page.locator('[data-testid="operator-name"]').fill(OPERATOR);

    // Typed by a person: the search box takes it, the scanner listener must not (a scanner's burst
    // would be a scan: see bench-scanner.test.ts).
    const scansBefore = await scanCount();
    await box.click();
    await personTypes(page, FRAGMENT);
    await page.keyboard.press('Enter');
    const results = page.locator(`[data-testid="clip-results"][data-status="ready"][data-query="${FRAGMENT}"]`);
    await results.waitFor({ timeout: 10_000 });
    const rowA = page.locator(`[data-testid="clip-row"][data-clip-id="${clipA.id}"]`);
    await rowA.waitFor();
    expect(await page.locator(`[data-testid="clip-row"][data-clip-id="${clipB.id}"]`).count()).toBe(0);
    expect(await page.locator('[data-testid="clip-row"]').count()).toBe(1);
    expect(await rowA.locator('mark').allTextContents()).toEqual([FRAGMENT]);
    expect(await rowA.textContent()).toContain(ORDER);
    // The thumbnail loaded.
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-testid="clip-row"] img.clip-thumb')?.naturalWidth ?? 0) > 0, null, { timeout: 10_000 });
    expect(new URL(page.url()).hash).toBe(`#/library?q=${FRAGMENT}`);
    expect(await scanCount()).toBe(scansBefore);
    await page.screenshot({ path: '/tmp/library-search.png', fullPage: true });

    // Open it.
    await rowA.click();
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipA.id}"]`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/clips/${clipA.id}`);
    expect(await page.locator('[data-testid="clip-sha256"]').textContent()).toBe(clipA.video!.sha256);

    // It plays.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.readyState ?? 0) >= 1, null, { timeout: 10_000 });
    await video(page).evaluate(async (v) => {
      const el = v as HTMLVideoElement;
      el.muted = true;
      await el.play();
    });
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.currentTime ?? 0) > 0.5, null, { timeout: 10_000 });
    await video(page).evaluate((v) => (v as HTMLVideoElement).pause());

    // Two scan markers, where the scans happened; the second (the waybill) seeks there.
    const markers = page.locator('[data-testid="scan-marker"]');
    expect(await markers.count()).toBe(2);
    expect(await markers.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual([ORDER, WAYBILL]);
    const expected = (Date.parse(clipA.codeDetails[1]!.scannedAt) - Date.parse(clipA.startedAt)) / 1000;
    const markerTime = Number(await markers.nth(1).getAttribute('data-time'));
    expect(Math.abs(markerTime - expected)).toBeLessThan(0.01);
    await markers.nth(1).click();
    await page.waitForFunction(
      (t) => Math.abs((document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.currentTime ?? -1) - t) <= 0.3,
      markerTime,
      { timeout: 5_000 },
    );
    expect(Math.abs((await currentTime(page)) - markerTime)).toBeLessThanOrEqual(0.3);

    // One frame forward: paused, into the next frame (the exact steps: see the frame-stepping test).
    const before = await currentTime(page);
    await page.locator('[data-testid="frame-forward"]').click();
    await page.waitForFunction((t) => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.currentTime ?? 0) > t, before);
    expect(await video(page).evaluate((v) => (v as HTMLVideoElement).paused)).toBe(true);
    expect((await currentTime(page)) - before).toBeLessThan(2 / FPS);

    // Opening the video was logged as a view.
    await page.locator('[data-testid="audit-entry"][data-action="view"]').first().waitFor({ timeout: 5_000 });

    // Protect it.
    const toggle = page.locator('[data-testid="protect-toggle"]');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await page.locator('[data-testid="protect-toggle"][aria-checked="true"]').waitFor({ timeout: 5_000 });
    const protectEntry = page.locator('[data-testid="audit-entry"][data-action="protect"]');
    await protectEntry.waitFor({ timeout: 5_000 });
    expect(await protectEntry.textContent()).toContain(OPERATOR);

    // A note.
    await page.locator('[data-testid="clip-note"]').fill('Shopee claim 2611230042: buyer says empty box');
    await page.locator('[data-testid="save-note"]').click();
    await page.locator('[data-testid="note-saved"]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="audit-entry"][data-action="note"]').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: '/tmp/library-clip.png', fullPage: true });

    // Reload: the same clip page, still protected, with its note and the audit entries.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipA.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="protect-toggle"]').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('[data-testid="clip-note"]').inputValue()).toBe('Shopee claim 2611230042: buyer says empty box');
    await page.locator('[data-testid="audit-entry"][data-action="protect"]').waitFor({ timeout: 5_000 });
    const fresh = await getClip(clipA.id);
    expect(fresh.protected).toBe(true);
    expect(fresh.note).toBe('Shopee claim 2611230042: buyer says empty box');
    const audit = AuditResponse.parse(await (await fx.station.api(routes.clipAudit(clipA.id))).json()).entries;
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['view', 'protect', 'note']));
    expect(decodeURIComponent(audit.find((e) => e.action === 'protect')!.actor)).toBe(OPERATOR);

    // Back to the search: the query and its results are still there.
    await page.locator('[data-testid="back-to-search"]').click();
    await page.locator(`[data-testid="clip-results"][data-status="ready"][data-query="${FRAGMENT}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-search"]').inputValue()).toBe(FRAGMENT);
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipA.id}"] [data-testid="protected-badge"]`).waitFor();

    // Protected only, without text: the protected clip, not the other.
    await page.locator('[data-testid="clip-search"]').fill('');
    await page.locator('[data-testid="filter-protected"]').check();
    await page.locator('[data-testid="clip-results"][data-status="ready"][data-query=""]').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipA.id}"]`).waitFor();
    expect(await page.locator(`[data-testid="clip-row"][data-clip-id="${clipB.id}"]`).count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/library?protected=1');
    // Nothing typed, no filter: back to what to type.
    await page.locator('[data-testid="filter-protected"]').uncheck();
    await page.locator('[data-testid="empty-before-search"]').waitFor({ timeout: 5_000 });
    expect(new URL(page.url()).hash).toBe('#/library');
  });

  // At 15 fps a fixed 1/30 s step would show every frame twice.
  it('steps a 15 fps clip frame by frame: N steps move N/15 s, each shows another frame; → ← step and space plays', async () => {
    const page = await openApp('en-US', `#/clips/${clipA.id}`);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipA.id}"]`).waitFor({ timeout: 10_000 });
    expect(clipA.video!.fps).toBe(FPS);
    expect(await page.locator('[data-testid="frame-back"]').getAttribute('data-fps')).toBe(String(FPS));
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.readyState ?? 0) >= 2, null, { timeout: 10_000 });
    // Every frame the page presents: its media time, and a fingerprint of its pixels.
    await video(page).evaluate((v) => {
      const el = v as HTMLVideoElement;
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 90;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const presented: Array<{ mediaTime: number; pixels: string }> = [];
      (window as unknown as { presented: typeof presented }).presented = presented;
      const onFrame = (_now: number, meta: VideoFrameCallbackMetadata): void => {
        ctx.drawImage(el, 0, 0, canvas.width, canvas.height);
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let h = 0;
        for (let i = 0; i < data.length; i += 4) h = (Math.imul(h, 31) + data[i]! + data[i + 1]! * 7 + data[i + 2]! * 13) | 0;
        presented.push({ mediaTime: meta.mediaTime, pixels: String(h) });
        el.requestVideoFrameCallback(onFrame);
      };
      el.requestVideoFrameCallback(onFrame);
      el.currentTime = 1.0;
    });
    const presented = () => page.evaluate(() => [...(window as unknown as { presented: Array<{ mediaTime: number; pixels: string }> }).presented]);
    await waitFor(async () => ((await presented()).length > 0 ? true : undefined), 5_000, 'a frame at 1 s');
    /** One step (a click or a key), then the frame it presented and the time it went to. */
    const stepOnce = async (how: () => Promise<void>) => {
      const n = (await presented()).length;
      const t = await currentTime(page);
      await how();
      await page.waitForFunction((t0) => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.currentTime ?? t0) !== t0, t, { timeout: 5_000 });
      const frame = await waitFor(async () => (await presented())[n], 5_000, 'the stepped frame');
      return { ...frame, time: await currentTime(page) };
    };
    const forward = () => page.locator('[data-testid="frame-forward"]').click();

    const first = await stepOnce(forward);
    const N = 12;
    const steps = [first];
    for (let i = 0; i < N; i++) steps.push(await stepOnce(forward));
    // N steps move N/15 s, and each shows the next frame.
    expect(steps.at(-1)!.time - first.time).toBeCloseTo(N / FPS, 3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.mediaTime - steps[i - 1]!.mediaTime).toBeCloseTo(1 / FPS, 3);
    // Another picture each time: the demo camera's picture moves every frame.
    const pictures = new Set(steps.map((s) => s.pixels));
    console.log(`${steps.length} frames stepped at ${FPS} fps: ${pictures.size} different pictures`);
    expect(pictures.size).toBe(steps.length);

    // The keys: → and ← step (also with the focus on a player button), space plays and pauses.
    const right = await stepOnce(() => page.keyboard.press('ArrowRight'));
    expect(right.mediaTime - steps.at(-1)!.mediaTime).toBeCloseTo(1 / FPS, 3);
    const left = await stepOnce(() => page.keyboard.press('ArrowLeft'));
    expect(left.mediaTime).toBeCloseTo(steps.at(-1)!.mediaTime, 3);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('frame-forward');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.paused === false, null, { timeout: 5_000 });
    const playingFrom = await currentTime(page);
    await page.waitForFunction((t) => (document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.currentTime ?? 0) > t + 0.2, playingFrom, { timeout: 5_000 });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="clip-video"]')?.paused === true, null, { timeout: 5_000 });
    // Space did not press the focused "Frame ▶" (that would have paused on a step, not played).
    // Typing in a field is typing: the note takes the space and the arrows.
    const paused = await currentTime(page);
    await page.locator('[data-testid="clip-note"]').fill('');
    await page.keyboard.type('a b', { delay: 120 });
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('[data-testid="clip-note"]').inputValue()).toBe('a b');
    expect(await currentTime(page)).toBe(paused);
    expect(await video(page).evaluate((v) => (v as HTMLVideoElement).paused)).toBe(true);
  });

  it('exports a clip for WeChat Shop from its page: progress, then the video, sheet and signed bundle as downloads', async () => {
    const page = await openApp('zh-CN', `#/clips/${clipB.id}`);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipB.id}"]`).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="export-preset"] option[value="wechat-shop"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('[data-testid="export-preset"]').selectOption('wechat-shop');
    // The preset's limit is filled in, and can be changed.
    expect(await page.locator('[data-testid="export-max-mb"]').inputValue()).toBe('20');
    await page.locator('[data-testid="export-banner"]').check();
    await page.locator('[data-testid="export-start"]').click();
    await page.locator('[data-testid="export-files"]').waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid="export-plan"]').textContent()).toMatch(/已重新编码为 \d+×\d+/);

    // A real download, named for the upload form.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-file-video"]').click()]);
    // Order (here the waybill: the clip has no order number), clip start in station time, clip, platform.
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${OTHER}_\\d{8}-\\d{4}_clip-${clipB.id}_wechat-shop\\.mp4$`));
    const path = await download.path();
    expect((await import('node:fs')).statSync(path!).size).toBeLessThanOrEqual(20e6);
    for (const role of ['sheet-png', 'sheet-jpg', 'sheet-pdf', 'zip']) await page.locator(`[data-testid="export-file-${role}"]`).waitFor();
    await page.locator('[data-testid="audit-entry"][data-action="export"]').waitFor({ timeout: 5_000 });
  }, 120_000);

  it('says what to try when nothing matches, in Chinese', async () => {
    const page = await openApp('zh-CN', '#/library');
    const box = page.locator('[data-testid="clip-search"]');
    await box.waitFor({ timeout: 10_000 });
    expect(await page.locator('.search-panel__hint').textContent()).toContain('输入运单号后4-6位即可');
    expect(await page.locator('[data-testid="empty-before-search"]').textContent()).toContain('输入订单号或运单号');

    await box.fill('00000');
    await page.locator('[data-testid="clip-results"][data-status="ready"][data-query="00000"]').waitFor({ timeout: 10_000 });
    const noMatch = page.locator('[data-testid="no-match"]');
    await noMatch.waitFor();
    expect(await noMatch.textContent()).toContain('没有视频包含“00000”');
    expect(await noMatch.textContent()).toContain('放宽日期');
    expect(await page.locator('[data-testid="clip-row"]').count()).toBe(0);

    // English too.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await noMatch.textContent()).toContain('No clip contains “00000”');
    expect(await noMatch.textContent()).toContain('widen the dates, or clear the filters');
  });

  it('never lets the answer to an older text replace a newer one', async () => {
    const page = await openApp('en-US', '#/library');
    const box = page.locator('[data-testid="clip-search"]');
    await box.waitFor({ timeout: 10_000 });
    // The answer for "5" is slow; by the time it could arrive, the agent has typed "53589".
    let slowSeen = false;
    const isSlow = (url: URL): boolean => url.pathname === routes.clips && url.searchParams.get('q') === '5';
    await page.route(isSlow, async (route) => {
      slowSeen = true;
      await sleep(1_500);
      await route.continue().catch(() => undefined);
    });
    // How the slow request ended for the page: answered late, or dropped by the page itself.
    const slowSettled = new Promise<string>((resolve) => {
      page.on('requestfinished', (r) => isSlow(new URL(r.url())) && resolve('answered'));
      page.on('requestfailed', (r) => isSlow(new URL(r.url())) && resolve(`failed (${r.failure()?.errorText ?? '?'})`));
    });
    await box.click();
    await page.keyboard.type('5');
    await waitFor(() => slowSeen, 5_000, 'the search for "5" to be sent');
    // A quick person, well inside the 1.5 s the slow answer takes (faster keys would be a scanner's burst: a scan).
    await page.keyboard.type('3589', { delay: 100 });
    await page.locator(`[data-testid="clip-results"][data-status="ready"][data-query="${FRAGMENT}"]`).waitFor({ timeout: 10_000 });
    // The older answer has had its chance: its request is over, and the page has run and painted since.
    const how = await Promise.race([slowSettled, sleep(10_000).then(() => 'still open after 10 s')]);
    console.log(`the search for "5": ${how}`);
    expect(how).not.toBe('still open after 10 s');
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(await page.locator('[data-testid="clip-results"]').getAttribute('data-query')).toBe(FRAGMENT);
    expect(await page.locator('[data-testid="clip-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-clip-id'))))).toEqual([clipA.id]);
  });

  it('opens a clip from a link, and the date filter counts the "to" day in full', async () => {
    const page = await openApp('en-US', `#/clips/${clipB.id}`);
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clipB.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-title"]').textContent()).toBe(OTHER);
    expect(await page.locator('[data-testid="scan-marker"]').count()).toBe(1);

    // Today as the agent's calendar day, from and to: both clips (they were recorded today).
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.goto(`${fx.station.origin}/#/library?from=${today}&to=${today}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="clip-results"][data-status="ready"]').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipA.id}"]`).waitFor();
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipB.id}"]`).waitFor();
    // Newest first.
    const ids = await page.locator('[data-testid="clip-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-clip-id'))));
    expect(ids.indexOf(clipB.id)).toBeLessThan(ids.indexOf(clipA.id));

    // The address changed from outside (typed in the address bar): the fields and results follow.
    await page.evaluate(() => (window.location.hash = '#/library?q=00000'));
    await page.locator('[data-testid="clip-results"][data-status="ready"][data-query="00000"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-search"]').inputValue()).toBe('00000');
    expect(await page.locator('[data-testid="filter-from"]').inputValue()).toBe('');

    // A missing clip id: a clear message.
    await page.goto(`${fx.station.origin}/#/clips/999999`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="clip-error"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-error"]').textContent()).toContain('There is no clip #999999');
  });

  it('loads older clips a page at a time, and finds an order number typed without its dashes', async () => {
    // 32 parcels in a row (each scan switches to the next clip): more than one page of 30.
    const codes = Array.from({ length: 32 }, (_, i) => `111-2223334-${String(i).padStart(7, '0')}`);
    const ids: number[] = [];
    for (const code of codes) ids.push((await scan(code)).id!);
    expect((await scan('PW-STOP')).action).toBe('stopped');

    const page = await openApp('en-US', '#/library?q=1112223334');
    await page.locator('[data-testid="clip-results"][data-status="ready"][data-query="1112223334"]').waitFor({ timeout: 10_000 });
    const rows = page.locator('[data-testid="clip-row"]');
    expect(await rows.count()).toBe(30);
    // The fragment is marked across the dash it skipped.
    expect(await rows.first().locator('mark').allTextContents()).toEqual(['111-2223334']);
    await page.locator('[data-testid="load-more"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="clip-row"]').length === 32, null, { timeout: 10_000 });
    const shown = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-clip-id'))));
    expect(shown).toEqual([...ids].reverse());
    expect(await page.locator('[data-testid="load-more"]').count()).toBe(0);
    expect(await page.locator('.results__end').textContent()).toBe('No older clips');
  });
});
