/**
 * The station's HTTP server: the JSON API, the live preview, and the built React UI.
 *
 * Fastify rather than bare node:http: routing, a request-size limit, a single onRequest hook for the
 * token, and @fastify/static (which resolves paths safely and serves byte ranges) are the parts we
 * would otherwise write and get wrong. See docs/ARCHITECTURE.md.
 *
 * URLs carry ids, never file paths: nothing a client sends is joined onto a folder except by
 * @fastify/static under the UI folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { routes, type ErrorResponse, type GapsResponse, type HealthResponse, type SegmentsResponse, type StatusResponse } from '../../../shared/api.js';
import type { PreviewHub } from '../recorder/preview.js';
import { bearerToken, cookieToken, tokenCookie, tokenMatches } from './auth.js';
import { servePreview, servePreviewFrame } from './preview-route.js';
import { registerExportRoutes, type ExportRouteDeps } from './export-routes.js';
import { registerScanRoutes, type ScanRouteDeps } from './scan-routes.js';

export interface ServerDeps {
  token: string;
  /** Built renderer (index.html and assets); when missing, the API still works and / says how to build. */
  uiDir: string;
  status: () => StatusResponse;
  segments: (fromMs: number, toMs: number) => SegmentsResponse;
  gaps: () => GapsResponse;
  preview: PreviewHub;
  scanRoutes: ScanRouteDeps;
  exportRoutes: ExportRouteDeps;
}

/** JSON bodies stay small: scans and settings, never media. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function createHttpServer(deps: ServerDeps): Promise<FastifyInstance> {
  // forceCloseConnections: open preview streams never end by themselves; without it close() waits forever.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true, forceCloseConnections: true });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path === routes.health) return;
    // Opening the UI with ?token=… (the READY URL) trades the token for a cookie, then drops it from the URL.
    const queryToken = new URL(req.url, 'http://x').searchParams.get('token');
    if ((path === '/' || path === '/index.html') && queryToken !== null) {
      if (!tokenMatches(deps.token, queryToken)) return deny(reply);
      return reply.header('set-cookie', tokenCookie(deps.token)).header('cache-control', 'no-store').redirect('/', 303);
    }
    const given = bearerToken(req.headers.authorization) ?? cookieToken(req.headers.cookie);
    if (!tokenMatches(deps.token, given)) return deny(reply);
  });

  app.get(routes.health, async (): Promise<HealthResponse> => ({ ok: true }));
  app.get(routes.status, async (): Promise<StatusResponse> => deps.status());
  app.get(routes.gaps, async (): Promise<GapsResponse> => deps.gaps());
  app.get<{ Querystring: { from?: string; to?: string } }>(routes.segments, async (req, reply) => {
    const from = req.query.from ? Date.parse(req.query.from) : 0;
    const to = req.query.to ? Date.parse(req.query.to) : 8.64e15;
    if (Number.isNaN(from) || Number.isNaN(to)) return reply.code(400).send({ error: 'from and to must be ISO 8601 times' } satisfies ErrorResponse);
    return deps.segments(from, to);
  });
  app.get(routes.preview, (req, reply) => servePreview(deps.preview, req, reply));
  app.get(routes.previewFrame, (_req, reply) => servePreviewFrame(deps.preview, reply));

  registerScanRoutes(app, deps.scanRoutes);
  registerExportRoutes(app, deps.exportRoutes);

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

  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => reply.code(404).send({ error: 'not found' } satisfies ErrorResponse));
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // Client errors say what was wrong; server errors say nothing about internals.
    void reply.code(code).send({ error: code < 500 ? err.message : 'internal error' } satisfies ErrorResponse);
  });
  return app;
}

function deny(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' } satisfies ErrorResponse);
}
