/**
 * Registers a route of a route table (the station's shared/route-table.ts, the hub's shared/hub-route-table.ts): its method and pattern as the table
 * says, its params, query and body checked with the table's schemas before the handler runs, which
 * gets them typed. Input a schema refuses is answered 400 with the route's sentence (`invalidText`),
 * the one place a zod error becomes an answer.
 *
 * Route options (a clip id's preValidation, a body limit, an onSend) pass through to Fastify and run
 * before the checks here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import type { ErrorResponse } from '../../../shared/api.js';
import { invalidText, type AnyRouteEntry, type ZodIssues } from '../../../shared/route-table.js';
import { refusal } from '../localized-error.js';

/** A schema's parsed type; unknown where the entry has none (its input goes unchecked). */
type Out<S> = NonNullable<S> extends z.ZodType ? z.output<NonNullable<S>> : unknown;

export interface RouteInput<E extends AnyRouteEntry> {
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
}

/** What a handler answers: the entry's response, an error, or a reply it sent itself (a file, a status). */
export type RouteAnswer<E extends AnyRouteEntry> = Out<E['response']> | ErrorResponse | FastifyReply;

/** The request with its params, query and body as the schemas parsed them (also in `input`). */
export type RouteRequest<E extends AnyRouteEntry> = FastifyRequest<{ Params: Out<E['params']>; Querystring: Out<E['query']>; Body: Out<E['body']> }>;

export type RouteHandler<E extends AnyRouteEntry> = (req: RouteRequest<E>, reply: FastifyReply, input: RouteInput<E>) => Promise<RouteAnswer<E>> | RouteAnswer<E>;

/** The body of a 400 for input `entry`'s schemas refused. */
export function invalidInput(entry: Pick<AnyRouteEntry, 'invalid'>, issues: ZodIssues): ErrorResponse {
  const text = invalidText(entry, issues);
  return typeof text === 'string' ? { error: text } : refusal(text);
}

/** Parses one part of a request with the entry's schema; null (and the 400 sent) when it does not fit. */
function check(entry: AnyRouteEntry, schema: z.ZodType | undefined, value: unknown, reply: FastifyReply): { ok: true; value: unknown } | { ok: false } {
  if (!schema) return { ok: true, value };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  void reply.code(400).send(invalidInput(entry, r.error.issues));
  return { ok: false };
}

/**
 * The route config addRoute marks its routes with: a route without it was registered outside the
 * route table (test/unit/hub-route-table.test.ts reads it from Fastify's route tree).
 */
export const FROM_ROUTE_TABLE = 'fromRouteTable';

export function addRoute<E extends AnyRouteEntry>(app: FastifyInstance, entry: E, handler: RouteHandler<E>): void;
export function addRoute<E extends AnyRouteEntry>(app: FastifyInstance, entry: E, options: RouteShorthandOptions, handler: RouteHandler<E>): void;
export function addRoute<E extends AnyRouteEntry>(app: FastifyInstance, entry: E, a: RouteShorthandOptions | RouteHandler<E>, b?: RouteHandler<E>): void {
  const options = typeof a === 'function' ? {} : a;
  const handler = typeof a === 'function' ? a : b!;
  const routeHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = check(entry, entry.params, req.params, reply);
    if (!params.ok) return reply;
    const query = check(entry, entry.query, req.query, reply);
    if (!query.ok) return reply;
    const body = check(entry, entry.body, req.body, reply);
    if (!body.ok) return reply;
    // Parsed values replace the raw ones, so the handler reads the same either way.
    req.params = params.value;
    req.query = query.value;
    req.body = body.value;
    try {
      return await handler(req as RouteRequest<E>, reply, { params: params.value, query: query.value, body: body.value } as RouteInput<E>);
    } catch (err) {
      if (err instanceof InvalidInput) return reply.code(400).send(err.body);
      throw err;
    }
  };
  const config = { ...(options.config as object | undefined), [FROM_ROUTE_TABLE]: true } as RouteShorthandOptions['config'];
  app.route({ ...options, config, method: entry.method, url: entry.path, handler: routeHandler });
}

/** The entry with its body left for the handler to check (readBody). */
export function lateBody<E extends AnyRouteEntry>(entry: E): Omit<E, 'body'> & { body?: undefined } {
  return { ...entry, body: undefined };
}

/**
 * A body checked where the handler asks for it, for the routes that refuse other things first
 * (a throttle, a station still starting): register them with `lateBody(entry)` and call this.
 * Throws `InvalidInput`, which the handler's caller (addRoute) answers with the 400.
 */
export function readBody<E extends AnyRouteEntry>(entry: E, value: unknown): Out<E['body']> {
  const r = entry.body!.safeParse(value);
  if (!r.success) throw new InvalidInput(invalidInput(entry, r.error.issues));
  return r.data as Out<E['body']>;
}

export class InvalidInput extends Error {
  constructor(readonly body: ErrorResponse) {
    super(body.error);
  }
}
