/**
 * A video element's picture size as the browser decoded it ("640x360"), once its metadata is in:
 * the multi-camera tests tell cameras apart by giving them different sizes.
 */
import type { Page } from 'playwright-core';

export function videoSize(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate(async (v: HTMLVideoElement) => {
    if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
    return `${v.videoWidth}x${v.videoHeight}`;
  });
}
