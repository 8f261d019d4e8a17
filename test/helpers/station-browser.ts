/**
 * A real station (the built CLI, on the demo camera unless told otherwise) and Debian's Chromium,
 * started side by side, with pages opened on the station the way an operator opens them: the READY
 * URL, which trades the token for the cookie and redirects to '/' (a hash goes along).
 *
 * `openStationInBrowser` is the plain core; `stationInBrowser` registers it as a vitest file's
 * beforeAll/afterAll, so each e2e file states only what differs: its station, its page, its checks.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, newPageIn, type NewPageOptions } from './browser.js';
import { startStation, type StationProcess } from './station-process.js';

export type StartStationOptions = NonNullable<Parameters<typeof startStation>[0]>;

export interface OpenPageOptions extends NewPageOptions {
  /** Appended to the READY URL, e.g. '#/settings'. */
  hash?: string;
  /** false: the page stays blank, for a test that navigates itself and checks the answer (a 401, a login). */
  navigate?: boolean;
  /** 'domcontentloaded' unless told: the station screen's MJPEG preview never finishes loading. */
  waitUntil?: 'load' | 'domcontentloaded';
  /** Runs on the new page before it navigates (listeners, init scripts, recording tones). */
  beforeGoto?: (page: Page, context: BrowserContext) => Promise<void> | void;
  /** A selector that must be visible before the page is handed over. */
  ready?: string;
  /** 15 s unless told. */
  readyTimeoutMs?: number;
}

export interface StationInBrowser {
  readonly station: StationProcess;
  readonly browser: Browser;
  /** A new context and page on the station (the page has loaded with a 200, and `ready` is visible). */
  openPage: (opts?: OpenPageOptions) => Promise<Page>;
  /** Closes every context opened so far (the browser and station stay). */
  closePages: () => Promise<void>;
  /** Closes the pages and the browser, and stops the station. */
  close: () => Promise<void>;
}

/**
 * Starts the station and Chromium at once. `start` replaces the plain start when the station needs
 * more than options (a saved setting first, a camera that must be up before it).
 */
export async function openStationInBrowser(opts: { station?: StartStationOptions; start?: () => Promise<StationProcess> } = {}): Promise<StationInBrowser> {
  const started = await Promise.allSettled([opts.start ? opts.start() : startStation(opts.station), launchChromium()]);
  const [s, b] = started;
  if (s.status === 'rejected' || b.status === 'rejected') {
    // Whichever did start must not outlive the failure.
    if (s.status === 'fulfilled') await s.value.stop();
    if (b.status === 'fulfilled') await b.value.close();
    throw s.status === 'rejected' ? s.reason : (b as PromiseRejectedResult).reason;
  }
  const station = s.value;
  const browser = b.value;
  let contexts: BrowserContext[] = [];

  async function openPage(o: OpenPageOptions = {}): Promise<Page> {
    const page = await newPageIn(browser, o);
    const context = page.context();
    contexts.push(context);
    await o.beforeGoto?.(page, context);
    if (o.navigate === false) return page;
    const url = station.url + (o.hash ?? '');
    const res = await page.goto(url, { waitUntil: o.waitUntil ?? 'domcontentloaded' });
    if (res?.status() !== 200) throw new Error(`the station answered ${res?.status() ?? 'nothing'} for ${url}`);
    if (o.ready) await page.locator(o.ready).waitFor({ timeout: o.readyTimeoutMs ?? 15_000 });
    return page;
  }

  async function closePages(): Promise<void> {
    const open = contexts;
    contexts = [];
    await Promise.all(open.map((c) => c.close()));
  }

  return {
    station,
    browser,
    openPage,
    closePages,
    close: async () => {
      await closePages();
      await browser.close();
      await station.stop();
    },
  };
}

export interface StationBrowserFixture {
  readonly station: StationProcess;
  readonly browser: Browser;
  /** The page `page` opened in beforeAll (throws if none was asked for). */
  readonly page: Page;
  readonly context: BrowserContext;
  /** A further page; it and its context close after the test that opened it. */
  newPage: (opts?: OpenPageOptions) => Promise<Page>;
}

/**
 * Registers the file's beforeAll/afterAll (and an afterEach closing the pages each test opened: an
 * open station screen keeps an MJPEG stream to the station). `setup` runs once the station is READY
 * and Chromium is up, before `page` opens; `timeoutMs` covers all of it.
 */
export function stationInBrowser(
  opts: {
    station?: StartStationOptions;
    start?: () => Promise<StationProcess>;
    setup?: (station: StationProcess, browser: Browser) => Promise<void>;
    page?: OpenPageOptions;
    timeoutMs?: number;
  } = {},
): StationBrowserFixture {
  let open: StationInBrowser | undefined;
  let page: Page | undefined;
  /** Contexts a test opened, apart from the file's own page. */
  let testContexts: BrowserContext[] = [];
  const need = (): StationInBrowser => {
    if (!open) throw new Error('the station and Chromium are not up (did beforeAll fail?)');
    return open;
  };

  beforeAll(async () => {
    open = await openStationInBrowser(opts);
    await opts.setup?.(open.station, open.browser);
    if (opts.page) page = await open.openPage(opts.page);
  }, opts.timeoutMs ?? 60_000);
  afterEach(async () => {
    const done = testContexts;
    testContexts = [];
    await Promise.all(done.map((c) => c.close()));
  });
  afterAll(async () => {
    await open?.close();
  });

  return {
    get station() {
      return need().station;
    },
    get browser() {
      return need().browser;
    },
    get page() {
      if (!page) throw new Error('no page: pass `page` to stationInBrowser');
      return page;
    },
    get context() {
      return this.page.context();
    },
    newPage: async (o) => {
      const p = await need().openPage(o);
      testContexts.push(p.context());
      return p;
    },
  };
}
