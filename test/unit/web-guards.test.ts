import { describe, expect, it } from 'vitest';
import { externalUrl, ipcSenderAllowed, navigationDecision, permissionAllowed, redirectAllowed } from '../../electron/desktop/web-guards.js';

const STATION = 'http://127.0.0.1:8417';

describe('the desktop windows', () => {
  it('stay on the station’s pages; web links go to the system browser, other schemes nowhere', () => {
    expect(navigationDecision(`${STATION}/#/library`, STATION)).toEqual({ action: 'allow' });
    expect(navigationDecision('https://help.example.com/a?b=1', STATION)).toEqual({ action: 'open-external', url: 'https://help.example.com/a?b=1' });
    // Another port of the same host is another site.
    expect(navigationDecision('http://127.0.0.1:8418/', STATION)).toEqual({ action: 'open-external', url: 'http://127.0.0.1:8418/' });
    for (const url of ['file:///C:/Windows/System32/calc.exe', 'ms-msdt:/id PCWDiagnostic', 'search-ms:query=x', 'javascript:alert(1)', 'smb://host/share', 'data:text/html,<script>1</script>', 'about:blank', 'not a url', '']) {
      expect(navigationDecision(url, STATION), url).toEqual({ action: 'block' });
      expect(externalUrl(url), url).toBeNull();
    }
  });

  it('follow redirects only within the station (the READY URL’s redirect to /)', () => {
    expect(redirectAllowed(`${STATION}/`, STATION)).toBe(true);
    expect(redirectAllowed('https://evil.example/', STATION)).toBe(false);
    expect(redirectAllowed('http://127.0.0.1:9999/', STATION)).toBe(false);
    // Before the station has started there is no origin: nothing is the station.
    expect(redirectAllowed(`${STATION}/`, '')).toBe(false);
  });

  it('grant the station’s pages only writing the clipboard, and nobody else anything', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${STATION}/#/clips/3`, STATION)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', STATION, STATION)).toBe(true);
    for (const p of ['media', 'clipboard-read', 'notifications', 'geolocation', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen', 'pointerLock', 'display-capture']) {
      expect(permissionAllowed(p, `${STATION}/`, STATION), p).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', STATION)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', '', STATION)).toBe(false);
  });

  it('answer IPC only from the top frame of a station page', () => {
    expect(ipcSenderAllowed({ url: `${STATION}/#/clips/3`, isTop: true }, STATION)).toBe(true);
    expect(ipcSenderAllowed({ url: `${STATION}/`, isTop: false }, STATION)).toBe(false);
    expect(ipcSenderAllowed({ url: 'https://evil.example/', isTop: true }, STATION)).toBe(false);
    expect(ipcSenderAllowed({ url: 'file:///tmp/x.html', isTop: true }, STATION)).toBe(false);
    expect(ipcSenderAllowed(null, STATION)).toBe(false);
  });
});
