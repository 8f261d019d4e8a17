/**
 * The UI under its Content-Security-Policy in a real Chromium: every screen works with no CSP
 * violation (no inline script, no eval — zod runs jitless —, nothing fetched from elsewhere), and the
 * READY URL's token is gone from the address bar and the tab's history once the cookie is set, and
 * rides along in no Referer.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { launchChromium } from '../helpers/browser.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const RECORDING = '[data-testid="recording-indicator"][data-recording="true"]';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

describe('browser hardening (Chromium)', () => {
  let station: StationProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const violations: Violation[] = [];
  const cspConsole: string[] = [];
  const referers: string[] = [];
  let clipId: number;

  beforeAll(async () => {
    [station, browser] = await Promise.all([startStation(), launchChromium()]);
    const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    await waitFor(async () => StatusResponse.parse(await (await station.api(routes.status)).json()).segmentCount > 0, 30_000, 'the first segment');
    clipId = ScanResponse.parse(await (await post('SF1414213562373')).json()).id!;
    await new Promise((r) => setTimeout(r, 1_500));
    await post('PW-STOP');
    await waitFor(async () => Clip.parse(await (await station.api(routes.clip(clipId))).json()).video !== null, 30_000, 'the clip video');

    context = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 720 } });
    // Every violation the page reports, caught or not (zod's eval probe is caught by zod, yet reported).
    await context.addInitScript(() => {
      const seen: Array<{ directive: string; blocked: string; sample: string }> = [];
      (window as unknown as { cspViolations: typeof seen }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspConsole.push(m.text());
    });
    page.on('request', (r) => {
      void r.allHeaders().then((h) => {
        // Chromium reports an empty Referer on some preloads: empty carries nothing.
        if (h.referer) referers.push(`${r.url()} ← ${h.referer}`);
      });
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  async function collect(): Promise<void> {
    violations.push(...(await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations.splice(0))));
  }

  it('takes the token out of the address bar and the history once the cookie is set', async () => {
    const entriesBefore = await page.evaluate(() => history.length);
    await page.goto(station.url);
    await page.waitForSelector(RECORDING, { timeout: 20_000 });
    expect(station.url).toContain('token=');
    expect(page.url()).toBe(`${station.origin}/`);
    // The 303 replaces the navigation: one history entry was added, the clean URL; Back goes to the
    // page before (the new tab's blank page), never to the URL with the token.
    expect(await page.evaluate(() => history.length)).toBe(entriesBefore + 1);
    await page.goBack();
    expect(page.url()).toBe('about:blank');
    await page.goForward();
    expect(page.url()).toBe(`${station.origin}/`);
    await page.waitForSelector(RECORDING, { timeout: 20_000 });
    expect(await page.evaluate(() => location.href)).not.toContain('token');
    // The cookie is HttpOnly: the page's scripts never see the token either.
    expect(await page.evaluate(() => document.cookie)).not.toContain(station.token);
    await collect();
  });

  it('runs every screen under the policy without a violation, and sends no Referer', async () => {
    await page.click('[data-testid="open-command-sheet"]');
    await page.waitForSelector('[data-testid="command-barcode"] rect', { timeout: 10_000 });
    await page.keyboard.press('Escape');
    await collect();
    for (const hash of ['#/library', `#/clips/${clipId}`, '#/settings', '#/health', '#/stats', '#/']) {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.waitForTimeout(1_000);
      await collect();
    }
    // The clip page really played its part: the video element loaded the clip from the station.
    await page.evaluate((h) => (location.hash = h), `#/clips/${clipId}`);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 15_000 });
    await collect();
    expect(violations).toEqual([]);
    expect(cspConsole).toEqual([]);
    expect(referers).toEqual([]);
  });

  it('reports a violation when the page tries inline script or a foreign connection (the policy is in force)', async () => {
    await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
      await fetch('http://127.0.0.2:9/x').catch(() => undefined);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    const seen = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations.map((v) => v.directive));
    expect(seen).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
  });
});
