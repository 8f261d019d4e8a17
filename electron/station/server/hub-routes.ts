/**
 * The station's hub settings (issue 16): GET the link's state, PUT a hub address and pairing token
 * to join it now. A refusal answers with the hub's own sentence; an unreachable hub with 502.
 */
import type { FastifyInstance } from 'fastify';
import { HubJoinSettings, hubRoutes, type ErrorResponse, type HubLinkStatus } from '../../../shared/api.js';
import { HubJoinError, type HubLink } from '../hub/hub-link.js';
import { errorBody } from '../localized-error.js';

export interface HubRouteDeps {
  link: () => HubLink | null;
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
      return await link.join(body.data.url, body.data.pairingToken);
    } catch (err) {
      if (err instanceof HubJoinError) return reply.code(err.statusCode).send(errorBody(err));
      throw err;
    }
  });
}
