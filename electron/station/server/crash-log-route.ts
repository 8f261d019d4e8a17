/**
 * GET /api/logs/crash: the newest crash-log entries, so the health page can show them to support
 * without anyone opening a terminal or finding the data folder. Operator-only (access.ts): stacks
 * name files on this PC.
 */
import type { FastifyInstance } from 'fastify';
import type { CrashLogResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { crashLogPath, crashLogSummary } from '../crash-log.js';
import { CRASH_LOG } from '../limits.js';
import { msg, refusal } from '../localized-error.js';

export function registerCrashLogRoute(app: FastifyInstance, dataDir: string): void {
  addRoute(app, r.crashLog, async (req, reply) => {
    const limit = req.query.limit === undefined ? CRASH_LOG.readLimit : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return reply.code(400).send(refusal(msg('crashLog.limitWhole', { min: 1, max: 1000 })));
    }
    return { ...crashLogSummary(dataDir, limit), file: crashLogPath(dataDir) } satisfies CrashLogResponse;
  });
}
