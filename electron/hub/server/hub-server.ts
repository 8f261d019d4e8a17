/**
 * The hub's HTTP server (Fastify, as the station's). Its routes are the hub's route table
 * (shared/hub-route-table.ts), registered by the station's addRoute: the table gives each route's
 * schemas, 400 sentence and who may call it (hub-access.ts). Every route but /api/health, the session
 * and the login needs a credential: the admin token (Authorization: Bearer, scripts and the READY URL),
 * an office account's session cookie (admin or service, users.ts), a pairing token in the join body,
 * or a station's signature (station-auth.ts).
 *
 * Cookies are HttpOnly and SameSite=Strict. The READY link's token cookie only reads. A session cookie
 * may change things (pair a station, manage accounts) only on a request whose body is JSON
 * (Content-Type: application/json): another site's form cannot send that, and its scripts cannot
 * without a CORS preflight, which the hub never grants. That, with SameSite=Strict, is the CSRF guard.
 *
 * PostgreSQL errors that mean "the database is not there" answer 503 with one sentence; the pool
 * reconnects by itself when it returns.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { HubCameraId, type ErrorResponse } from '../../../shared/api.js';
import { hubRouteTable as h } from '../../../shared/hub-route-table.js';
import { addRoute, FROM_ROUTE_TABLE, lateBody, readBody } from '../../station/server/route.js';
import { HUB_UI_ROUTES, hubAccessFor } from './hub-access.js';
import { tokenMatches, bearerToken, cookieToken, tokenCookie, TOKEN_COOKIE } from '../../station/server/auth.js';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClipMode, type SessionResponse, type ClipStatus } from '../../../shared/api.js';
import { sendStatsCsv, statsPeriod } from '../../station/server/stats-routes.js';
import { localTimeZone } from '../../station/stats/packer-stats.js';
import { hubPackerStats, hubStationExists } from '../hub-stats.js';
import { msg, errorBody, LocalizedError, refusal } from '../../station/localized-error.js';
import { log } from '../../station/log.js';
import { isDatabaseUnavailable, type HubPool } from '../db/hub-database.js';
import { CLIP_RECORD_LIMIT_BYTES, HUB_BODY_LIMIT_BYTES, HUB_REQUEST_TIMEOUT_MS } from '../limits.js';
import { createPairing, joinStation, PairingRefusedError } from '../pairing.js';
import { sha256Hex } from '../protocol.js';
import { listStations, recordHeartbeat } from '../stations.js';
import { StationAuthError, StationKeys, type VerifiedStation } from './station-auth.js';
import { expectedCameraVideo, expectedVideo, IngestRefusedError, receiveCameraVideo, receiveClip, receiveVideo, searchText } from '../ingest.js';
import type { FootageStore } from '../storage/footage-store.js';
import type { Readable } from 'node:stream';
import { touchStation } from '../stations.js';
import { decodeHubCursor, getHubClip, hubClipCameras, relatedHubClips, searchHubClips } from '../library.js';
import { attachmentDisposition, cameraVideoFileName } from '../../station/export/export-names.js';
import { assembleBundle, HubExportRefusedError } from '../hub-export.js';
import { LoginThrottle, tooManyFailures } from '../../station/server/login-throttle.js';
import { clipCameraVideoKey, clipVideoKey } from '../storage/footage-store.js';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cookieValue } from '../../station/server/auth.js';
import type { HubUser } from '../../../shared/api.js';
import { latestEvents, recordEvent } from '../hub-events.js';
import { changeUser, checkLogin, clearedSessionCookie, countUsers, createUser, endSession, listUsers, SESSION_COOKIE, sessionCookie, sessionUser, startSession, UserRefusedError } from '../users.js';

export interface HubServerDeps {
  pool: HubPool;
  adminToken: string;
  footage: FootageStore;
  /** Where exports are assembled (inside the hub's data folder). */
  workDir: string;
  /** The built React UI (the station's library and clip page); absent: the API alone. */
  uiDir: string;
}

export const DATABASE_DOWN = msg('hubServer.databaseUnavailable');

