/**
 * Cross-site requests that change something are refused. The operator's and the viewer's cookies are
 * SameSite=Strict, but "site" ignores the port: a page served by any other program on 127.0.0.1 (or
 * on the station PC's LAN address) is same-site, its browser sends the cookie with a plain form POST,
 * and a bodyless POST /api/clips/:id/export was enough to start an export as the operator.
 *
 * A state-changing request (POST, PUT, PATCH, DELETE) is taken when it is not cross-site:
 * - `Origin` present: it must be the station's own origin (the scheme, name and port the request was
 *   sent to, as the Host header says) or a `--cors-origin`; `Sec-Fetch-Site`, if also sent, must be
 *   `same-origin` (or anything, for a `--cors-origin`);
 * - no `Origin` but `Sec-Fetch-Site`: it must be `same-origin`;
 * - neither (not a browser, or a very old one): the body must be declared JSON. A page on another
 *   origin can send JSON only after a CORS preflight, which the station approves for `--cors-origin`s
 *   only, and Fastify's parser refuses a JSON content type without a JSON body;
 * - `Authorization` present: taken as is. Browsers never add that header to a request by themselves,
 *   and a page on another origin can set it only after a preflight; the credential is the header,
 *   not a cookie riding along. (Scripts: `curl -X DELETE -H "Authorization: Bearer …"` keeps working.)
 *
 * The UI (renderer/src/api/client.ts) and the CLI send JSON, and browsers add `Origin` and
 * `Sec-Fetch-Site: same-origin` to the UI's own requests.
 */
import { parseHost } from './host-check.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
}

/** True when this request would change something on behalf of a page from another origin. */
export function isCrossSiteWrite(r: RequestFacts, corsOrigins: ReadonlySet<string>): boolean {
  if (!STATE_CHANGING.has(r.method.toUpperCase())) return false;
  if (r.authorization !== undefined && r.authorization !== '') return false;
  const site = r.secFetchSite?.toLowerCase();
  if (r.origin !== undefined) {
    if (corsOrigins.has(r.origin)) return false;
    if (!sameOrigin(r.origin, r.host)) return true;
    return site !== undefined && site !== 'same-origin';
  }
  if (site !== undefined) return site !== 'same-origin';
  return !isJson(r.contentType);
}

/** `Origin` names the scheme, name and port the request was sent to (the Host header, already checked as ours). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed frame, a file:// page) is nobody's origin
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin.replace(/\/$/, '')) return false;
  const from = parseHost(url.host);
  const to = parseHost(host ?? '');
  if (!from || !to) return false;
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  return from.name === to.name && (from.port ?? defaultPort) === (to.port ?? defaultPort);
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test((contentType ?? '').trim());
}
