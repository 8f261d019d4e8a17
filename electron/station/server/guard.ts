/**
 * Everything a request passes before a route sees it, as onRequest hooks in this order:
 *
 * 1. Host check (host-check.ts): a Host that is not the station's own is refused with 421, on every
 *    route, /api/health included. Health reveals nothing, but checking it too keeps the rule simple
 *    ("wrong Host, no answer") and keeps a rebinding page from even probing that a station is there.
 * 2. CORS, only when origins were configured (`--cors-origin`): those origins get CORS headers and
 *    their preflights are answered here, before authentication (a preflight carries no credentials).
 *    With none configured no CORS header is ever sent, so browsers keep other sites' pages from
 *    reading any answer.
 * 3. Who is calling (token or viewer session) and whether that role may use the route (access.ts).
 *
 * Runs before the body is read, so an unauthenticated client cannot make the station parse anything.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ErrorResponse } from '../../../shared/api.js';
import { accessFor, type Principal } from './access.js';
import { bearerToken, cookieToken, cookieValue, tokenCookie, tokenMatches } from './auth.js';
import { HostCheck } from './host-check.js';
import type { SecurityConfig } from './security-config.js';
import { VIEWER_COOKIE, type ViewerSessions } from './viewer-sessions.js';
import { both, refusal } from '../localized-error.js';

/** Headers a cross-origin client may send (preflight); what the API reads, nothing more. */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-packwitness-actor', 'range'];
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export async function registerGuard(app: FastifyInstance, security: SecurityConfig, sessions: ViewerSessions): Promise<void> {
  const hosts = new HostCheck(security.host, security.allowedHosts, () => {
    const addr = app.server.address();
    return typeof addr === 'object' && addr ? addr.port : -1;
  });
  app.addHook('onRequest', async (req, reply) => {
    if (hosts.allows(req.headers.host)) return;
    const shown = (req.headers.host ?? '').replace(/[^\x21-\x7e]/g, '?').slice(0, 100);
    return reply.code(421).send({
      error: `this station does not answer to the host name "${shown}": use its own address, or start it with --allowed-host NAME`,
    } satisfies ErrorResponse);
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

  const viewerLogin = security.viewerPassword !== null;
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Opening the UI with ?token=… (the READY URL) trades the token for a cookie, then drops it from the URL.
    if (path === '/' || path === '/index.html') {
      const queryToken = new URL(req.url, 'http://x').searchParams.get('token');
      if (queryToken !== null) {
        if (!tokenMatches(security.token, queryToken)) return unauthorized(reply);
        return reply.header('set-cookie', tokenCookie(security.token)).header('cache-control', 'no-store').redirect('/', 303);
      }
    }

    req.principal = principal(req.headers.authorization, req.headers.cookie, req.ip);
    let access = accessFor(req.method, req.routeOptions.url, path);
    if (access === 'ui') access = viewerLogin ? 'public' : 'operator';
    if (access === 'public') return;
    if (!req.principal) return unauthorized(reply);
    if (access === 'operator' && req.principal.role !== 'operator') {
      return reply.code(403).send(refusal(both('a viewer may search, watch, protect and export clips; this needs the station operator', '查看者可以搜索、观看、保护和导出片段；此操作需要工位操作员')));
    }
  });

  function principal(authorization: string | undefined, cookie: string | undefined, ip: string): Principal | null {
    const bearer = bearerToken(authorization);
    // A wrong bearer token is not rescued by a cookie: the client meant to use that token.
    if (bearer !== null) return tokenMatches(security.token, bearer) ? { role: 'operator' } : null;
    if (tokenMatches(security.token, cookieToken(cookie))) return { role: 'operator' };
    if (viewerLogin && sessions.valid(cookieValue(cookie, VIEWER_COOKIE))) return { role: 'viewer', ip };
    return null;
  }
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' } satisfies ErrorResponse);
}
