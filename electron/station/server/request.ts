/**
 * Pieces every route module reads from a request the same way.
 */
import type { FastifyRequest } from 'fastify';
import './access.js';

/**
 * Who did it, for the audit log: the name a client sends (operator, LAN user), else the station itself.
 * Browsers can only send Latin-1 in headers, so clients percent-encode names (中文 included).
 *
 * A viewer (password login) is always marked as one, with their address, which the server knows and
 * the client cannot choose: `客服小李 (viewer@192.168.1.23)`, or `viewer@192.168.1.23` without a name.
 */
export function actor(req: FastifyRequest, station: string): string {
  const name = claimedName(req);
  if (req.principal?.role === 'viewer') {
    const who = `viewer@${req.principal.ip.replace(/^::ffff:/, '')}`;
    return name ? `${name} (${who})` : who;
  }
  return name || `station:${station}`;
}

function claimedName(req: FastifyRequest): string {
  const raw = req.headers['x-packwitness-actor'];
  let name = typeof raw === 'string' ? raw : '';
  try {
    name = decodeURIComponent(name);
  } catch {
    /* not encoded: take it as sent */
  }
  name = name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return [...name].slice(0, 64).join('');
}

/**
 * Route params schema for `/:id` with a positive integer id (Fastify validates and coerces it): an id
 * is never a path, so `..`, slashes (encoded or not), backslashes and NUL bytes are a 400 here.
 */
export const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }, required: ['id'] } as const;
