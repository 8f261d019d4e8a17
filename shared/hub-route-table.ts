/**
 * The hub's routes, each said once, as the station's are (shared/route-table.ts, the same entry
 * type): method, pattern, schemas, who may call it, and the 400 sentence. The hub registers from it
 * (electron/hub/server/hub-server.ts, through the station's addRoute), its access check reads the
 * roles from it (electron/hub/server/hub-access.ts), and the clients build their URLs and parse the
 * answers from it: the hub's pages (renderer/src/api/client.ts) and the station's link and uploader
 * (electron/station/hub/).
 *
 * The library and statistics routes answer in the station's shapes (the same pages read both), so
 * they share the station's patterns; their ids and queries are checked by the hub's handlers, which
 * word their own refusals, so the schemas here pass them through as sent.
 */
import { z } from 'zod';
import {
  AuditResponse,
  Clip,
  ClipSearchResponse,
  HubAuditResponse,
  HubClipUpload,
  HubClipUploadResponse,
  HubHeartbeat,
  HubHeartbeatResponse,
  HubJoinRequest,
  HubJoinResponse,
  HubLoginRequest,
  HubNewUser,
  HubPairingResponse,
  HubStationsResponse,
  HubUser,
  HubUserChange,
  HubUsersResponse,
  HubVideoUploadResponse,
  SessionResponse,
  StatsResponse,
  hubRoutePatterns,
  hubRoutes,
  routePatterns,
  routes,
} from './api.js';
import { msg, type MessageCode } from './messages/index.js';
import { asSent, issueText, type InvalidAnswer, type RouteEntry } from './route-table.js';

/**
 * Who may call a route on the hub:
 * - public:    anyone (health, the session, login and logout, the UI's files)
 * - reader:    anyone signed in: an office account (admin or service) or the admin token
 *              (Bearer, or for reads the READY link's cookie): search, play, export, statistics
 * - admin:     an admin account or the admin token: pairing stations, accounts, the audit log
 * - readyLink: the admin token itself with a JSON body, while the hub has no account: the first admin
 * - pairing:   a one-time pairing token in the body (pairing.ts checks it)
 * - station:   a paired station's signature (station-auth.ts); checked by the route, as the
 *              signature covers the body's SHA-256 (of a video: the one its record declared)
 */
export type HubAccess = 'public' | 'reader' | 'admin' | 'readyLink' | 'pairing' | 'station';

/** Keeps each entry's schema types, its access one of the hub's. */
function route<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown, R extends z.ZodType = z.ZodUnknown>(
  entry: RouteEntry<P, Q, B, R, HubAccess>,
): RouteEntry<P, Q, B, R, HubAccess> {
  return entry;
}

/** "bad <what>: <the first issue>": the hub's one way of refusing a body its schema does not fit. */
const bad =
  (code: MessageCode, root = 'body'): InvalidAnswer =>
  (issues) =>
    msg(code, { issue: issues[0] ? issueText(issues[0], root) : `${root}: undefined` });

/** An id in a path as sent: the hub's handlers check it and word their own refusal. */
const IdParams = z.object({ id: z.string() });
const StationClipParams = z.object({ stationClipId: z.string() });
const StatsQuery = z.object({ from: asSent(), to: asSent(), stationId: asSent<string | number>() });

