/**
 * Who may call which route: the one table to read (and edit) when a route is added.
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
import { hubRoutes, routes } from '../../../shared/api.js';

/**
 * - public:   anyone who passed the Host check (health, the login endpoints)
 * - viewer:   a viewer session or the token
 * - operator: the token only
 * - ui:       the built UI's files: public when viewer login is on (the login screen must load
 *             before anyone has logged in; the files hold no data), else operator-only as before
 */
export type Access = 'public' | 'viewer' | 'operator' | 'ui';

export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  [`GET ${routes.health}`]: 'public',
  [`GET ${routes.session}`]: 'public',
  [`POST ${routes.login}`]: 'public',
  [`POST ${routes.logout}`]: 'public',

  [`GET ${routes.status}`]: 'viewer',
  [`GET ${routes.clips}`]: 'viewer',
  'GET /api/clips/:id': 'viewer',
  'GET /api/clips/:id/audit': 'viewer',
  'GET /api/clips/:id/thumbnail.jpg': 'viewer',
  'GET /api/clips/:id/video': 'viewer',
  // Protect and note are what customer service does with a disputed clip: neither touches footage,
  // and the audit log records the viewer and their address. Unprotecting (which makes the footage
  // deletable) stays the operator's: the route itself refuses it to viewers.
  'PATCH /api/clips/:id': 'viewer',
  // Exports: the reason customer service opens the library at all.
  'POST /api/clips/:id/export': 'viewer',
  'GET /api/exports': 'viewer',
  'GET /api/exports/:id': 'viewer',
  'DELETE /api/exports/:id': 'viewer',
  'GET /api/exports/:id/files/:role': 'viewer',
  // Reading the presets lets a viewer pick one; changing them (PUT) is a setting.
  [`GET ${routes.exportPresets}`]: 'viewer',
  // The built-ins as shipped: the settings screen's reset button.
  [`GET ${routes.exportPresetDefaults}`]: 'operator',

  // Desktop app: crash log entries carry stacks with this PC's paths: operator only.
  [`GET ${routes.crashLog}`]: 'operator',

  // Station settings: the operator's. Named here anyway so the table shows every route.
  // The camera test spawns ffmpeg against any address it is given: never for viewers. The display
  // defaults (language, sounds) are read by every screen, the library's too.
  [`GET ${routes.settingsInfo}`]: 'operator',
  [`GET ${routes.stationSettings}`]: 'operator',
  [`PUT ${routes.stationSettings}`]: 'operator',
  [`GET ${routes.cameraSettings}`]: 'operator',
  [`PUT ${routes.cameraSettings}`]: 'operator',
  [`GET ${routes.cameraListSettings}`]: 'operator',
  [`PUT ${routes.cameraListSettings}`]: 'operator',
  [`GET ${routes.cameras}`]: 'operator',
  [`POST ${routes.cameraTest}`]: 'operator',
  [`GET ${routes.displaySettings}`]: 'viewer',
  [`PUT ${routes.displaySettings}`]: 'operator',
  [`GET ${routes.lanSettings}`]: 'operator',
  [`PUT ${routes.lanSettings}`]: 'operator',
  [`POST ${routes.scanTest}`]: 'operator',
  // Health page: disk, rate, counts and recent errors; no footage, no settings.
  [`GET ${routes.healthReport}`]: 'viewer',
  // ---- Retention settings: settings are the operator's, read and write. ----
  [`GET ${routes.retentionSettings}`]: 'operator',
  [`PUT ${routes.retentionSettings}`]: 'operator',
  // ---- Hardware encoder setting: the operator's, read and write. ----
  [`GET ${routes.encoderSettings}`]: 'operator',
  [`PUT ${routes.encoderSettings}`]: 'operator',
  // ---- Storage folder move: stops the station and moves every file: the operator's. ----
  [`POST ${routes.storageMove}`]: 'operator',
  // ---- Warehouse hub: joining a hub is a setting, the operator's. ----
  [`GET ${hubRoutes.stationHubSettings}`]: 'operator',
  [`PUT ${hubRoutes.stationHubSettings}`]: 'operator',
  [`GET ${hubRoutes.stationHubUpload}`]: 'operator',
  [`PUT ${hubRoutes.stationHubUpload}`]: 'operator',

  // ---- Claim check: customer service answers the buyer's photos, as it exports. ----
  'POST /api/clips/:id/claims': 'viewer',
  'GET /api/clips/:id/claims': 'viewer',
  [`POST ${routes.claimIdentify}`]: 'viewer',
  'GET /api/claims/:claim/photos/:position/preview.jpg': 'viewer',
  'GET /api/clips/:id/claims/:claim/appeal-text': 'viewer',

  // ---- Orders: a shop's system pushes orders with the token; viewers never write orders. ----
  [`POST ${routes.orders}`]: 'operator',
  [`POST ${routes.ordersFilePreview}`]: 'operator',
  [`POST ${routes.ordersFile}`]: 'operator',
  // Throughput per packer is about people: the operator's until someone decides viewers may read it.
  [`GET ${routes.stats}`]: 'operator',
  [`GET ${routes.statsCsv}`]: 'operator',
  // Packer names are a setting (and about people): the operator's, read and write.
  [`GET ${routes.packers}`]: 'operator',
  [`POST ${routes.packers}`]: 'operator',
  'PUT /api/packers/:code': 'operator',
  'DELETE /api/packers/:code': 'operator',

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
