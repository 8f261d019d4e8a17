/**
 * The station's hub settings: GET the link's state, PUT a hub address and pairing token
 * to join it now. A refusal answers with the hub's own sentence; an unreachable hub with 502.
 */
import type { FastifyInstance } from 'fastify';
import { HubJoinSettings, hubRoutes, HubUploadSettings, type ErrorResponse, type HubLinkStatus } from '../../../shared/api.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { HubJoinError, type HubLink } from '../hub/hub-link.js';
import { HUB_UPLOAD_SETTING_KEY } from '../hub/hub-uploader.js';
import { errorBody } from '../localized-error.js';

export interface HubRouteDeps {
  link: () => HubLink | null;
  settings: SettingsStore;
  /** A setting changed or a hub was joined: the uploader looks again now. */
  kick: () => void;
}

const NOT_READY: ErrorResponse = { error: 'the station is still starting; try again in a moment' };

export function registerHubRoutes(app: FastifyInstance, d: HubRouteDeps): void {
  app.get(hubRoutes.stationHubSettings, async (_req, reply): Promise<HubLinkStatus | ErrorResponse> => {
    const link = d.link();
    return link ? link.status() : reply.code(503).send(NOT_READY);
  });
  app.put(hubRoutes.stationHubSettings, async (req, reply): Promise<HubLinkStatus | ErrorResponse> => {
    const link = d.link();
    if (!link) return reply.code(503).send(NOT_READY);
    const body = HubJoinSettings.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: `${body.error.issues[0]?.path.join('.') || 'body'}: ${body.error.issues[0]?.message}` });
    try {
      const joined = await link.join(body.data.url, body.data.pairingToken);
      d.kick();
      return joined;
    } catch (err) {
      if (err instanceof HubJoinError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });

  app.get(hubRoutes.stationHubUpload, async (): Promise<HubUploadSettings> => d.settings.get(HUB_UPLOAD_SETTING_KEY, { maxMbps: null }, (v) => HubUploadSettings.parse(v)));
  app.put(hubRoutes.stationHubUpload, async (req, reply): Promise<HubUploadSettings | ErrorResponse> => {
    const body = HubUploadSettings.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: `maxMbps: ${body.error.issues[0]?.message} (a number of megabits per second, or null for no limit)` });
    d.settings.set(HUB_UPLOAD_SETTING_KEY, body.data);
    return body.data;
  });
}
