/**
 * The UI under its Content-Security-Policy in a real Chromium: every screen works with no CSP
 * violation (no inline script, no eval — zod runs jitless —, nothing fetched from elsewhere), and the
 * READY URL's token is gone from the address bar and the tab's history once the cookie is set, and
 * rides along in no Referer.
 */
import { describe, expect, it } from 'vitest';
import { Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { stationInBrowser } from '../helpers/station-browser.js';
import { waitFor } from '../helpers/station-process.js';

const RECORDING = '[data-testid="recording-indicator"][data-recording="true"]';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

describe('browser hardening (Chromium)', () => {
  const violations: Violation[] = [];
  const cspConsole: string[] = [];
  const referers: string[] = [];
  let clipId: number;

  const fx = stationInBrowser({
    setup: async (station) => {
      const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      await waitFor(async () => StatusResponse.parse(await (await station.api(routes.status)).json()).segmentCount > 0, 30_000, 'the first segment');
      clipId = ScanResponse.parse(await (await post('SF1414213562373')).json()).id!;
      await new Promise((r) => setTimeout(r, 1_500));
      await post('PW-STOP');
      await waitFor(async () => Clip.parse(await (await station.api(routes.clip(clipId))).json()).video !== null, 30_000, 'the clip video');
    },
    // The tests navigate this page themselves, the first one from its blank start.
    page: {
      locale: 'en',
      viewport: { width: 1280, height: 720 },
      navigate: false,
      beforeGoto: async (page, context) => {
        // Every violation the page reports, caught or not (zod's eval probe is caught by zod, yet reported).
        await context.addInitScript(() => {
          const seen: Array<{ directive: string; blocked: string; sample: string }> = [];
          (window as unknown as { cspViolations: typeof seen }).cspViolations = seen;
          document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
        });
        page.on('console', (m) => {
          if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspConsole.push(m.text());
        });
        page.on('request', (r) => {
          void r.allHeaders().then((h) => {
            // Chromium reports an empty Referer on some preloads: empty carries nothing.
            if (h.referer) referers.push(`${r.url()} ← ${h.referer}`);
          });
        });
      },
    },
    timeoutMs: 90_000,
  });

  async function collect(): Promise<void> {
    violations.push(...(await fx.page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations.splice(0))));
  }

  it('takes the token out of the address bar and the history once the cookie is set', async () => {
    const entriesBefore = await fx.page.evaluate(() => history.length);
    await fx.page.goto(fx.station.url);
    await fx.page.waitForSelector(RECORDING, { timeout: 20_000 });
    expect(fx.station.url).toContain('token=');
    expect(fx.page.url()).toBe(`${fx.station.origin}/`);
    // The 303 replaces the navigation: one history entry was added, the clean URL; Back goes to the
    // page before (the new tab's blank page), never to the URL with the token.
    expect(await fx.page.evaluate(() => history.length)).toBe(entriesBefore + 1);
    await fx.page.goBack();
    expect(fx.page.url()).toBe('about:blank');
    await fx.page.goForward();
    expect(fx.page.url()).toBe(`${fx.station.origin}/`);
    await fx.page.waitForSelector(RECORDING, { timeout: 20_000 });
    expect(await fx.page.evaluate(() => location.href)).not.toContain('token');
    // The cookie is HttpOnly: the page's scripts never see the token either.
    expect(await fx.page.evaluate(() => document.cookie)).not.toContain(fx.station.token);
    await collect();
  });

  it('runs every screen under the policy without a violation, and sends no Referer', async () => {
    await fx.page.click('[data-testid="open-command-sheet"]');
    await fx.page.waitForSelector('[data-testid="command-barcode"] rect', { timeout: 10_000 });
    await fx.page.keyboard.press('Escape');
    await collect();
    for (const hash of ['#/library', `#/clips/${clipId}`, '#/settings', '#/health', '#/stats', '#/']) {
      await fx.page.evaluate((h) => (location.hash = h), hash);
      await fx.page.waitForLoadState('networkidle').catch(() => undefined);
      await fx.page.waitForTimeout(1_000);
      await collect();
    }
    // The clip page really played its part: the video element loaded the clip from the station.
    await fx.page.evaluate((h) => (location.hash = h), `#/clips/${clipId}`);
    await fx.page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 15_000 });
    await collect();
    expect(violations).toEqual([]);
    expect(cspConsole).toEqual([]);
    expect(referers).toEqual([]);
  });

  it('reports a violation when the page tries inline script or a foreign connection (the policy is in force)', async () => {
    await fx.page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
      await fetch('http://127.0.0.2:9/x').catch(() => undefined);
    });
    await fx.page.waitForTimeout(300);
    expect(await fx.page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    const seen = await fx.page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations.map((v) => v.directive));
    expect(seen).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
  });
});