export const hubRouteTable = {
  health: route({ method: 'GET', path: hubRoutes.health, access: 'public', response: z.object({ ok: z.literal(true) }) }),
  session: route({ method: 'GET', path: routes.session, access: 'public', response: SessionResponse }),
  // JSON only (the route answers 415 first), so the body is checked late.
  login: route({ method: 'POST', path: routes.login, access: 'public', body: HubLoginRequest, response: SessionResponse, invalid: bad('hubServer.badLogin') }),
  logout: route({ method: 'POST', path: routes.logout, access: 'public', response: SessionResponse }),
  firstAdmin: route({ method: 'POST', path: hubRoutes.firstAdmin, access: 'readyLink', body: HubNewUser.omit({ role: true }), response: SessionResponse, invalid: bad('hubServer.badAccount') }),

  // Accounts and the audit log: the admins'.
  audit: route({ method: 'GET', path: hubRoutes.audit, access: 'admin', query: z.object({ limit: asSent<string | number>() }), response: HubAuditResponse }),
  users: route({ method: 'GET', path: hubRoutes.users, access: 'admin', response: HubUsersResponse }),
  addUser: route({ method: 'POST', path: hubRoutes.users, access: 'admin', body: HubNewUser, response: HubUser, invalid: bad('hubServer.badAccount') }),
  // The id is refused before the body (checked late).
  changeUser: route({ method: 'PUT', path: hubRoutePatterns.user, access: 'admin', params: IdParams, body: HubUserChange, response: HubUser, invalid: bad('hubServer.badAccountChange') }),

  // Stations: an admin pairs one; the station joins with the token and then signs every request.
  pairings: route({ method: 'POST', path: hubRoutes.pairings, access: 'admin', response: HubPairingResponse }),
  join: route({ method: 'POST', path: hubRoutes.join, access: 'pairing', body: HubJoinRequest, response: HubJoinResponse, invalid: bad('hubServer.badJoinRequest', '') }),
  // The signature is checked before the body (checked late).
  heartbeat: route({ method: 'POST', path: hubRoutes.heartbeat, access: 'station', body: HubHeartbeat, response: HubHeartbeatResponse, invalid: bad('hubServer.badHeartbeat', '') }),
  uploadClip: route({ method: 'POST', path: hubRoutes.uploadClip, access: 'station', body: HubClipUpload, response: HubClipUploadResponse, invalid: bad('hubServer.badClipRecord', '') }),
  // The videos: a byte stream, never parsed.
  uploadVideo: route({ method: 'PUT', path: hubRoutePatterns.uploadVideo, access: 'station', params: StationClipParams, response: HubVideoUploadResponse }),
  uploadCameraVideo: route({
    method: 'PUT',
    path: hubRoutePatterns.uploadCameraVideo,
    access: 'station',
    params: StationClipParams.extend({ camera: z.string() }),
    response: HubVideoUploadResponse,
  }),
  stations: route({ method: 'GET', path: hubRoutes.stations, access: 'reader', response: HubStationsResponse }),

  // The library, in the station's shapes (the station's pages read it).
  clips: route({
    method: 'GET',
    path: routes.clips,
    access: 'reader',
    query: z.object({
      q: asSent(),
      stationId: asSent<string | number>(),
      station: asSent(),
      packer: asSent(),
      from: asSent(),
      to: asSent(),
      mode: asSent(),
      status: asSent(),
      protected: asSent<string | boolean>(),
      limit: asSent<string | number>(),
      cursor: asSent(),
    }),
    response: ClipSearchResponse,
  }),
  clip: route({ method: 'GET', path: routePatterns.clip, access: 'reader', params: IdParams, response: Clip }),
  // The clip page asks; the hub keeps no audit per clip yet (always empty).
  clipAudit: route({ method: 'GET', path: routePatterns.clipAudit, access: 'reader', params: IdParams, response: AuditResponse }),
  // ?camera=ID: another camera's video; the main camera's without it.
  clipVideo: route({ method: 'GET', path: routePatterns.clipVideo, access: 'reader', params: IdParams, query: z.object({ camera: asSent<unknown>() }) }),
  // The same video as a file to save, named by the clip and the camera's name (?camera=ID as above).
  clipVideoDownload: route({ method: 'GET', path: routePatterns.clipVideoDownload, access: 'reader', params: IdParams, query: z.object({ camera: asSent<unknown>() }) }),
  // The station's sealed bundle as the station signed it (a zip): GET here, where the station's POST starts an export job.
  exportBundle: route({ method: 'GET', path: routePatterns.clipExport, access: 'reader', params: IdParams }),
  // The pages read the display defaults; the hub has none (always 404).
  displaySettings: route({ method: 'GET', path: routes.displaySettings, access: 'reader' }),

  // Packer statistics over all stations, or one (?stationId=).
  stats: route({ method: 'GET', path: routes.stats, access: 'reader', query: StatsQuery, response: StatsResponse }),
  statsCsv: route({ method: 'GET', path: routes.statsCsv, access: 'reader', query: StatsQuery }),
} as const satisfies Record<string, RouteEntry<z.ZodType, z.ZodType, z.ZodType, z.ZodType, HubAccess>>;

export type HubRoute = (typeof hubRouteTable)[keyof typeof hubRouteTable];
