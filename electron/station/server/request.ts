/**
 * Pieces every route module reads from a request the same way.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../../shared/api.js';
import { ID_RULE, parseId } from '../../../shared/ids.js';
import { msg, refusal } from '../localized-error.js';
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
 * Route options for the `/api/clips/:id…` routes: the id must be its canonical spelling
 * (shared/ids.ts), else a 400 with one sentence before the handler runs; the handler gets it as a
 * number. A JSON-schema `integer` would not do: Fastify's coercion takes `0x1`, `+1`, `01` and `1e3`.
 * An id is never a path either, so `..`, slashes (encoded or not), backslashes and NUL bytes are refused.
 */
export const clipIdRoute = {
  preValidation: async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const params = req.params as { id: unknown };
    const id = parseId(params.id);
    if (id === null) return reply.code(400).send(badClipId());
    params.id = id;
    return undefined;
  },
};

/** The refusal of a malformed clip id, in a path or a query string. */
export function badClipId(): ErrorResponse {
  return refusal(msg('http.badClipId', { rule: ID_RULE }));
}

/** A clip id in a query string (`?clip=`): the same rule; undefined when absent, null when malformed. */
export function clipIdQuery(value: unknown): number | null | undefined {
  return value === undefined ? undefined : parseId(value);
}
