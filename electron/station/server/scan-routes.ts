/**
 * Scans and clips over HTTP. Clip videos are addressed by clip id; the file path comes from the
 * database, never from the request.
 */
import type { FastifyInstance } from 'fastify';
import { ScanRequest, routes, type Clip, type ErrorResponse, type ScanResponse, type ScansResponse } from '../../../shared/api.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import type { ScanService } from '../scans/scan-service.js';
import { ScanSettingsError } from '../scans/scan-settings.js';

export interface ScanRouteDeps {
  dataDir: string;
  scans: ScanService;
  clips: ClipsRepo;
}

const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;

export function registerScanRoutes(app: FastifyInstance, d: ScanRouteDeps): void {
  app.post(routes.scans, async (req, reply): Promise<ScanResponse | ErrorResponse> => {
    const body = ScanRequest.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'send JSON {"code": "<scanned text>"}' });
    return d.scans.scan(body.data.code);
  });

  app.get<{ Querystring: { limit?: string } }>(routes.scans, async (req): Promise<ScansResponse> => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 10) || 10));
    return { scans: d.clips.recentScans(limit) };
  });

  app.get<{ Params: { id: number } }>('/api/clips/:id', { schema: { params: idParam } }, async (req, reply): Promise<Clip | ErrorResponse> => {
    const clip = d.clips.get(req.params.id);
    return clip ?? reply.code(404).send({ error: `no clip ${req.params.id}` });
  });

  app.get<{ Params: { id: number } }>('/api/clips/:id/video', { schema: { params: idParam } }, async (req, reply) => {
    const file = d.clips.videoFile(req.params.id);
    if (!file) return reply.code(404).send({ error: `clip ${req.params.id} has no video yet` } satisfies ErrorResponse);
    // @fastify/static answers Range requests (206) so <video> can seek.
    return reply.type('video/mp4').sendFile(file, d.dataDir, { cacheControl: false });
  });

  app.get(routes.scanSettings, async () => d.scans.scanSettings());
  app.put(routes.scanSettings, async (req, reply) => {
    try {
      return d.scans.updateSettings(req.body);
    } catch (err) {
      if (err instanceof ScanSettingsError) return reply.code(400).send({ error: err.message } satisfies ErrorResponse);
      throw err;
    }
  });
}
