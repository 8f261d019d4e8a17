/**
 * Everything a request passes before a route sees it, as onRequest hooks in this order:
 *
 * 0. Every answer, refusals included, carries the browser hardening headers (security-headers.ts:
 *    CSP, nosniff, no framing, no Referer).
 * 1. Host check (host-check.ts): a Host that is not the station's own is refused with 421, on every
 *    route, /api/health included. Health reveals nothing, but checking it too keeps the rule simple
 *    ("wrong Host, no answer") and keeps a rebinding page from even probing that a station is there.
 * 2. CORS, only when origins were configured (`--cors-origin`): those origins get CORS headers and
 *    their preflights are answered here, before authentication (a preflight carries no credentials).
 *    With none configured no CORS header is ever sent, so browsers keep other sites' pages from
 *    reading any answer.
 * 3. Cross-site writes (csrf.ts): a POST, PUT, PATCH or DELETE from another origin's page is a 403.
 * 4. Who is calling (token or viewer session) and whether that role may use the route (access.ts).
 *    Wrong tokens count against the same per-address budget as wrong viewer passwords
 *    (login-throttle.ts): an address over it gets 429 for any token, the right one included, until
 *    the window ends; a viewer session it already has keeps working (a session id cannot be guessed).
 *
 * Runs before the body is read, so an unauthenticated client cannot make the station parse anything.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { accessFor, type Principal } from './access.js';
import { bearerToken, cookieToken, cookieValue, tokenCookie, tokenMatches } from './auth.js';
import { isCrossSiteWrite } from './csrf.js';
import { HostCheck } from './host-check.js';
import { tooManyFailures, type LoginThrottle } from './login-throttle.js';
import type { SecurityConfig } from './security-config.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { VIEWER_COOKIE, type ViewerSessions } from './viewer-sessions.js';
import { msg, refusal } from '../localized-error.js';

/** Headers a cross-origin client may send (preflight); what the API reads, nothing more. */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-packwitness-actor', 'range'];
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];


export async function registerGuard(app: FastifyInstance, security: SecurityConfig, sessions: ViewerSessions, throttle: LoginThrottle): Promise<void> {
  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  const hosts = new HostCheck(security.host, security.allowedHosts, () => {
    const addr = app.server.address();
    return typeof addr === 'object' && addr ? addr.port : -1;
  });
  app.addHook('onRequest', async (req, reply) => {
    if (hosts.allows(req.headers.host)) return;
    const shown = (req.headers.host ?? '').replace(/[^\x21-\x7e]/g, '?').slice(0, 100);
    return reply.code(421).send(refusal(msg('guard.wrongHostName', { host: shown })));
  });

  if (security.corsOrigins.length) {
    const allowed = new Set(security.corsOrigins);
    await app.register(cors, {
      // A function, not the list: for an origin not on the list the plugin then adds no CORS header
      // at all (with a list it would still send Allow-Credentials and answer preflights).
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
      credentials: true,
      methods: CORS_METHODS,
      allowedHeaders: CORS_ALLOWED_HEADERS,
      maxAge: 600,
    });
  }

  const corsOrigins = new Set(security.corsOrigins);
  app.addHook('onRequest', async (req, reply) => {
    const h = req.headers;
    const facts = { method: req.method, host: h.host, origin: h.origin, secFetchSite: one(h['sec-fetch-site']), contentType: h['content-type'], authorization: h.authorization };
    if (!isCrossSiteWrite(facts, corsOrigins)) return;
    return reply
      .code(403)
      .send(
        refusal(
          msg('guard.changeFromOtherPage'),
        ),
      );
  });

  const viewerLogin = security.viewerPassword !== null;
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Opening the UI with ?token=… (the READY URL) trades the token for a cookie, then drops it from the URL.
    if (path === '/' || path === '/index.html') {
      const queryToken = new URL(req.url, 'http://x').searchParams.get('token');
      if (queryToken !== null) {
        const wait = throttle.retryAfterMs(req.ip);
        if (wait > 0) return tooManyFailures(reply, wait);
        if (!tokenMatches(security.token, queryToken)) {
          throttle.failed(req.ip, queryToken);
          return unauthorized(reply);
        }
        throttle.succeeded(req.ip);
        return reply.header('set-cookie', tokenCookie(security.token)).header('cache-control', 'no-store').redirect('/', 303);
      }
    }

    let access = accessFor(req.method, req.routeOptions.url, path);
    if (access === 'ui') access = viewerLogin ? 'public' : 'operator';
    const who = identify(req.headers.authorization, req.headers.cookie, req.ip);
    req.principal = who.principal;
    if (access === 'public') return;
    if (!req.principal && who.lockedMs > 0) return tooManyFailures(reply, who.lockedMs);
    if (!req.principal) return unauthorized(reply);
    if (access === 'operator' && req.principal.role !== 'operator') {
      return reply.code(403).send(refusal(msg('guard.operatorOnly')));
    }
  });

  /**
   * The caller, and how long its address is still locked out when it offered a token it may not try
   * now (0 otherwise). A token offered while locked is not even compared.
   */
  function identify(authorization: string | undefined, cookie: string | undefined, ip: string): { principal: Principal | null; lockedMs: number } {
    const bearer = bearerToken(authorization);
    // A wrong bearer token is not rescued by a cookie: the client meant to use that token.
    if (bearer !== null) {
      const r = tryToken(bearer, ip);
      return { principal: r === 'right' ? { role: 'operator' } : null, lockedMs: r === 'locked' ? throttle.retryAfterMs(ip) : 0 };
    }
    const cookieTok = cookieToken(cookie);
    const r = cookieTok === null ? null : tryToken(cookieTok, ip);
    if (r === 'right') return { principal: { role: 'operator' }, lockedMs: 0 };
    if (viewerLogin && sessions.valid(cookieValue(cookie, VIEWER_COOKIE))) return { principal: { role: 'viewer', ip }, lockedMs: 0 };
    return { principal: null, lockedMs: r === 'locked' ? throttle.retryAfterMs(ip) : 0 };
  }

  /**
   * Compares a token unless the address is locked out ('locked': not even compared); counts a wrong
   * one, and clears the address's count on the right one.
   */
  function tryToken(token: string, ip: string): 'right' | 'wrong' | 'locked' {
    if (throttle.retryAfterMs(ip) > 0) return 'locked';
    if (tokenMatches(security.token, token)) {
      throttle.succeeded(ip);
      return 'right';
    }
    throttle.failed(ip, token);
    return 'wrong';
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send(refusal(msg('http.unauthorized')));
}
