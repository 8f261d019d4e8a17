/**
 * The server's security settings, checked once before the station starts: a station that would be
 * reachable from the network without a viewer password, or with a malformed allowed host or CORS
 * origin, does not start (one sentence says why).
 */
import { OPERATOR_TOKEN_LAN, VIEWER_PASSWORD_MIN_LENGTH } from '../limits.js';
import { isLoopbackHost, parseHost, type AllowedHost } from './host-check.js';
import { ViewerPassword } from './viewer-password.js';

export class SecurityConfigError extends Error {
  override name = 'SecurityConfigError';
}

export interface SecurityOptions {
  /** The address to listen on (`--host`). */
  host: string;
  /** The operator's token. */
  token: string;
  /** Required when `host` is not a loopback address (LAN mode). */
  viewerPassword?: string;
  /** A viewer password already hashed (checked by viewerPasswordFrom, or saved in the settings): used when `viewerPassword` is not given. */
  viewerPasswordHash?: ViewerPassword;
  /** `--allowed-host`: extra names the Host header may carry (`NAME` on any port, or `NAME:PORT`). */
  allowedHosts?: readonly string[];
  /** `--cors-origin`: web origins allowed to call the API from a browser. None by default. */
  corsOrigins?: readonly string[];
}

export interface SecurityConfig {
  host: string;
  token: string;
  /** Listening on a non-loopback address: the station is shared on the network. */
  lan: boolean;
  /** null: there is no viewer login. */
  viewerPassword: ViewerPassword | null;
  allowedHosts: readonly AllowedHost[];
  corsOrigins: readonly string[];
}

export function securityConfig(o: SecurityOptions): SecurityConfig {
  const lan = !isLoopbackHost(o.host);
  if (lan && !o.viewerPassword && !o.viewerPasswordHash) {
    throw new SecurityConfigError(
      `Listening on ${o.host} shares the station with the network, so it needs a viewer password of at least ${VIEWER_PASSWORD_MIN_LENGTH} characters: set PACKWITNESS_VIEWER_PASSWORD (or --viewer-password), or listen on 127.0.0.1.`,
    );
  }
  if (o.viewerPassword !== undefined && [...o.viewerPassword].length < VIEWER_PASSWORD_MIN_LENGTH) {
    throw new SecurityConfigError(`The viewer password must be at least ${VIEWER_PASSWORD_MIN_LENGTH} characters long.`);
  }
  if (lan && !strongToken(o.token)) {
    throw new SecurityConfigError(
      `Listening on ${o.host} lets the network guess at the operator token, so --token must be at least ${OPERATOR_TOKEN_LAN.minLength} characters of random text with at least ${OPERATOR_TOKEN_LAN.minDistinct} different characters (e.g. from openssl rand -base64 24); leave --token out for a random one.`,
    );
  }
  const allowedHosts = (o.allowedHosts ?? []).map((h) => {
    const parsed = parseHost(h);
    if (!parsed) throw new SecurityConfigError(`--allowed-host "${h}" is not a host name or address (e.g. packing-pc.lan or 192.168.1.20:8417).`);
    return parsed;
  });
  return {
    host: o.host,
    token: o.token,
    lan,
    viewerPassword: o.viewerPassword === undefined ? (o.viewerPasswordHash ?? null) : ViewerPassword.fromPlainText(o.viewerPassword),
    allowedHosts,
    corsOrigins: (o.corsOrigins ?? []).map(corsOrigin),
  };
}

/** Long and varied enough to stand being guessed at from the network (limits.ts OPERATOR_TOKEN_LAN). */
export function strongToken(token: string): boolean {
  const chars = [...token];
  return chars.length >= OPERATOR_TOKEN_LAN.minLength && new Set(chars).size >= OPERATOR_TOKEN_LAN.minDistinct;
}

/** The length rule, then the hash: lets a caller drop the plain text before the rest of the configuration is known. */
export function viewerPasswordFrom(plain: string): ViewerPassword {
  if ([...plain].length < VIEWER_PASSWORD_MIN_LENGTH) throw new SecurityConfigError(`The viewer password must be at least ${VIEWER_PASSWORD_MIN_LENGTH} characters long.`);
  return ViewerPassword.fromPlainText(plain);
}

/** An origin exactly as browsers send it: scheme, host and port, nothing else. */
function corsOrigin(value: string): string {
  const bad = new SecurityConfigError(`--cors-origin "${value}" is not a web origin like http://192.168.1.20:5173 (scheme, host and port only; "*" is not allowed).`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad;
  }
  // A pattern would never match (origins are compared exactly); refusing it says so.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname.includes('*') || url.origin !== value.replace(/\/$/, '')) throw bad;
  return url.origin;
}
