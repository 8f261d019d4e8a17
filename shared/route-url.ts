/**
 * A route's URL from its pattern (`/api/clips/:id`), the one way every path with a parameter is
 * built: the route tables' entries (route-table.ts, hub-route-table.ts), the path builders of
 * shared/api.ts and the clients. Imports nothing, so shared/api.ts can fill its patterns with it.
 */

/** `/api/clips/:id` with `{ id: 7 }` → `/api/clips/7`; each value percent-encoded. */
export function fillPath(pattern: string, params: Record<string, string | number> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pattern}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}

/** The query string of a request, without the fields left out or empty; '' when none is left. */
export function queryString(query: Record<string, unknown> | URLSearchParams | undefined): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** A route's URL: its pattern filled in, then its query. */
export function routeUrl(entry: { path: string }, params?: Record<string, string | number>, query?: Record<string, unknown> | URLSearchParams): string {
  return fillPath(entry.path, params) + queryString(query);
}
