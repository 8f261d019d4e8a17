/** Packer statistics over HTTP: JSON for the screens, CSV for a spreadsheet. The hub serves the same two routes over its stations. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StatsResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { msg, refusal, type Message } from '../localized-error.js';
import type { Db } from '../catalog/database.js';
import { packerStats, statsCsv } from '../stats/packer-stats.js';

const DAY_MS = 86_400_000;
/** A year at most per request: enough for any report, and a bound on what one request reads. */
const MAX_PERIOD_MS = 366 * DAY_MS;

export interface StatsQuery {
  from?: string;
  to?: string;
}

/** `from` and `to` as ISO dates or times; default: the last 7 days. A sentence in both languages when they make no period. */
export function statsPeriod(query: StatsQuery): { fromMs: number; toMs: number } | Message {
  const toMs = query.to ? Date.parse(query.to) : Date.now();
  const fromMs = query.from ? Date.parse(query.from) : toMs - 7 * DAY_MS;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    return msg('stats.periodNotDates');
  }
  if (toMs <= fromMs) return msg('stats.periodBackwards');
  if (toMs - fromMs > MAX_PERIOD_MS) return msg('stats.periodTooLong');
  return { fromMs, toMs };
}

/** The statistics as a CSV download named for the period's last day. */
export function sendStatsCsv(reply: FastifyReply, stats: StatsResponse, toMs: number): FastifyReply {
  const day = new Date(toMs).toISOString().slice(0, 10);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="packwitness-stats-${day}.csv"`)
    .send(statsCsv(stats));
}

export function registerStatsRoutes(app: FastifyInstance, d: { db: Db }): void {
  addRoute(app, r.stats, async (req, reply) => {
    const p = statsPeriod(req.query);
    if ('code' in p) return reply.code(400).send(refusal(p));
    return packerStats(d.db, p.fromMs, p.toMs);
  });
  addRoute(app, r.statsCsv, async (req, reply) => {
    const p = statsPeriod(req.query);
    if ('code' in p) return reply.code(400).send(refusal(p));
    return sendStatsCsv(reply, packerStats(d.db, p.fromMs, p.toMs), p.toMs);
  });
}
