/**
 * Which view the window shows, from the URL hash, so a clip page can be linked and a reload keeps
 * the view (the server serves the same index.html for every hash; the hash never reaches it):
 *
 *   #/ (or nothing)          the station screen
 *   #/library?q=53589&…      the clip library, with its search in the query
 *   #/clips/123              one clip
 *   #/settings               the station's settings (the operator's only)
 *   #/health                 the station's health: disk, forecast, counts, last errors
 *   #/stations               on a warehouse hub: its stations
 *   #/users                  on a warehouse hub: its office accounts (admins)
 *   #/stats                  packer statistics for a period (the operator's)
 */
import { useMemo, useSyncExternalStore } from 'react';
import { parseId } from '../../../shared/ids.js';

export type Route = { view: 'station' } | { view: 'library'; params: URLSearchParams } | { view: 'clip'; id: number } | { view: 'settings' } | { view: 'health' } | { view: 'stations' } | { view: 'stats' } | { view: 'users' };

export const STATION_HASH = '#/';
export const LIBRARY_HASH = '#/library';
export const SETTINGS_HASH = '#/settings';
export const HEALTH_HASH = '#/health';
export const STATIONS_HASH = '#/stations';
export const STATS_HASH = '#/stats';
export const USERS_HASH = '#/users';

export function clipHash(id: number): string {
  return `#/clips/${id}`;
}

export function libraryHash(params: URLSearchParams): string {
  const qs = params.toString();
  return qs ? `${LIBRARY_HASH}?${qs}` : LIBRARY_HASH;
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [pathname = '', query = ''] = path.split('?', 2);
  if (pathname === '/library' || pathname === '/library/') return { view: 'library', params: new URLSearchParams(query) };
  if (pathname === '/settings' || pathname === '/settings/') return { view: 'settings' };
  if (pathname === '/health' || pathname === '/health/') return { view: 'health' };
  if (pathname === '/stations' || pathname === '/stations/') return { view: 'stations' };
  if (pathname === '/stats' || pathname === '/stats/') return { view: 'stats' };
  if (pathname === '/users' || pathname === '/users/') return { view: 'users' };
  const clip = /^\/clips\/([^/]+)\/?$/.exec(pathname);
  const id = clip ? parseId(clip[1]) : null;
  if (id !== null) return { view: 'clip', id };
  return { view: 'station' };
}

/** history.replaceState fires no event of its own: this one tells useRoute the hash changed. */
const REPLACED = 'packwitness:hash-replaced';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(REPLACED, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(REPLACED, onChange);
  };
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return useMemo(() => parseRoute(hash), [hash]);
}

/**
 * Go to another view. `replace` changes the address without a new history entry (the search query
 * as it is typed: Back should leave the library, not undo one letter).
 */
export function navigate(hash: string, opts: { replace?: boolean } = {}): void {
  if (window.location.hash === hash) return;
  if (opts.replace) {
    history.replaceState(history.state, '', hash);
    window.dispatchEvent(new Event(REPLACED));
  } else {
    window.location.hash = hash;
  }
}

// The library's address with its last search, so "Library" in the header and "Back to search" on a
// clip page return to it. Per tab (sessionStorage): another tab has its own search.
const LAST_LIBRARY_KEY = 'packwitness.libraryHash';

export function rememberLibraryHash(hash: string): void {
  try {
    sessionStorage.setItem(LAST_LIBRARY_KEY, hash);
  } catch {
    // storage disabled: the links go to the empty library
  }
}

export function lastLibraryHash(): string {
  try {
    const h = sessionStorage.getItem(LAST_LIBRARY_KEY);
    return h && parseRoute(h).view === 'library' ? h : LIBRARY_HASH;
  } catch {
    return LIBRARY_HASH;
  }
}
