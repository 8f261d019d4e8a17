/** Packer statistics over HTTP (issue 19): JSON for the screens, CSV for a spreadsheet. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routes, type ErrorResponse, type StatsResponse } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { packerStats, statsCsv } from '../stats/packer-stats.js';

const DAY_MS = 86_400_000;
/** A year at most per request: enough for any report, and a bound on what one request reads. */
const MAX_PERIOD_MS = 366 * DAY_MS;

/** `from` and `to` as ISO dates or times; default: the last 7 days. */
function period(req: FastifyRequest<{ Querystring: { from?: string; to?: string } }>): { fromMs: number; toMs: number } | string {
  const toMs = req.query.to ? Date.parse(req.query.to) : Date.now();
  const fromMs = req.query.from ? Date.parse(req.query.from) : toMs - 7 * DAY_MS;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return 'from and to must be dates, e.g. 2026-11-23 or 2026-11-23T10:00:00Z';
  if (toMs <= fromMs) return 'to must be after from';
  if (toMs - fromMs > MAX_PERIOD_MS) return 'a period may be at most 366 days';
  return { fromMs, toMs };
}

export function registerStatsRoutes(app: FastifyInstance, d: { db: Db }): void {
  app.get<{ Querystring: { from?: string; to?: string } }>(routes.stats, async (req, reply: FastifyReply): Promise<StatsResponse | ErrorResponse> => {
    const p = period(req);
    if (typeof p === 'string') return reply.code(400).send({ error: p });
    return packerStats(d.db, p.fromMs, p.toMs);
  });
  app.get<{ Querystring: { from?: string; to?: string } }>(routes.statsCsv, async (req, reply: FastifyReply) => {
    const p = period(req);
    if (typeof p === 'string') return reply.code(400).send({ error: p } satisfies ErrorResponse);
    const day = new Date(p.toMs).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="packwitness-stats-${day}.csv"`)
      .send(statsCsv(packerStats(d.db, p.fromMs, p.toMs)));
  });
}
