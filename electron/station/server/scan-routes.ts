/**
 * Scans and clips over HTTP. Clip videos are addressed by clip id; the file path comes from the
 * database, never from the request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../catalog/database.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { BadCursorError, searchClips } from '../clips/clip-search.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import type { ClipCamerasRepo } from '../clips/clip-cameras.js';
import { relatedClips } from '../clips/related-clips.js';
import type { ScanService } from '../scans/scan-service.js';
import { ScanSettingsError } from '../scans/scan-settings.js';
import { isViewer } from './access.js';
import { videoExpiredText } from '../storage/expired.js';
import { errorBody, msg, refusal } from '../localized-error.js';
import { actor, clipIdRoute } from './request.js';
import { addRoute } from './route.js';
import { log } from '../log.js';
import { attachmentDisposition, cameraVideoFileName } from '../export/export-names.js';

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
  addRoute(app, r.scan, async (_req, _reply, { body }) => d.scans.scan(body.code));

  addRoute(app, r.scans, async (_req, _reply, { query }) => {
    const limit = Math.min(200, Math.max(1, Number(query.limit ?? 10) || 10));
    return { scans: d.clips.recentScans(limit) };
  });

  addRoute(app, r.clips, async (_req, reply, { query }) => {
    const fromMs = query.from ? Date.parse(query.from) : undefined;
    const toMs = query.to ? Date.parse(query.to) : undefined;
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return reply.code(400).send(refusal(msg('stats.periodNotDates')));
    try {
      return searchClips(
        d.db,
        { q: query.q, fromMs, toMs, mode: query.mode, station: query.station, status: query.status, protected: query.protected === undefined ? undefined : query.protected === 'true', packer: query.packer },
        query.cursor,
        query.limit ?? DEFAULT_PAGE,
      );
    } catch (err) {
      if (err instanceof BadCursorError) return reply.code(400).send(errorBody(err));
      throw err;
    }
  });

  addRoute(app, r.patchClip, clipIdRoute, async (req, reply, { body }) => {
    const before = d.clips.get(req.params.id);
    if (!before) return reply.code(404).send(refusal(msg('export.noClip', { id: req.params.id })));
    // Unprotecting makes disputed footage deletable again: the operator's decision, not a viewer's.
    if (isViewer(req) && before.protected && body.protected === false) {
      return reply.code(403).send(refusal(msg('scan.viewerCannotUnprotect')));
    }
    const who = actor(req, d.station);
    d.db.transaction(() => {
      if (body.protected !== undefined && body.protected !== before.protected) {
        d.clips.setProtected(before.id, body.protected);
        d.clips.audit(before.id, who, body.protected ? 'protect' : 'unprotect');
      }
      if (body.note !== undefined && body.note !== before.note) {
        d.clips.setNote(before.id, body.note);
        d.clips.audit(before.id, who, 'note', body.note);
      }
    })();
    return d.clips.get(before.id)!;
  });

  addRoute(app, r.clipAudit, clipIdRoute, async (req, reply) => {
    if (!d.clips.get(req.params.id)) return reply.code(404).send(refusal(msg('export.noClip', { id: req.params.id })));
    return { entries: d.clips.auditLog(req.params.id) };
  });

  addRoute(app, r.clipThumbnail, clipIdRoute, async (req, reply) => {
    const expired = d.clips.videoExpiredMs(req.params.id);
    if (expired !== null) return reply.code(410).send(refusal(videoExpiredText(expired)));
    const file = d.clips.thumbnailFile(req.params.id);
    if (!file) return reply.code(404).send(refusal(msg('clips.noThumbnailYet', { id: req.params.id })));
    return reply.type('image/jpeg').sendFile(file, d.dataDir, { cacheControl: false });
  });

  addRoute(app, r.clip, clipIdRoute, async (req, reply) => {
    const clip = d.clips.get(req.params.id);
    if (!clip) return reply.code(404).send(refusal(msg('export.noClip', { id: req.params.id })));
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
  const videoRoute = {
    ...clipIdRoute,
    onSend: (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
      if (sendingVideo.has(req) && req.method === 'GET') {
        const range = reply.getHeader('content-range');
        const fromStart = reply.statusCode === 200 || (reply.statusCode === 206 && typeof range === 'string' && /^bytes 0-/.test(range));
        if (fromStart) d.clips.audit((req.params as { id: number }).id, actor(req, d.station), 'view');
      }
      done(null, payload);
    },
  };
  /**
   * One camera's video of a clip (`camera` the id; absent: the main camera's). `download`: as a file
   * named by the clip and the camera's name (export-names.ts), for the library's per-camera downloads.
   */
  const sendVideo = async (req: FastifyRequest<{ Params: { id: number } }>, reply: FastifyReply, cameraParam: unknown, download: boolean) => {
    // Retention deleted it: gone for good (410), and the sentence says when.
    const expired = d.clips.videoExpiredMs(req.params.id);
    if (expired !== null) return reply.code(410).send(refusal(videoExpiredText(expired)));
    // ?camera=ID: another camera's video of the clip; the main camera's (the clip's own) without it, or by its id.
    const camera: unknown = cameraParam;
    if (camera !== undefined && typeof camera !== 'string') return reply.code(400).send(refusal(msg('common.giveOneCameraId')));
    const clip = d.clips.get(req.params.id);
    const main = clip?.camera;
    const other = camera !== undefined && camera !== main;
    if (other && !d.clipCameras?.has(req.params.id, camera)) {
      return reply.code(404).send(refusal(msg('common.clipHasNoCamera', { id: req.params.id, camera: JSON.stringify(camera) })));
    }
    const file = other ? d.clipCameras!.videoFile(req.params.id, camera) : d.clips.videoFile(req.params.id);
    if (!file && other) {
      return reply.code(404).send(refusal(msg('scan.clipHasNoVideo', { id: req.params.id, camera: JSON.stringify(camera) })));
    }
    if (!file) return reply.code(404).send(refusal(msg('clipExport.noVideoYet', { id: req.params.id })));
    if (download && clip) {
      const mainName = d.cameraName?.(clip.camera) ?? clip.camera;
      const id = other ? camera : clip.camera;
      const name = other ? (d.clipCameras!.list(clip, mainName).find((k) => k.id === camera)?.name ?? camera) : mainName;
      void reply.header('content-disposition', attachmentDisposition(cameraVideoFileName(clip, name, id)));
    }
    sendingVideo.add(req);
    // @fastify/static answers Range requests (206) so <video> can seek.
    return reply.type('video/mp4').sendFile(file, d.dataDir, { cacheControl: false });
  };
  // A download is audited as a viewing is (videoRoute's onSend).
  addRoute(app, r.clipVideo, videoRoute, async (req, reply) => sendVideo(req, reply, req.query.camera, false));
  addRoute(app, r.clipVideoDownload, videoRoute, async (req, reply) => sendVideo(req, reply, req.query.camera, true));

  addRoute(app, r.scanSettings, async () => d.scans.scanSettings());
  addRoute(app, r.saveScanSettings, async (req, reply) => {
    try {
      return d.scans.updateSettings(req.body);
    } catch (err) {
      // The schema's sentences are English (the settings screen checks the rules before it sends).
      if (err instanceof ScanSettingsError) return reply.code(400).send(refusal(msg('scan.settingsRefused', { detail: err.message })));
      throw err;
    }
  });
}
