/**
 * The viewer's login: POST /api/login with the viewer password sets the session cookie;
 * POST /api/logout ends it; GET /api/session says who the browser is and whether a login exists
 * (the UI asks it after a 401 to choose between the password form and "open the READY link").
 */
import type { FastifyInstance } from 'fastify';
import type { ErrorResponse, SessionResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute, lateBody, readBody } from './route.js';
import { log } from '../log.js';
import { cookieValue } from './auth.js';
import { tooManyFailures, type LoginThrottle } from './login-throttle.js';
import type { ViewerPassword } from './viewer-password.js';
import { clearedViewerCookie, VIEWER_COOKIE, viewerCookie, type ViewerSessions } from './viewer-sessions.js';
import { msg, refusal } from '../localized-error.js';

/** `throttle` is the guard's too: wrong tokens and wrong passwords count against one budget per address. */
export function registerLoginRoutes(app: FastifyInstance, password: ViewerPassword | null, sessions: ViewerSessions, throttle: LoginThrottle): void {
  const viewerLogin = password !== null;

  addRoute(app, r.session, async (req) => ({ role: req.principal?.role ?? null, viewerLogin }));

  // The body is read after the station's own refusals (no login here, too many failures).
  addRoute(app, lateBody(r.login), async (req, reply): Promise<SessionResponse | ErrorResponse> => {
    if (!password) return reply.code(404).send(refusal(msg('login.notShared')));
    const wait = throttle.retryAfterMs(req.ip);
    if (wait > 0) return tooManyFailures(reply, wait);
    const body = readBody(r.login, req.body);
    // Counted before the (slow) check, so parallel guesses cannot all slip in under the limit.
    throttle.failed(req.ip, body.password);
    if (!(await password.matches(body.password))) {
      log.warn('wrong viewer password', { ip: req.ip });
      return reply.code(401).send(refusal(msg('login.wrongPassword')));
    }
    throttle.succeeded(req.ip);
    log.info('viewer logged in', { ip: req.ip });
    reply.header('set-cookie', viewerCookie(sessions.create(req.ip)));
    return { role: 'viewer', viewerLogin };
  });

  addRoute(app, r.logout, async (req, reply): Promise<SessionResponse> => {
    sessions.end(cookieValue(req.headers.cookie, VIEWER_COOKIE));
    reply.header('set-cookie', clearedViewerCookie());
    return { role: req.principal?.role === 'operator' ? 'operator' : null, viewerLogin };
  });
}
