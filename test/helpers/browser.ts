/**
 * Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers on
 * the build machines). The flags keep it from calling home: this machine's network refuses it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface NewPageOptions {
  /** en-US unless told. */
  locale?: string;
  /** 1280×900 unless told. */
  viewport?: { width: number; height: number };
  /** More for the context (permissions, …). */
  contextOptions?: BrowserContextOptions;
}

/** A blank page in a context of its own (close it with page.context().close()); the page's errors go to the test's log. */
export async function newPageIn(browser: Browser, o: NewPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: o.locale ?? 'en-US', viewport: o.viewport ?? { width: 1280, height: 900 }, ...o.contextOptions });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  return page;
}
