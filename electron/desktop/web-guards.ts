/**
 * What the desktop shell lets its windows do, as pure decisions (main.ts binds them to Electron's
 * events; tested in test/unit/web-guards.test.ts without Electron).
 *
 * The windows show the station's own pages over http://127.0.0.1:<port>. Everything else is someone
 * else's content: a link in a clip note, a redirect a compromised page asks for. The shell never shows
 * it, never hands it a permission or an IPC channel, and gives the system browser only web links:
 * `shell.openExternal` on any other scheme starts whatever program the OS registered for it
 * (`file:` runs a file, `ms-msdt:`/`search-ms:` were code execution on Windows).
 */

/** Schemes the system browser may be handed; anything else is dropped. */
export const EXTERNAL_SCHEMES: ReadonlySet<string> = new Set(['https:', 'http:']);

/**
 * Permissions the station's own pages may have: writing the clipboard (the clip page's and the key
 * fingerprint's Copy buttons). Camera, microphone, notifications, geolocation, reading the clipboard,
 * HID/serial/USB, and the rest are refused: the station records the camera itself, in Node.
 */
export const STATION_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // URL gives the string "null" for opaque origins (data:, file:, about:): never the station's.
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** True when `url` is one of the station's pages (same scheme, host and port). */
export function isStationUrl(url: string, stationOrigin: string): boolean {
  return stationOrigin !== '' && originOf(url) === stationOrigin;
}

/** The URL to give the system browser, or null when its scheme is not a web one (or it does not parse). */
export function externalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return EXTERNAL_SCHEMES.has(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

export type NavigationDecision = { action: 'allow' } | { action: 'open-external'; url: string } | { action: 'block' };

/**
 * A navigation of a station window (will-navigate) or a window.open: station pages stay, web links
 * go to the system browser, the rest goes nowhere.
 */
export function navigationDecision(url: string, stationOrigin: string): NavigationDecision {
  if (isStationUrl(url, stationOrigin)) return { action: 'allow' };
  const ext = externalUrl(url);
  return ext ? { action: 'open-external', url: ext } : { action: 'block' };
}

/**
 * A server redirect (will-redirect): only within the station (the READY URL's redirect to `/`). A
 * redirect elsewhere is not something the operator clicked, so it is not opened in the browser either.
 */
export function redirectAllowed(url: string, stationOrigin: string): boolean {
  return isStationUrl(url, stationOrigin);
}

/** A permission request or check from a window: only the station's pages, only what they need. */
export function permissionAllowed(permission: string, requestingUrl: string, stationOrigin: string): boolean {
  return STATION_PERMISSIONS.has(permission) && isStationUrl(requestingUrl, stationOrigin);
}

/**
 * An IPC message is answered only when it comes from the top frame of a station page. `frame` is
 * Electron's `event.senderFrame` (null once the frame navigated away or was destroyed); an iframe,
 * or a page a navigation guard missed, gets nothing.
 */
export function ipcSenderAllowed(frame: { url: string; isTop: boolean } | null, stationOrigin: string): boolean {
  return frame !== null && frame.isTop && isStationUrl(frame.url, stationOrigin);
}
