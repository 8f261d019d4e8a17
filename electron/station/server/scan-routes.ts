/**
 * Scans and clips over HTTP. Clip videos are addressed by clip id; the file path comes from the
 * database, never from the request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../catalog/database.js';
import {
  ClipPatch,
  ClipSearchQuery,
  ScanRequest,
  routes,
  type AuditResponse,
  type Clip,
  type ClipSearchResponse,
  type ErrorResponse,
  type ScanResponse,
  type ScansResponse,
} from '../../../shared/api.js';
import { BadCursorError, searchClips } from '../clips/clip-search.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import type { ClipCamerasRepo } from '../clips/clip-cameras.js';
import { relatedClips } from '../clips/related-clips.js';
import type { ScanService } from '../scans/scan-service.js';
import { ScanSettingsError } from '../scans/scan-settings.js';
import { isViewer } from './access.js';
import { videoExpiredText } from '../storage/expired.js';
import { msg, refusal } from '../localized-error.js';
import { actor, clipIdRoute } from './request.js';
import { log } from '../log.js';

export interface ScanRouteDeps {
  dataDir: string;
  scans: ScanService;
  clips: ClipsRepo;
  db: Db;
  station: string;
  /** Measures the frame rate of a clip cut before it was recorded at cutting (the clip writer's). */
  measureFps?: (clipId: number) => Promise<number | null>;
  /** The other cameras' videos of each clip (several cameras per station). */
  clipCameras?: ClipCamerasRepo;
  /** What the station calls a camera (its spec, password removed). */
  cameraName?: (camera: string) => string;
}

