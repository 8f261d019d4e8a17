/**
 * Who may call which hub route: the roles are given in the hub's route table
 * (shared/hub-route-table.ts), the one place to read (and edit) when a route is added.
 *
 * A route missing from the table is the admins', so a route someone forgot to classify is never
 * exposed. Keys are the method and the pattern exactly as registered with Fastify; HEAD goes as GET
 * (Fastify adds a HEAD route for every GET).
 */
import { hubRouteTable, type HubAccess } from '../../../shared/hub-route-table.js';

export type { HubAccess };

/** @fastify/static's patterns for the UI, the hub's only routes outside the table: its files hold no data, and the login page must load. */
export const HUB_UI_ROUTES: readonly string[] = ['/', '/*'];

/** Method and pattern → access, from the hub's route table. */
export const HUB_ROUTE_ACCESS: Readonly<Record<string, HubAccess>> = {
  ...Object.fromEntries(Object.values(hubRouteTable).map((r) => [`${r.method} ${r.path}`, r.access])),
  ...Object.fromEntries(HUB_UI_ROUTES.map((url) => [`GET ${url}`, 'public' as const])),
};

/** The access a request needs, from the route Fastify matched; null: no route (the 404 answers, as to anyone). */
export function hubAccessFor(method: string, routeUrl: string | undefined): HubAccess | null {
  if (routeUrl === undefined) return null;
  return HUB_ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${routeUrl}`] ?? 'admin';
}
