/**
 * The hub's HTTP server (Fastify, as the station's). Every route but /api/health needs a credential:
 * the admin token (Authorization: Bearer, scripts and the READY URL), a pairing token in the join
 * body, or a station's signature (station-auth.ts). No cookie carries authority, so another web page
 * cannot make a browser act on the hub (no CSRF, no DNS-rebinding reads).
 *
 * PostgreSQL errors that mean "the database is not there" answer 503 with one sentence; the pool
 * reconnects by itself when it returns.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { HubHeartbeat, HubJoinRequest, hubRoutes, type ErrorResponse, type HubHeartbeatResponse, type HubStationsResponse } from '../../../shared/api.js';
import { tokenMatches, bearerToken } from '../../station/server/auth.js';
import { both, errorBody, refusal } from '../../station/localized-error.js';
import { log } from '../../station/log.js';
import { isDatabaseUnavailable, type HubPool } from '../db/hub-database.js';
import { HUB_BODY_LIMIT_BYTES, HUB_REQUEST_TIMEOUT_MS } from '../limits.js';
import { createPairing, joinStation, PairingRefusedError } from '../pairing.js';
import { sha256Hex } from '../protocol.js';
import { listStations, recordHeartbeat } from '../stations.js';
import { StationAuthError, StationKeys } from './station-auth.js';

export interface HubServerDeps {
  pool: HubPool;
  adminToken: string;
}

export const DATABASE_DOWN = both(
  'The hub’s database is not answering right now; the hub keeps trying, so try again in a minute.',
  '中心的数据库暂时没有响应；中心会自动重试，请稍后再试。',
);

/** The raw JSON text of a request, for checking a station's signature over the exact bytes. */
const rawBodies = new WeakMap<object, string>();

export async function createHubServer(deps: HubServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: HUB_BODY_LIMIT_BYTES, requestTimeout: HUB_REQUEST_TIMEOUT_MS, return503OnClosing: true, forceCloseConnections: true });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    rawBodies.set(req.raw, body as string);
    try {
      done(null, (body as string).length ? JSON.parse(body as string) : {});
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' } satisfies ErrorResponse));
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (isDatabaseUnavailable(err)) {
      log.warn('hub: the database is not answering', { path: req.url.split('?')[0], error: err.message });
      return void reply.code(503).send(refusal(DATABASE_DOWN));
    }
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (code >= 500) {
      log.error('hub: request failed', { path: req.url.split('?')[0], error: err.message });
      return void reply.code(code).send(refusal(both('internal error', '内部错误')));
    }
    void reply.code(code).send(err instanceof Error ? errorBody(err) : ({ error: err.message } satisfies ErrorResponse));
  });

  const requireAdmin = (req: FastifyRequest): void => {
    const q = (req.query as { token?: unknown } | undefined)?.token;
    const given = bearerToken(req.headers.authorization) ?? (typeof q === 'string' ? q : null);
    if (!tokenMatches(deps.adminToken, given)) throw Object.assign(new Error('this needs the hub’s admin token (Authorization: Bearer …)'), { statusCode: 401 });
  };
  const stationKeys = new StationKeys(deps.pool);

  app.get(hubRoutes.health, async (_req, reply) => {
    try {
      await deps.pool.query('SELECT 1');
    } catch (err) {
      if (isDatabaseUnavailable(err)) return reply.code(503).send({ ok: false, ...refusal(DATABASE_DOWN) });
      throw err;
    }
    return { ok: true };
  });

  app.post(hubRoutes.pairings, async (req) => {
    requireAdmin(req);
    return createPairing(deps.pool, 'admin-token');
  });

  app.post(hubRoutes.join, async (req, reply) => {
    const body = HubJoinRequest.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: `bad join request: ${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}` } satisfies ErrorResponse);
    try {
      return await joinStation(deps.pool, body.data, req.ip);
    } catch (err) {
      if (err instanceof PairingRefusedError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  app.post(hubRoutes.heartbeat, async (req, reply): Promise<HubHeartbeatResponse | ErrorResponse> => {
    let who;
    try {
      who = await stationKeys.verify(req, sha256Hex(rawBodies.get(req.raw) ?? ''));
    } catch (err) {
      if (err instanceof StationAuthError) return reply.code(401).send(errorBody(err));
      throw err;
    }
    const beat = HubHeartbeat.safeParse(req.body);
    if (!beat.success) return reply.code(400).send({ error: `bad heartbeat: ${beat.error.issues[0]?.path.join('.')}: ${beat.error.issues[0]?.message}` });
    await recordHeartbeat(deps.pool, who, beat.data);
    return { ok: true, hubTime: new Date().toISOString() };
  });

  app.get(hubRoutes.stations, async (req): Promise<HubStationsResponse> => {
    requireAdmin(req);
    return { stations: await listStations(deps.pool) };
  });

  return app;
}
