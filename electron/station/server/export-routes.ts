/**
 * Appeal exports over HTTP: start a job, watch its progress, cancel it, download its files. Files are
 * addressed by job id and role; their paths come from the job, never from the request.
 */
import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { ExportFileRole, type ExportJobState } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import type { ExportJobs } from '../export/export-jobs.js';
import { DEFAULT_EXPORT_PRESETS, ExportPresetsError, findPreset, loadPresets, savePresets } from '../export/presets.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { actor, badClipId, clipIdQuery, clipIdRoute } from './request.js';
import { addRoute, lateBody, readBody } from './route.js';
import { ExportRateLimit } from './export-rate-limit.js';
import { retryLater } from './login-throttle.js';
import { VIEWER_EXPORTS } from '../limits.js';
import { exportRefusal } from '../export/clip-export.js';
import { msg, errorBody, refusal } from '../localized-error.js';

export interface ExportRouteDeps {
  dataDir: string;
  station: string;
  clips: ClipsRepo;
  jobs: ExportJobs;
  settings: SettingsStore;
}

const MIME: Record<ExportFileRole, string> = {
  video: 'video/mp4',
  composite: 'video/mp4',
  'sheet-png': 'image/png',
  'sheet-jpg': 'image/jpeg',
  'sheet-pdf': 'application/pdf',
  manifest: 'application/json',
  signature: 'application/octet-stream',
  'public-key': 'application/x-pem-file',
  checksums: 'text/plain; charset=utf-8',
  chain: 'text/plain; charset=utf-8',
  'how-to-verify': 'text/plain; charset=utf-8',
  zip: 'application/zip',
};

/**
 * A job id as the refusals name it: the jobs are looked up in a map, so any text is safe to look up,
 * and an id the station never gave is simply no export (404, worded from the catalogue).
 */
const shownId = (id: string): string => id.slice(0, 40);

/** The words for a job that can no longer be cancelled, by its state. */
const ENDED_STATE: Partial<Record<ExportJobState, 'export.stateDone' | 'export.stateFailed' | 'export.stateCancelled'>> = {
  done: 'export.stateDone',
  failed: 'export.stateFailed',
  cancelled: 'export.stateCancelled',
};

export function registerExportRoutes(app: FastifyInstance, d: ExportRouteDeps): void {
  const viewerExports = new ExportRateLimit();
  // The body is read after the rate limit: a viewer over it hears that first.
  addRoute(app, lateBody(r.startExport), clipIdRoute, async (req, reply) => {
    // Viewers (LAN logins) are limited per address; the operator is not.
    const viewerIp = req.principal?.role === 'viewer' ? req.principal.ip : null;
    const wait = viewerIp === null ? 0 : viewerExports.retryAfterMs(viewerIp);
    if (wait > 0) {
      return retryLater(reply, wait, (minutes) =>
        msg('export.tooMany', { max: VIEWER_EXPORTS.max, count: minutes }),
      );
    }
    const body = readBody(r.startExport, req.body ?? {});
    const clip = d.clips.get(req.params.id);
    if (!clip) return reply.code(404).send(refusal(msg('export.noClip', { id: req.params.id })));
    const refused = exportRefusal(clip, d.clips.otherCameraVideos(clip.id));
    if (refused) return reply.code(refused.status).send(refusal(refused.text));
    if (body.preset) {
      try {
        findPreset(loadPresets(d.settings), body.preset);
      } catch (err) {
        return reply.code(400).send(errorBody(err as Error));
      }
    }
    if (viewerIp !== null) viewerExports.started(viewerIp);
    return reply.code(202).send(d.jobs.start(clip.id, body, actor(req, d.station)));
  });

  addRoute(app, r.exports, async (req, reply) => {
    const clip = clipIdQuery(req.query.clip);
    if (clip === null) return reply.code(400).send(badClipId());
    return { jobs: d.jobs.list(clip) };
  });

  addRoute(app, r.exportJob, async (req, reply) => {
    return d.jobs.get(req.params.id) ?? reply.code(404).send(refusal(msg('export.noExport', { id: shownId(req.params.id) })));
  });

  addRoute(app, r.cancelExport, async (req, reply) => {
    const job = d.jobs.get(req.params.id);
    if (!job) return reply.code(404).send(refusal(msg('export.noExport', { id: shownId(req.params.id) })));
    if (!d.jobs.cancel(job.id)) return reply.code(409).send(refusal(msg('export.alreadyEnded', { id: job.id, state: msg(ENDED_STATE[job.state] ?? 'export.stateDone') })));
    return d.jobs.get(job.id)!;
  });

  addRoute(
    app,
    r.exportFile,
    async (req, reply) => {
      const role = ExportFileRole.safeParse(req.params.role);
      if (!role.success) return reply.code(400).send(refusal(msg('export.noFileKind', { role: req.params.role.slice(0, 40), roles: ExportFileRole.options.join(', ') })));
      const file = d.jobs.file(req.params.id, role.data);
      if (!file) return reply.code(404).send(refusal(msg('export.noFileOfKind', { id: shownId(req.params.id), role: role.data })));
      const name = file.split('/').pop()!;
      // The download keeps its name (order code, clip time and id: export-names.ts), so the upload form
      // and a downloads folder show which parcel it is. Names are ASCII already; RFC 6266 quoting and an
      // RFC 5987 `filename*` anyway (jshttp's content-disposition), so no name can break the header.
      reply.header('content-disposition', contentDisposition(name, { type: 'attachment' }));
      return reply.type(MIME[role.data]).sendFile(file, d.dataDir, { cacheControl: false });
    },
  );

  addRoute(app, r.exportPresets, async () => loadPresets(d.settings));
  addRoute(app, r.exportPresetDefaults, async () => [...DEFAULT_EXPORT_PRESETS]);
  addRoute(app, r.saveExportPresets, async (req, reply) => {
    try {
      return savePresets(d.settings, req.body);
    } catch (err) {
      if (err instanceof ExportPresetsError) return reply.code(400).send(errorBody(err));
      throw err;
    }
  });
}
