/**
 * The station's hub settings: GET the link's state, PUT a hub address and pairing token
 * to join it now. A refusal answers with the hub's own sentence; an unreachable hub with 502.
 */
import type { FastifyInstance } from 'fastify';
import { HubUploadSettings, type ErrorResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute, lateBody, readBody } from './route.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { HubJoinError, type HubLink } from '../hub/hub-link.js';
import { HUB_UPLOAD_SETTING_KEY } from '../hub/hub-uploader.js';
import { errorBody, msg, refusal } from '../localized-error.js';

export interface HubRouteDeps {
  link: () => HubLink | null;
  settings: SettingsStore;
  /** A setting changed or a hub was joined: the uploader looks again now. */
  kick: () => void;
}

const NOT_READY: ErrorResponse = refusal(msg('station.stillStarting'));

export function registerHubRoutes(app: FastifyInstance, d: HubRouteDeps): void {
  addRoute(app, r.hubSettings, async (_req, reply) => {
    const link = d.link();
    return link ? link.status() : reply.code(503).send(NOT_READY);
  });
  // The body is read once the link exists: a station still starting says so first.
  addRoute(app, lateBody(r.joinHub), async (req, reply) => {
    const link = d.link();
    if (!link) return reply.code(503).send(NOT_READY);
    const body = readBody(r.joinHub, req.body);
    try {
      const joined = await link.join(body.url, body.pairingToken);
      d.kick();
      return joined;
    } catch (err) {
      if (err instanceof HubJoinError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  addRoute(app, r.hubUpload, async () => d.settings.get(HUB_UPLOAD_SETTING_KEY, { maxMbps: null }, (v) => HubUploadSettings.parse(v)));
  addRoute(app, r.saveHubUpload, async (_req, _reply, { body }) => {
    d.settings.set(HUB_UPLOAD_SETTING_KEY, body);
    return body;
  });
}
