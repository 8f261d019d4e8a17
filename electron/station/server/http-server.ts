/**
 * The station's HTTP server: the JSON API, the live preview, and the built React UI.
 *
 * Fastify rather than bare node:http: routing, a request-size limit, onRequest hooks for the Host
 * check and the roles (guard.ts), and @fastify/static (which resolves paths safely and serves byte
 * ranges) are the parts we would otherwise write and get wrong. See docs/server.md.
 *
 * URLs carry ids, never file paths: every route parameter is validated as an integer (or a job's
 * UUID) by its schema, files are looked up by id in the database, and nothing a client sends is
 * joined onto a folder except by @fastify/static under the UI folder.
 *
 * Who may call a route is decided in access.ts (a table; unlisted routes are operator-only).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GapsResponse, HealthReport, SegmentsResponse, StatusResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import type { PreviewTap } from '../recorder/preview-tap.js';
import { BODY_LIMIT_BYTES, REQUEST_TIMEOUT_MS } from '../limits.js';
import { msg, errorBody, LocalizedError, refusal } from '../localized-error.js';
import { registerGuard } from './guard.js';
import { registerLoginRoutes } from './login-routes.js';
import { LoginThrottle } from './login-throttle.js';
import { servePreview, servePreviewFrame } from './preview-route.js';
import { registerExportRoutes, type ExportRouteDeps } from './export-routes.js';
import { registerScanRoutes, type ScanRouteDeps } from './scan-routes.js';
import { registerCrashLogRoute } from './crash-log-route.js';
import { registerSettingsRoutes, type SettingsRouteDeps } from './settings-routes.js';
// Hardware encoder setting
import { registerEncoderRoutes, type EncoderRouteDeps } from './encoder-routes.js';
import { registerStorageRoutes, type StorageRouteDeps } from './storage-routes.js';
import { registerClaimRoutes, type ClaimRouteDeps } from './claim-routes.js';
import { registerOrdersRoutes } from './orders-routes.js';
import { registerOrderFileRoutes } from './order-file-routes.js';
import { registerStatsRoutes } from './stats-routes.js';
import type { SecurityConfig } from './security-config.js';
import { ViewerSessions } from './viewer-sessions.js';
// Warehouse hub
import { registerHubRoutes, type HubRouteDeps } from './hub-routes.js';
import { registerPackerRoutes, type PackerRouteDeps } from './packer-routes.js';

export interface ServerDeps {
  /** Token, viewer password, listening address, allowed hosts, CORS origins (security-config.ts). */
  security: SecurityConfig;
  /** Built renderer (index.html and assets); when missing, the API still works and / says how to build. */
  uiDir: string;
  status: () => StatusResponse;
  segments: (fromMs: number, toMs: number) => SegmentsResponse;
  gaps: () => GapsResponse;
  /** The live preview of a camera (its id; undefined: the main camera), null for a camera the station does not have. */
  previews: (camera: string | undefined) => PreviewTap | null;
  scanRoutes: ScanRouteDeps;
  exportRoutes: ExportRouteDeps;
  /** The settings screen's sections. */
  settingsRoutes: SettingsRouteDeps;
  /** Health page. */
  healthReport: () => Promise<HealthReport>;
  /** Retention settings. */
  storageRoutes?: StorageRouteDeps;
  /** Hardware encoder setting. */
  encoderRoutes?: EncoderRouteDeps;
  /** Claim check. */
  claimRoutes?: ClaimRouteDeps;
  /** The link to a warehouse hub. */
  hubRoutes?: HubRouteDeps;
  /** The names printed on the packers' badges. */
  packerRoutes?: PackerRouteDeps;
}

export async function createHttpServer(deps: ServerDeps): Promise<FastifyInstance> {
  // forceCloseConnections: open preview streams never end by themselves; without it close() waits forever.
  // Headers (URL included) are capped by Node at 16 KB: larger gets 431 before Fastify sees it.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
    forceCloseConnections: true,
  });

  // Before any route: a route keeps the error handler that was in place when it was registered.
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => reply.code(404).send(refusal(msg('http.notFound'))));
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // Client errors say what was wrong; server errors say nothing about internals.
    if (code === 413) return void reply.code(code).send(refusal(msg('http.bodyTooLarge', { kb: BODY_LIMIT_BYTES / 1024 })));
    if (code >= 500) return void reply.code(code).send(refusal(msg('common.internalError')));
    // Fastify's own refusals (a body that is not JSON, a content type no route takes) are English:
    // they go as the detail of a sentence the UI words in its language.
    void reply.code(code).send(err instanceof LocalizedError ? errorBody(err) : refusal(msg('http.requestRefused', { detail: err.message })));
  });

  const sessions = new ViewerSessions();
  // One budget of wrong credentials per address, for tokens (the guard) and passwords (the login) alike.
  const throttle = new LoginThrottle();
  await registerGuard(app, deps.security, sessions, throttle);
  registerLoginRoutes(app, deps.security.viewerPassword, sessions, throttle);

  addRoute(app, r.health, async () => ({ ok: true as const }));
  addRoute(app, r.status, async () => deps.status());
  addRoute(app, r.healthReport, async () => deps.healthReport());
  addRoute(app, r.gaps, async () => deps.gaps());
  addRoute(app, r.segments, async (req, reply) => {
    const from = req.query.from ? Date.parse(req.query.from) : 0;
    const to = req.query.to ? Date.parse(req.query.to) : 8.64e15;
    if (Number.isNaN(from) || Number.isNaN(to)) return reply.code(400).send(refusal(msg('http.fromToIsoTimes')));
    return deps.segments(from, to);
  });
  addRoute(app, r.preview, (req, reply) => servePreview(deps.previews, req, reply));
  addRoute(app, r.previewFrame, (req, reply) => servePreviewFrame(deps.previews, req, reply));

  registerScanRoutes(app, deps.scanRoutes);
  registerExportRoutes(app, deps.exportRoutes);
  // Desktop app: the crash log, for the health page.
  registerCrashLogRoute(app, deps.scanRoutes.dataDir);
  registerSettingsRoutes(app, deps.settingsRoutes);
  if (deps.storageRoutes) registerStorageRoutes(app, deps.storageRoutes);
  if (deps.encoderRoutes) registerEncoderRoutes(app, deps.encoderRoutes);
  if (deps.claimRoutes) await registerClaimRoutes(app, deps.claimRoutes);
  if (deps.hubRoutes) registerHubRoutes(app, deps.hubRoutes);
  // Orders
  registerOrdersRoutes(app, { db: deps.scanRoutes.db });
  registerOrderFileRoutes(app, { db: deps.scanRoutes.db });
  registerStatsRoutes(app, { db: deps.scanRoutes.db });
  if (deps.packerRoutes) registerPackerRoutes(app, deps.packerRoutes);

  const uiBuilt = existsSync(join(deps.uiDir, 'index.html'));
  // Registered even without a UI: its reply.sendFile serves clip videos with Range support.
  await app.register(fastifyStatic, {
    root: uiBuilt ? deps.uiDir : deps.scanRoutes.dataDir,
    serve: uiBuilt,
    prefix: '/',
    index: ['index.html'],
    dotfiles: 'deny',
    cacheControl: false,
  });
  if (!uiBuilt) {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('The station is running, but its UI is not built. Run `npm run build` and reload.\n'),
    );
  }

  return app;
}
