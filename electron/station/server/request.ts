/**
 * Pieces every route module reads from a request the same way.
 */
import type { FastifyRequest } from 'fastify';

/**
 * Who did it, for the audit log: the name a client sends (operator, LAN user), else the station itself.
 * Browsers can only send Latin-1 in headers, so clients percent-encode names (中文 included).
 */
export function actor(req: FastifyRequest, station: string): string {
  const raw = req.headers['x-packwitness-actor'];
  let name = typeof raw === 'string' ? raw : '';
  try {
    name = decodeURIComponent(name);
  } catch {
    /* not encoded: take it as sent */
  }
  name = name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return name ? [...name].slice(0, 64).join('') : `station:${station}`;
}

/** Route params schema for `/:id` with a positive integer id (Fastify validates and coerces it). */
export const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;