const DEFAULT_PAGE = 50;

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

  app.get(routes.clips, async (req, reply): Promise<ClipSearchResponse | ErrorResponse> => {
    const q = ClipSearchQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const fromMs = q.data.from ? Date.parse(q.data.from) : undefined;
    const toMs = q.data.to ? Date.parse(q.data.to) : undefined;
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return reply.code(400).send({ error: 'from and to must be dates, e.g. 2026-11-23 or 2026-11-23T10:00:00Z' });
    try {
      return searchClips(
        d.db,
        { q: q.data.q, fromMs, toMs, mode: q.data.mode, station: q.data.station, status: q.data.status, protected: q.data.protected === undefined ? undefined : q.data.protected === 'true', packer: q.data.packer },
        q.data.cursor,
        q.data.limit ?? DEFAULT_PAGE,
      );
    } catch (err) {
      if (err instanceof BadCursorError) return reply.code(400).send({ error: err.message });
      throw err;
    }
  });

  app.patch<{ Params: { id: number } }>('/api/clips/:id', clipIdRoute, async (req, reply): Promise<Clip | ErrorResponse> => {
    const patch = ClipPatch.safeParse(req.body);
    if (!patch.success) return reply.code(400).send({ error: 'send JSON with "protected" (true/false) and/or "note" (text or null)' });
    const before = d.clips.get(req.params.id);
    if (!before) return reply.code(404).send({ error: `no clip ${req.params.id}` });
    // Unprotecting makes disputed footage deletable again: the operator's decision, not a viewer's.
    if (isViewer(req) && before.protected && patch.data.protected === false) {
      return reply.code(403).send(refusal(msg('scan.viewerMayProtectClip')));
    }
    const who = actor(req, d.station);
    d.db.transaction(() => {
      if (patch.data.protected !== undefined && patch.data.protected !== before.protected) {
        d.clips.setProtected(before.id, patch.data.protected);
        d.clips.audit(before.id, who, patch.data.protected ? 'protect' : 'unprotect');
      }
      if (patch.data.note !== undefined && patch.data.note !== before.note) {
        d.clips.setNote(before.id, patch.data.note);
        d.clips.audit(before.id, who, 'note', patch.data.note);
      }
    })();
    return d.clips.get(before.id)!;
  });

  app.get<{ Params: { id: number } }>('/api/clips/:id/audit', clipIdRoute, async (req, reply): Promise<AuditResponse | ErrorResponse> => {
    if (!d.clips.get(req.params.id)) return reply.code(404).send({ error: `no clip ${req.params.id}` });
    return { entries: d.clips.auditLog(req.params.id) };
  });

  app.get<{ Params: { id: number } }>('/api/clips/:id/thumbnail.jpg', clipIdRoute, async (req, reply) => {
    const expired = d.clips.videoExpiredMs(req.params.id);
    if (expired !== null) return reply.code(410).send(refusal(videoExpiredText(expired)));
    const file = d.clips.thumbnailFile(req.params.id);
    if (!file) return reply.code(404).send({ error: `clip ${req.params.id} has no thumbnail yet` } satisfies ErrorResponse);
    return reply.type('image/jpeg').sendFile(file, d.dataDir, { cacheControl: false });
  });

  app.get<{ Params: { id: number } }>('/api/clips/:id', clipIdRoute, async (req, reply): Promise<Clip | ErrorResponse> => {
    const clip = d.clips.get(req.params.id);
    if (!clip) return reply.code(404).send({ error: `no clip ${req.params.id}` });
    // Once per clip cut before the frame rate was kept: the player steps by it.
    if (clip.video && clip.video.fps == null && d.measureFps) {
      const fps = await d.measureFps(clip.id).catch((err: Error) => {
        log.warn('could not measure a clip\'s frame rate', { clipId: clip.id, error: err.message });
        return null;
      });
      if (fps !== null) clip.video.fps = fps;
    }
    // The clip page's "packed … / handed over …" line; the list answers leave it out.
    clip.related = relatedClips(d.db, clip);
    if (d.clipCameras) clip.cameras = d.clipCameras.list(clip, d.cameraName?.(clip.camera) ?? clip.camera);
    return clip;
  });

  /**
   * A viewing is audited from what the answer sends, not from the request's Range header: any
   * response that carries the file's first byte is one (a 200, which @fastify/send also gives for a
   * Range it does not take, such as several ranges or a malformed one, or a 206 from byte 0, however
   * the range was spelled: `bytes=0-`, `bytes=00-`, `bytes= 0-`). A player's seeks (206 from later
   * bytes) and a HEAD are not. Deciding from the reply means the audit and @fastify/send can never
   * disagree about which bytes went out; a header regex did (`bytes=00-` streamed the whole clip unseen).
   */
  const sendingVideo = new WeakSet<FastifyRequest>();
  app.get<{ Params: { id: number }; Querystring: { camera?: string } }>(
    '/api/clips/:id/video',
    {
      ...clipIdRoute,
      onSend: (req, reply, payload, done) => {
        if (sendingVideo.has(req) && req.method === 'GET') {
          const range = reply.getHeader('content-range');
          const fromStart = reply.statusCode === 200 || (reply.statusCode === 206 && typeof range === 'string' && /^bytes 0-/.test(range));
          if (fromStart) d.clips.audit(req.params.id, actor(req, d.station), 'view');
        }
        done(null, payload);
      },
    },
    async (req, reply) => {
      // Retention deleted it: gone for good (410), and the sentence says when.
      const expired = d.clips.videoExpiredMs(req.params.id);
      if (expired !== null) return reply.code(410).send(refusal(videoExpiredText(expired)));
      // ?camera=ID: another camera's video of the clip; the main camera's (the clip's own) without it, or by its id.
      const camera: unknown = req.query.camera;
      if (camera !== undefined && typeof camera !== 'string') return reply.code(400).send(refusal(msg('common.giveOneCameraId')));
      const main = d.clips.get(req.params.id)?.camera;
      const other = camera !== undefined && camera !== main;
      if (other && !d.clipCameras?.has(req.params.id, camera)) {
        return reply.code(404).send(refusal(msg('common.clipHasNoCamera', { id: req.params.id, camera: JSON.stringify(camera) })));
      }
      const file = other ? d.clipCameras!.videoFile(req.params.id, camera) : d.clips.videoFile(req.params.id);
      if (!file && other) {
        return reply.code(404).send(refusal(msg('scan.clipHasNoVideo', { id: req.params.id, camera: JSON.stringify(camera) })));
      }
      if (!file) return reply.code(404).send({ error: `clip ${req.params.id} has no video yet` } satisfies ErrorResponse);
      sendingVideo.add(req);
      // @fastify/static answers Range requests (206) so <video> can seek.
      return reply.type('video/mp4').sendFile(file, d.dataDir, { cacheControl: false });
    },
  );

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