/** The raw JSON text of a request, for checking a station's signature over the exact bytes. */
const rawBodies = new WeakMap<object, string>();

export async function createHubServer(deps: HubServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: HUB_BODY_LIMIT_BYTES, requestTimeout: HUB_REQUEST_TIMEOUT_MS, return503OnClosing: true, forceCloseConnections: true });
  // Every API route comes from the route table through addRoute, which marks it: one registered by hand
  // would escape the table's roles and schemas, so it stops the hub from starting (and its tests).
  app.addHook('onRoute', (r) => {
    if ((r.config as Record<string, unknown> | undefined)?.[FROM_ROUTE_TABLE] || HUB_UI_ROUTES.includes(r.url)) return;
    throw new Error(`${String(r.method)} ${r.url} is registered outside the hub's route table (shared/hub-route-table.ts)`);
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    rawBodies.set(req.raw, body as string);
    try {
      done(null, (body as string).length ? JSON.parse(body as string) : {});
    } catch {
      done(Object.assign(new LocalizedError(msg('hubServer.bodyNotJson')), { statusCode: 400 }), undefined);
    }
  });
  // Videos are streamed into the footage store, never buffered or parsed.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(refusal(msg('hubServer.notFound'))));
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (isDatabaseUnavailable(err)) {
      log.warn('hub: the database is not answering', { path: req.url.split('?')[0], error: err.message });
      return void reply.code(503).send(refusal(DATABASE_DOWN));
    }
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (code >= 500) {
      log.error('hub: request failed', { path: req.url.split('?')[0], error: err.message });
      return void reply.code(code).send(refusal(msg('common.internalError')));
    }
    // Fastify's own refusals (a body over the route's limit, a content type the hub reads no body of) in both languages.
    if (code === 413) return void reply.code(code).send(refusal(msg('http.bodyTooLarge', { kb: Math.round((req.routeOptions.bodyLimit ?? HUB_BODY_LIMIT_BYTES) / 1024) })));
    if (code === 415) return void reply.code(code).send(refusal(msg('hubServer.unsupportedMediaType')));
    void reply.code(code).send(err instanceof Error ? errorBody(err) : ({ error: err.message } satisfies ErrorResponse));
  });

  /**
   * Who is calling: the admin token (Bearer; or, for reads, the READY link's cookie), an office
   * account (its session cookie; for changes only with a JSON body, see the top), or nobody.
   */
  type Caller = { kind: 'token' } | { kind: 'user'; user: HubUser };
  const reads = (req: FastifyRequest) => req.method === 'GET' || req.method === 'HEAD';
  const callers = new WeakMap<object, Promise<Caller | null>>();
  const callerOf = (req: FastifyRequest): Promise<Caller | null> => {
    let c = callers.get(req.raw);
    if (!c) {
      c = (async (): Promise<Caller | null> => {
        if (tokenMatches(deps.adminToken, bearerToken(req.headers.authorization) ?? (reads(req) ? cookieToken(req.headers.cookie) : null))) return { kind: 'token' };
        const sid = cookieValue(req.headers.cookie, SESSION_COOKIE);
        if (!sid || !(reads(req) || /^application\/json\b/i.test(req.headers['content-type'] ?? ''))) return null;
        const user = await sessionUser(deps.pool, sid);
        return user ? { kind: 'user', user } : null;
      })();
      callers.set(req.raw, c);
    }
    return c;
  };
  /** The name the audit log records for a caller. */
  const actorOf = (c: Caller): string => (c.kind === 'token' ? 'admin-token' : c.user.name);
  const NEEDS_LOGIN = msg('hubServer.needsLogin');
  const NEEDS_ADMIN = msg('hubServer.adminOnly');
  /** Anyone signed in (admin or service): search, view, play, export, statistics. */
  const requireReader = async (req: FastifyRequest): Promise<Caller> => {
    const c = await callerOf(req);
    if (!c) throw new UserRefusedError(401, NEEDS_LOGIN);
    return c;
  };
  /** Pairing stations and managing accounts. */
  const requireAdmin = async (req: FastifyRequest): Promise<Caller> => {
    const c = await requireReader(req);
    if (c.kind === 'user' && c.user.role !== 'admin') throw new UserRefusedError(403, NEEDS_ADMIN);
    return c;
  };

  const json = (req: FastifyRequest) => /^application\/json\b/i.test(req.headers['content-type'] ?? '');
  /** The READY link's holder: the admin token itself (Bearer or the link's cookie), with a JSON body. */
  const readyLinkHolder = (req: FastifyRequest) => json(req) && tokenMatches(deps.adminToken, bearerToken(req.headers.authorization) ?? cookieToken(req.headers.cookie));

  // Each route's caller is checked as the route table (shared/hub-route-table.ts) says, after the body is
  // read (a body that is not JSON is refused as such first) and before the handler. A station's signature
  // and a pairing token are the routes' own checks: they need the body.
  app.addHook('preHandler', async (req) => {
    const access = hubAccessFor(req.method, req.routeOptions.url);
    if (access === 'reader') await requireReader(req);
    else if (access === 'admin') await requireAdmin(req);
    else if (access === 'readyLink' && !readyLinkHolder(req)) throw new UserRefusedError(401, msg('hubServer.firstAdminFromReadyLink'));
  });

  // Opening the hub with ?token=… (the READY URL) trades the token for the cookie and drops it from the
  // address. Once the hub has accounts the link has done its one job (making the first admin): people log in.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET') return;
    const url = new URL(req.url, 'http://hub');
    const t = url.searchParams.get('token');
    if (url.pathname !== '/' || t === null) return;
    if (!tokenMatches(deps.adminToken, t)) return reply.code(401).send(refusal(msg('hubServer.linkTokenNotHubs')));
    if ((await countUsers(deps.pool)) > 0) return reply.header('cache-control', 'no-store').redirect('/', 303);
    return reply.header('set-cookie', tokenCookie(deps.adminToken)).header('cache-control', 'no-store').redirect('/', 303);
  });

  addRoute(app, h.session, async (req): Promise<SessionResponse> => {
    const c = await callerOf(req);
    if (c?.kind === 'user') return { role: c.user.role === 'admin' ? 'operator' : 'viewer', viewerLogin: true, hub: true, user: { name: c.user.name, role: c.user.role } };
    if (c?.kind === 'token') return { role: 'operator', viewerLogin: true, hub: true, user: null, firstAdmin: (await countUsers(deps.pool)) === 0 };
    return { role: null, viewerLogin: true, hub: true, user: null };
  });

  const sendRefusal = (reply: FastifyReply, err: unknown) => {
    if (err instanceof UserRefusedError) return reply.code(err.statusCode).send(errorBody(err));
    throw err;
  };

  const loginThrottle = new LoginThrottle();
  addRoute(app, lateBody(h.login), async (req, reply) => {
    // JSON only: a form on another site cannot log this browser in as someone else.
    if (!json(req)) return reply.code(415).send(refusal(msg('hubServer.loginSendJson')));
    const body = readBody(h.login, req.body);
    // The station's throttle: a handful of wrong passwords per address in the window, then 429 even for the right one.
    const wait = loginThrottle.retryAfterMs(req.ip);
    if (wait > 0) return tooManyFailures(reply, wait);
    const user = await checkLogin(deps.pool, body.name, body.password);
    if (!user) {
      loginThrottle.failed(req.ip, `${body.name}\n${body.password}`);
      // The name as typed is logged (cut short), never the password.
      await recordEvent(deps.pool, { kind: 'login-refused', actor: body.name.slice(0, 64), address: req.ip });
      return reply.code(401).send(refusal(msg('hubServer.loginRefused')));
    }
    loginThrottle.succeeded(req.ip);
    const sid = await startSession(deps.pool, user.id);
    await recordEvent(deps.pool, { kind: 'login', actor: user.name, address: req.ip });
    reply.header('set-cookie', sessionCookie(sid));
    return { role: user.role === 'admin' ? 'operator' : 'viewer', viewerLogin: true, hub: true, user: { name: user.name, role: user.role } } satisfies SessionResponse;
  });

  addRoute(app, h.logout, async (req, reply) => {
    const sid = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const user = await sessionUser(deps.pool, sid);
    await endSession(deps.pool, sid);
    if (user) await recordEvent(deps.pool, { kind: 'logout', actor: user.name, address: req.ip });
    reply.header('set-cookie', clearedSessionCookie());
    return { role: null, viewerLogin: true, hub: true, user: null } satisfies SessionResponse;
  });

  // The READY link's holder makes the first admin, once: afterwards the link no longer signs in.
  addRoute(app, h.firstAdmin, async (req, reply, { body }) => {
    try {
      const user = await createUser(deps.pool, { ...body, role: 'admin' }, { onlyIfNone: true });
      await recordEvent(deps.pool, { kind: 'user-created', actor: 'ready-link', address: req.ip, detail: { user: user.name, role: user.role, first: true } });
      const sid = await startSession(deps.pool, user.id);
      await recordEvent(deps.pool, { kind: 'login', actor: user.name, address: req.ip });
      // The token cookie is dropped: from now on this browser is the admin by name.
      reply.header('set-cookie', [sessionCookie(sid), `${TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`]);
      return { role: 'operator', viewerLogin: true, hub: true, user: { name: user.name, role: user.role } } satisfies SessionResponse;
    } catch (err) {
      return sendRefusal(reply, err);
    }
  });

  addRoute(app, h.audit, async (req, reply) => {
    const limit = req.query.limit === undefined ? 200 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reply.code(400).send(refusal(msg('hubServer.auditLimit')));
    return latestEvents(deps.pool, limit);
  });
  addRoute(app, h.users, async () => ({ users: await listUsers(deps.pool) }));
  addRoute(app, h.addUser, async (req, reply, { body }) => {
    const c = await requireAdmin(req);
    try {
      const user = await createUser(deps.pool, body);
      await recordEvent(deps.pool, { kind: 'user-created', actor: actorOf(c), address: req.ip, detail: { user: user.name, role: user.role } });
      return reply.code(201).send(user);
    } catch (err) {
      return sendRefusal(reply, err);
    }
  });
  addRoute(app, lateBody(h.changeUser), async (req, reply) => {
    const c = await requireAdmin(req);
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return reply.code(400).send(refusal(msg('hubServer.accountIdNumber')));
    const change = readBody(h.changeUser, req.body);
    try {
      const user = await changeUser(deps.pool, id, change);
      const detail: Record<string, unknown> = { user: user.name };
      if (change.role !== undefined) detail.role = change.role;
      if (change.disabled !== undefined) detail.disabled = change.disabled;
      if (change.password !== undefined) detail.passwordReset = true;
      await recordEvent(deps.pool, { kind: 'user-changed', actor: actorOf(c), address: req.ip, detail });
      return user;
    } catch (err) {
      return sendRefusal(reply, err);
    }
  });
  // The library's clip page asks for these; the hub has no audit of its own per clip yet, and no display settings.
  addRoute(app, h.clipAudit, async () => ({ entries: [] }));
  addRoute(app, h.displaySettings, async (_req, reply) => reply.code(404).send(refusal(msg('hubServer.notFound'))));
  const stationKeys = new StationKeys(deps.pool);

  addRoute(app, h.health, async (_req, reply) => {
    try {
      await deps.pool.query('SELECT 1');
    } catch (err) {
      if (isDatabaseUnavailable(err)) return reply.code(503).send({ ok: false, ...refusal(DATABASE_DOWN) });
      throw err;
    }
    return { ok: true as const };
  });

  addRoute(app, h.pairings, async (req) => {
    const c = await requireAdmin(req);
    return createPairing(deps.pool, actorOf(c));
  });

  addRoute(app, h.join, async (req, reply, { body }) => {
    try {
      return await joinStation(deps.pool, body, req.ip);
    } catch (err) {
      if (err instanceof PairingRefusedError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  addRoute(app, lateBody(h.heartbeat), async (req, reply) => {
    let who;
    try {
      who = await stationKeys.verify(req, sha256Hex(rawBodies.get(req.raw) ?? ''));
    } catch (err) {
      if (err instanceof StationAuthError) return reply.code(401).send(errorBody(err));
      throw err;
    }
    await recordHeartbeat(deps.pool, who, readBody(h.heartbeat, req.body));
    return { ok: true as const, hubTime: new Date().toISOString() };
  });

  /** A station's signed request, or the 401 with the reason (already logged). */
  const station = async (req: FastifyRequest, reply: FastifyReply, bodySha256: string): Promise<VerifiedStation | null> => {
    try {
      const who = await stationKeys.verify(req, bodySha256);
      await touchStation(deps.pool, who);
      return who;
    } catch (err) {
      if (err instanceof StationAuthError) {
        void reply.code(401).send(errorBody(err));
        return null;
      }
      throw err;
    }
  };

  addRoute(app, lateBody(h.uploadClip), { bodyLimit: CLIP_RECORD_LIMIT_BYTES }, async (req, reply) => {
    const who = await station(req, reply, sha256Hex(rawBodies.get(req.raw) ?? ''));
    if (!who) return reply;
    const up = readBody(h.uploadClip, req.body);
    try {
      return await receiveClip(deps.pool, who, up, req.ip);
    } catch (err) {
      if (err instanceof IngestRefusedError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  addRoute(app, h.uploadVideo, async (req, reply) => {
    const body = req.body as Readable;
    const stationClipId = Number(req.params.stationClipId);
    if (!Number.isSafeInteger(stationClipId) || stationClipId <= 0) return reply.code(400).send(refusal(msg('hubServer.clipIdNumber')));
    const id = Number(one(req.headers['x-pw-station']));
    const expected = Number.isSafeInteger(id) && id > 0 ? await expectedVideo(deps.pool, id, stationClipId) : null;
    // Signed over the SHA-256 the clip record declared: a request signed by another key fails here, before a byte is stored.
    const who = await station(req, reply, expected?.sha256 ?? 'no-record');
    if (!who) return reply;
    if (!expected) return reply.code(404).send(refusal(msg('hubServer.clipHasNoRecord', { stationClipId })));
    if (expected.storedAt) {
      body.resume(); // already confirmed: the bytes are not stored twice
      return { sha256: expected.sha256, bytes: expected.bytes };
    }
    try {
      return await receiveVideo(deps.pool, deps.footage, who, stationClipId, expected, body, req.ip);
    } catch (err) {
      if (err instanceof IngestRefusedError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  // Another camera's video: as the main one, against what the record declared for that camera.
  addRoute(app, h.uploadCameraVideo, async (req, reply) => {
    const body = req.body as Readable;
    const stationClipId = Number(req.params.stationClipId);
    if (!Number.isSafeInteger(stationClipId) || stationClipId <= 0) return reply.code(400).send(refusal(msg('hubServer.clipIdNumber')));
    const camera = req.params.camera;
    if (!HubCameraId.safeParse(camera).success) return reply.code(400).send(refusal(msg('hubServer.cameraIdChars')));
    const id = Number(one(req.headers['x-pw-station']));
    const expected = Number.isSafeInteger(id) && id > 0 ? await expectedCameraVideo(deps.pool, id, stationClipId, camera) : null;
    const who = await station(req, reply, expected?.sha256 ?? 'no-record');
    if (!who) return reply;
    if (!expected) return reply.code(404).send(refusal(msg('hubServer.clipHasNoVideo', { stationClipId, camera })));
    if (expected.storedAt) {
      body.resume();
      return { sha256: expected.sha256, bytes: expected.bytes };
    }
    try {
      return await receiveCameraVideo(deps.pool, deps.footage, who, stationClipId, camera, expected, body, req.ip);
    } catch (err) {
      if (err instanceof IngestRefusedError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  // ---- The library (the station's API shapes) ----
  addRoute(app, h.clips, async (req, reply) => {
    const q = req.query;
    const no = (code: Parameters<typeof msg>[0], params?: Parameters<typeof msg>[1]) => reply.code(400).send(refusal(msg(code, params)));
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) return no('hubServer.searchLimit');
    if (q.q !== undefined && q.q.length > 128) return no('hubServer.queryTooLong');
    const stationId = q.stationId === undefined || q.stationId === '' ? undefined : Number(q.stationId);
    if (stationId !== undefined && !(Number.isSafeInteger(stationId) && stationId > 0)) return no('hubServer.stationIdFromList');
    const cursor = q.cursor ? decodeHubCursor(q.cursor) : undefined;
    if (cursor === null) return no('hubServer.cursorNotHubs');
    const from = q.from ? Date.parse(q.from) : undefined;
    const to = q.to ? Date.parse(q.to) : undefined;
    if (Number.isNaN(from) || Number.isNaN(to)) return no('hubServer.fromToIso');
    if (q.mode !== undefined && !ClipMode.safeParse(q.mode).success) return no('hubServer.modeIs', { modes: ClipMode.options.join(', ') });
    if (q.status !== undefined && !['recording', 'closed', 'cancelled', 'interrupted'].includes(q.status)) return no('hubServer.statusIs');
    return searchHubClips(deps.pool, {
      q: q.q,
      stationId,
      station: q.station ? q.station.slice(0, 64) : undefined,
      packer: q.packer ? q.packer.slice(0, 64) : undefined,
      fromMs: from,
      toMs: to,
      mode: q.mode as ClipMode | undefined,
      status: q.status as ClipStatus | undefined,
      protectedOnly: q.protected === 'true',
      limit,
      cursor,
    });
  });

  /** The clip of a library route (its caller already checked), or null and the 404 sent. */
  const clipOr404 = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const id = Number(req.params.id);
    const clip = Number.isSafeInteger(id) && id > 0 ? await getHubClip(deps.pool, id) : null;
    if (!clip) void reply.code(404).send(refusal(msg('hubServer.noClipOnHub', { id: req.params.id.slice(0, 20) })));
    return clip;
  };

  addRoute(app, h.clip, async (req, reply) => {
    const clip = await clipOr404(req, reply);
    if (!clip) return reply;
    const { bundle: _bundle, ...rest } = clip;
    // The lines the clip is searched by (ingest.ts): its codes, its order's number and waybills.
    const lines = searchText([...clip.codes, ...(clip.order ? [clip.order.orderNo, ...(clip.order.waybills ?? [])] : [])]).split('\n');
    return { ...rest, related: await relatedHubClips(deps.pool, clip, lines), cameras: await hubClipCameras(deps.pool, clip) };
  });

  // ?camera=ID: another camera's video (the station's route); the main camera's without it, or by its id.
  // ?camera=ID as /video, as a file named by the clip and the camera's name (the library's per-camera downloads).
  const sendVideo = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { camera?: unknown } }>, reply: FastifyReply, download: boolean) => {
    const clip = await clipOr404(req, reply);
    if (!clip) return reply;
    const camera = req.query.camera;
    if (camera !== undefined && typeof camera !== 'string') return reply.code(400).send(refusal(msg('common.giveOneCameraId')));
    let video: { bytes: number } | null = clip.video;
    let key = clipVideoKey(clip.stationId, clip.stationClipId);
    if (camera !== undefined && camera !== clip.camera) {
      const other = (await hubClipCameras(deps.pool, clip)).find((k) => k.id === camera && !k.main);
      if (!other) return reply.code(404).send(refusal(msg('common.clipHasNoCamera', { id: clip.id, camera: JSON.stringify(camera.slice(0, 100)) })));
      if (!other.hasVideo || other.bytes === null) {
        return reply.code(409).send(refusal(msg('hubServer.cameraVideoNotOnHub', { id: other.id, id2: clip.id })));
      }
      video = { bytes: other.bytes };
      key = clipCameraVideoKey(clip.stationId, clip.stationClipId, other.id);
    }
    if (!video) return reply.code(409).send(refusal(msg('hubServer.videoNotOnHub', { id: clip.id })));
    if (download) {
      const id = camera ?? clip.camera;
      const name = (await hubClipCameras(deps.pool, clip)).find((k) => k.id === id)?.name ?? id;
      // Named as the station names it: the station's clip id, not the hub's.
      void reply.header('content-disposition', attachmentDisposition(cameraVideoFileName({ ...clip, id: clip.stationClipId }, name, id)));
    }
    const size = video.bytes;
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    void reply.header('accept-ranges', 'bytes').type('video/mp4');
    if (m && (m[1] || m[2])) {
      const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
      const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (start > end || start >= size) return reply.code(416).header('content-range', `bytes */${size}`).send();
      return reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`).header('content-length', end - start + 1).send(deps.footage.read(key, { start, end }));
    }
    return reply.header('content-length', size).send(deps.footage.read(key));
  };
  addRoute(app, h.clipVideo, async (req, reply) => sendVideo(req, reply, false));
  addRoute(app, h.clipVideoDownload, async (req, reply) => sendVideo(req, reply, true));

  // The station's sealed bundle, as the station signed it: `packwitness verify` accepts it as is.
  addRoute(app, h.exportBundle, async (req, reply) => {
    const clip = await clipOr404(req, reply);
    if (!clip) return reply;
    // A clip whose main camera recorded nothing is exported from its other cameras' videos (assembleBundle checks each is here).
    if (!clip.video && clip.footage !== 'none') return reply.code(409).send(refusal(msg('hubServer.videoNotOnHubForExport', { id: clip.id })));
    let made: Awaited<ReturnType<typeof assembleBundle>>;
    try {
      made = await assembleBundle(deps.footage, deps.workDir, clip, await hubClipCameras(deps.pool, clip));
    } catch (err) {
      if (err instanceof HubExportRefusedError) return reply.code(409).send(errorBody(err));
      throw err;
    }
    const c = await requireReader(req);
    await recordEvent(deps.pool, { kind: 'export-made', stationId: clip.stationId, actor: actorOf(c), address: req.ip, detail: { clipId: clip.id, stationClipId: clip.stationClipId } });
    const stream = createReadStream(made.zip);
    stream.on('close', () => void rm(made.dir, { recursive: true, force: true }));
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${made.name}.zip"`)
      .header('content-length', made.bytes)
      .send(stream);
  });

  // ---- Packer statistics over all stations, or one (the station's routes and shapes) ----
  /** The period and station of a statistics request, or the 400 already sent. */
  const statsRequest = async (req: FastifyRequest<{ Querystring: { from?: string; to?: string; stationId?: string | number } }>, reply: FastifyReply) => {
    const p = statsPeriod(req.query);
    if ('code' in p) return void reply.code(400).send(refusal(p));
    const raw = req.query.stationId;
    const stationId = raw === undefined || raw === '' ? undefined : Number(raw);
    if (stationId !== undefined && !(Number.isSafeInteger(stationId) && stationId > 0 && (await hubStationExists(deps.pool, stationId)))) {
      const shown = String(raw).slice(0, 20);
      return void reply
        .code(400)
        .send(refusal(msg('hubServer.unknownStationId', { shown })));
    }
    return { ...p, stationId, timeZone: localTimeZone() };
  };
  addRoute(app, h.stats, async (req, reply) => {
    const q = await statsRequest(req, reply);
    if (!q) return reply;
    return hubPackerStats(deps.pool, q);
  });
  addRoute(app, h.statsCsv, async (req, reply) => {
    const q = await statsRequest(req, reply);
    if (!q) return reply;
    return sendStatsCsv(reply, await hubPackerStats(deps.pool, q), q.toMs);
  });

  addRoute(app, h.stations, async () => ({ stations: await listStations(deps.pool) }));

  // The station's React UI: the library and clip pages read the API above (the files hold no data).
  if (existsSync(join(deps.uiDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: deps.uiDir, prefix: '/', index: ['index.html'], dotfiles: 'deny', cacheControl: false });
  }

  return app;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
