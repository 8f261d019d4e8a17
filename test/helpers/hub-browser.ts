/**
 * A real hub (embedded PostgreSQL), real stations joined to it at start (`--hub` with a fresh pairing
 * token each) and Debian's Chromium, registered as a vitest file's beforeAll/afterAll: the hub e2e
 * files state only their stations, their pages and their checks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, newPageIn, type NewPageOptions } from './browser.js';
import { joinHubArgs, startHub, type HubProcess } from './hub-process.js';
import type { StartStationOptions } from './station-browser.js';
import { startStation, type StationProcess } from './station-process.js';

export interface HubPageOptions extends NewPageOptions {
  /** Appended to the hub's READY URL, e.g. '#/library'. */
  hash?: string;
  /** false: the page stays blank, for a test that navigates itself. */
  navigate?: boolean;
}

export interface HubBrowserFixture {
  readonly hub: HubProcess;
  /** In the order given. */
  readonly stations: readonly StationProcess[];
  readonly browser: Browser;
  /** A new context and page on the hub's READY URL (the page has loaded with a 200). */
  openPage: (opts?: HubPageOptions) => Promise<Page>;
}

export function hubInBrowser(opts: { stations: StartStationOptions[]; timeoutMs?: number }): HubBrowserFixture {
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;
  let stations: StationProcess[] = [];
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the hub, stations and Chromium are not up (did beforeAll fail?)');
    return v;
  };

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startHub(), launchChromium()]);
    const h = hub;
    const started = await Promise.allSettled(opts.stations.map(async (s) => startStation({ ...s, args: [...(s.args ?? []), ...(await joinHubArgs(h))] })));
    stations = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }, opts.timeoutMs ?? 90_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(stations.map((s) => s.stop()));
    await hub?.stop();
  });

  return {
    get hub() {
      return need(hub);
    },
    get stations() {
      return stations;
    },
    get browser() {
      return need(browser);
    },
    openPage: async (o = {}) => {
      const page = await newPageIn(need(browser), o);
      if (o.navigate === false) return page;
      const url = need(hub).url + (o.hash ?? '');
      const res = await page.goto(url, { waitUntil: 'domcontentloaded' });
      if (res?.status() !== 200) throw new Error(`the hub answered ${res?.status() ?? 'nothing'} for ${url}`);
      return page;
    },
  };
}
