/**
 * Who may call which route. The roles are given in the route table (shared/route-table.ts), the one
 * place to read (and edit) when a route is added.
 *
 * Two roles. The **operator** holds the station token (the READY URL, the desktop app, scripts) and
 * may do everything. A **viewer** logs in with the viewer password (LAN mode: customer service on an
 * office PC) and may find, watch and export clips, and protect or annotate them, nothing else: no
 * scans, no settings, no live camera, no segment lists.
 *
 * A route missing from the table is operator-only, so a route someone forgot to classify is never
 * exposed. Keys are the method and the route pattern exactly as registered with Fastify; HEAD goes
 * as GET (Fastify adds a HEAD route for every GET).
 */
import type { FastifyRequest } from 'fastify';
import { stationRoutes, type Access } from '../../../shared/route-table.js';

export type { Access };

/** Method and pattern → access, from the route table (shared/route-table.ts), where each route's role is given with its reason. */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  ...Object.fromEntries(Object.values(stationRoutes).map((r) => [`${r.method} ${r.path}`, r.access])),
  // @fastify/static's routes for the UI.
  'GET /': 'ui',
  'GET /*': 'ui',
};

/** The access a request needs, from the route Fastify matched (undefined: no route, a 404). */
export function accessFor(method: string, routeUrl: string | undefined, path: string): Access {
  if (routeUrl === undefined) return 'operator';
  const access = ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${routeUrl}`] ?? 'operator';
  // The UI's catch-all also matches unknown /api/ paths; those are API calls, not UI files.
  if (access === 'ui' && path.startsWith('/api/')) return 'operator';
  return access;
}

export type Principal = { role: 'operator' } | { role: 'viewer'; ip: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the guard before any handler runs; null on public routes without credentials. */
    principal: Principal | null;
  }
}

export function isViewer(req: FastifyRequest): boolean {
  return req.principal?.role === 'viewer';
}
