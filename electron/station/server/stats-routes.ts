/** Packer statistics over HTTP: JSON for the screens, CSV for a spreadsheet. The hub serves the same two routes over its stations. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { LocalizedText, StatsResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { both, refusal } from '../localized-error.js';
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
export function statsPeriod(query: StatsQuery): { fromMs: number; toMs: number } | LocalizedText {
  const toMs = query.to ? Date.parse(query.to) : Date.now();
  const fromMs = query.from ? Date.parse(query.from) : toMs - 7 * DAY_MS;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    return both('from and to must be dates, e.g. 2026-11-23 or 2026-11-23T10:00:00Z', 'from 和 to 须为日期，例如 2026-11-23 或 2026-11-23T10:00:00Z');
  }
  if (toMs <= fromMs) return both('to must be after from', 'to 须晚于 from');
  if (toMs - fromMs > MAX_PERIOD_MS) return both('a period may be at most 366 days', '一次最多统计 366 天');
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
    if ('en' in p) return reply.code(400).send(refusal(p));
    return packerStats(d.db, p.fromMs, p.toMs);
  });
  addRoute(app, r.statsCsv, async (req, reply) => {
    const p = statsPeriod(req.query);
    if ('en' in p) return reply.code(400).send(refusal(p));
    return sendStatsCsv(reply, packerStats(d.db, p.fromMs, p.toMs), p.toMs);
  });
}
