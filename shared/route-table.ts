/**
 * The station's routes, each said once: method, path pattern (as registered with Fastify), the zod
 * schemas of its params, query, body and answer, and who may call it. The server registers from it
 * (electron/station/server/route.ts), the access check reads its roles from it (access.ts), and the
 * renderer builds its URLs and parses its answers from it (renderer/src/api/client.ts).
 *
 * The hub's routes are a table of their own of the same entries (shared/hub-route-table.ts), registered
 * by the same addRoute; only who may call a route is said in each server's terms.
 *
 * A 400 for input that does not fit a schema is worded by `invalidText`, from one way of writing a zod
 * issue (`issueText`); a route whose sentence says more (what to send) gives its own `invalid`.
 */
import { z } from 'zod';
import {
  AuditResponse,
  CameraListSettings,
  CamerasResponse,
  CameraTestRequest,
  CameraTestResult,
  Claim,
  ClaimIdentifyResponse,
  ClaimsResponse,
  Clip,
  ClipPatch,
  ClipSearchQuery,
  ClipSearchResponse,
  CrashLogResponse,
  DisplaySettings,
  EncoderSettings,
  EncoderSettingsResponse,
  ExportJob,
  ExportPresets,
  ExportRequest,
  GapsResponse,
  HealthReport,
  HealthResponse,
  HubJoinSettings,
  HubLinkStatus,
  HubUploadSettings,
  LanSettings,
  LoginRequest,
  OrderFileImportResponse,
  OrderFilePreview,
  OrderImportResult,
  OrdersPushRequest,
  Packer,
  PackerCreate,
  PackerRename,
  PackersResponse,
  RetentionSettings,
  ScanRequest,
  ScanResponse,
  ScanSettings,
  ScansResponse,
  ScanTestRequest,
  ScanTestResult,
  SegmentsResponse,
  SessionResponse,
  SettingsInfo,
  StationIdentitySettings,
  StatsResponse,
  StatusResponse,
  StorageMoveAccepted,
  StorageMoveRequest,
  hubRoutes,
  routePatterns,
  routes,
} from './api.js';
import { msg, type Message } from './messages/index.js';

/**
 * Who may call a route on the station:
 * - public:   anyone who passed the Host check (health, the login endpoints)
 * - viewer:   a viewer session or the token
 * - operator: the token only
 * - ui:       the built UI's files: public when viewer login is on (the login screen must load
 *             before anyone has logged in; the files hold no data), else operator-only as before
 */
export type Access = 'public' | 'viewer' | 'operator' | 'ui';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ZodIssues = z.ZodError['issues'];

/** The sentence of a 400 for input its schema refused: English only, or in both languages. */
export type InvalidAnswer = (issues: ZodIssues) => string | Message;

/**
 * One route of a table: the station's (`access` an `Access`) or the hub's (a `HubAccess`,
 * shared/hub-route-table.ts), registered by the same addRoute (electron/station/server/route.ts).
 */
export interface RouteEntry<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  A extends string = Access,
> {
  method: Method;
  /** Fastify's pattern: `/api/clips/:id`. */
  path: string;
  /** Who may call it, in its server's terms. */
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** What a 2xx answers (JSON); absent: not JSON (a file, a stream) or not read by the renderer. */
  response?: R;
  /** How a refused input reads; default: every issue, `path: message`. */
  invalid?: InvalidAnswer;
}

/** An entry of either table (what registration and the clients need: not who may call it). */
export type AnyRouteEntry = RouteEntry<z.ZodType, z.ZodType, z.ZodType, z.ZodType, string>;

/** Keeps each entry's schema types (a plain object literal would widen them). */
function route<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown, R extends z.ZodType = z.ZodUnknown>(
  entry: RouteEntry<P, Q, B, R>,
): RouteEntry<P, Q, B, R> {
  return entry;
}

/** The one way a zod issue reads in an answer: `path: message`, the path named `root` when the issue is about the whole input. */
export function issueText(issue: ZodIssues[number], root = 'body'): string {
  return `${issue.path.join('.') || root}: ${issue.message}`;
}

/** Every issue, `; ` between them. */
export function issuesText(issues: ZodIssues, root = 'body'): string {
  return issues.map((i) => issueText(i, root)).join('; ');
}

/** The 400 sentence of a route for input its schemas refused. */
export function invalidText(entry: Pick<AnyRouteEntry, 'invalid'>, issues: ZodIssues): string | Message {
  return entry.invalid ? entry.invalid(issues) : issuesText(issues);
}

/**
 * The settings screen's way (packers too): a field our own messages already name goes as the message
 * alone, one camera of a list is counted as the screen counts them, repeats once.
 */
export function settingsIssuesText(issues: ZodIssues): string {
  const parts = issues.map((i) => {
    const camera = i.path[0] === 'cameras' && typeof i.path[1] === 'number' ? `camera ${i.path[1] + 1}: ` : '';
    if (i.code === 'custom' || i.path.length === 0) return camera + i.message;
    // zod's generic messages name no field; ours already do.
    return /\b(name|cameras?|resolution|frame rate|password|RTSP)\b/i.test(i.message) ? camera + i.message : `${i.path.join('.')}: ${i.message}`;
  });
  return [...new Set(parts)].join('; ');
}

const fixed =
  (text: string | Message): InvalidAnswer =>
  () =>
    text;

/** A clip id in a path: checked by the server's clipIdRoute (shared/ids.ts) before the schema sees it as a number. */
const ClipIdParams = z.object({ id: z.number().int() });
const JobIdParams = z.object({ id: z.string() });
const PackerCodeParams = z.object({ code: z.string() });

/**
 * A query field the route checks itself (and words its own refusal of): passed through as sent, typed
 * as the client sends it. A repeated field arrives as an array; the route's own check answers that.
 */
export const asSent = <T = string>() => z.custom<T>().optional();

const LimitQuery = z.object({ limit: asSent<string | number>() });
const PeriodQuery = z.object({ from: asSent(), to: asSent() });

export const stationRoutes = {
  health: route({ method: 'GET', path: routes.health, access: 'public', response: HealthResponse }),
  session: route({ method: 'GET', path: routes.session, access: 'public', response: SessionResponse }),
  login: route({ method: 'POST', path: routes.login, access: 'public', body: LoginRequest, response: SessionResponse, invalid: fixed('send JSON {"password": "…"}') }),
  logout: route({ method: 'POST', path: routes.logout, access: 'public', response: SessionResponse }),

  status: route({ method: 'GET', path: routes.status, access: 'viewer', response: StatusResponse }),
  // Segments, gaps and the live camera are the packing bench's: never for viewers.
  segments: route({ method: 'GET', path: routes.segments, access: 'operator', query: PeriodQuery, response: SegmentsResponse }),
  gaps: route({ method: 'GET', path: routes.gaps, access: 'operator', response: GapsResponse }),
  preview: route({ method: 'GET', path: routes.preview, access: 'operator', query: z.object({ camera: asSent<unknown>() }) }),
  previewFrame: route({ method: 'GET', path: routes.previewFrame, access: 'operator', query: z.object({ camera: asSent<unknown>() }) }),

  scan: route({ method: 'POST', path: routes.scans, access: 'operator', body: ScanRequest, response: ScanResponse, invalid: fixed('send JSON {"code": "<scanned text>"}') }),
  scans: route({ method: 'GET', path: routes.scans, access: 'operator', query: LimitQuery, response: ScansResponse }),
  scanSettings: route({ method: 'GET', path: routes.scanSettings, access: 'operator', response: ScanSettings }),
  // The server's scan settings check words its own sentences (scans/scan-settings.ts).
  saveScanSettings: route({ method: 'PUT', path: routes.scanSettings, access: 'operator', response: ScanSettings }),

  clips: route({ method: 'GET', path: routes.clips, access: 'viewer', query: ClipSearchQuery, response: ClipSearchResponse, invalid: (issues) => issuesText(issues, '') }),
  clip: route({ method: 'GET', path: routePatterns.clip, access: 'viewer', params: ClipIdParams, response: Clip }),
  clipAudit: route({ method: 'GET', path: routePatterns.clipAudit, access: 'viewer', params: ClipIdParams, response: AuditResponse }),
  clipThumbnail: route({ method: 'GET', path: routePatterns.clipThumbnail, access: 'viewer', params: ClipIdParams }),
  // ?camera=ID: another camera's video of the clip (the route words its own refusal of a repeated one).
  clipVideo: route({ method: 'GET', path: routePatterns.clipVideo, access: 'viewer', params: ClipIdParams, query: z.object({ camera: asSent<unknown>() }) }),
  // The same video as a file to save, named by the clip and the camera's name (?camera=ID as above).
  clipVideoDownload: route({ method: 'GET', path: routePatterns.clipVideoDownload, access: 'viewer', params: ClipIdParams, query: z.object({ camera: asSent<unknown>() }) }),
  // Protect and note are what customer service does with a disputed clip: neither touches footage,
  // and the audit log records the viewer and their address. Unprotecting (which makes the footage
  // deletable) stays the operator's: the route itself refuses it to viewers.
  patchClip: route({
    method: 'PATCH',
    path: routePatterns.clip,
    access: 'viewer',
    params: ClipIdParams,
    body: ClipPatch,
    response: Clip,
    invalid: fixed('send JSON with "protected" (true/false) and/or "note" (text or null)'),
  }),

  // Exports: the reason customer service opens the library at all.
  startExport: route({ method: 'POST', path: routePatterns.clipExport, access: 'viewer', params: ClipIdParams, body: ExportRequest, response: ExportJob }),
  // ?clip=ID: one clip's jobs (checked as a clip id by the route).
  exports: route({ method: 'GET', path: routes.exports, access: 'viewer', query: z.object({ clip: asSent<unknown>() }), response: z.object({ jobs: z.array(ExportJob) }) }),
  exportJob: route({ method: 'GET', path: routePatterns.exportJob, access: 'viewer', params: JobIdParams, response: ExportJob }),
  cancelExport: route({ method: 'DELETE', path: routePatterns.exportJob, access: 'viewer', params: JobIdParams, response: ExportJob }),
  exportFile: route({ method: 'GET', path: routePatterns.exportFile, access: 'viewer', params: z.object({ id: z.string(), role: z.string() }) }),
  // Reading the presets lets a viewer pick one; changing them (PUT) is a setting.
  exportPresets: route({ method: 'GET', path: routes.exportPresets, access: 'viewer', response: ExportPresets }),
  saveExportPresets: route({ method: 'PUT', path: routes.exportPresets, access: 'operator', response: ExportPresets }),
  // The built-ins as shipped: the settings screen's reset button.
  exportPresetDefaults: route({ method: 'GET', path: routes.exportPresetDefaults, access: 'operator', response: ExportPresets }),

  // Desktop app: crash log entries carry stacks with this PC's paths: operator only.
  crashLog: route({ method: 'GET', path: routes.crashLog, access: 'operator', query: LimitQuery, response: CrashLogResponse }),

  // Station settings: the operator's. The camera test spawns ffmpeg against any address it is given:
  // never for viewers. The display defaults (language, sounds) are read by every screen, the library's too.
  // The sections' checks word their own sentences (settings/station-settings.ts), so their bodies go unchecked here.
  settingsInfo: route({ method: 'GET', path: routes.settingsInfo, access: 'operator', response: SettingsInfo }),
  stationSettings: route({ method: 'GET', path: routes.stationSettings, access: 'operator', response: StationIdentitySettings }),
  saveStationSettings: route({ method: 'PUT', path: routes.stationSettings, access: 'operator', response: StationIdentitySettings }),
  cameraSettings: route({ method: 'GET', path: routes.cameraSettings, access: 'operator' }),
  saveCameraSettings: route({ method: 'PUT', path: routes.cameraSettings, access: 'operator' }),
  cameraListSettings: route({ method: 'GET', path: routes.cameraListSettings, access: 'operator', response: CameraListSettings }),
  saveCameraListSettings: route({ method: 'PUT', path: routes.cameraListSettings, access: 'operator', response: CameraListSettings }),
  cameras: route({ method: 'GET', path: routes.cameras, access: 'operator', response: CamerasResponse }),
  testCamera: route({ method: 'POST', path: routes.cameraTest, access: 'operator', body: CameraTestRequest, response: CameraTestResult, invalid: settingsIssuesText }),
  displaySettings: route({ method: 'GET', path: routes.displaySettings, access: 'viewer', response: DisplaySettings }),
  saveDisplaySettings: route({ method: 'PUT', path: routes.displaySettings, access: 'operator', response: DisplaySettings }),
  lanSettings: route({ method: 'GET', path: routes.lanSettings, access: 'operator', response: LanSettings }),
  saveLanSettings: route({ method: 'PUT', path: routes.lanSettings, access: 'operator', response: LanSettings }),
  testScan: route({ method: 'POST', path: routes.scanTest, access: 'operator', body: ScanTestRequest, response: ScanTestResult, invalid: settingsIssuesText }),
  // Health page: disk, rate, counts and recent errors; no footage, no settings.
  healthReport: route({ method: 'GET', path: routes.healthReport, access: 'viewer', response: HealthReport }),
  // Retention, the hardware encoder, the storage move (which stops the station and moves every file): settings, the operator's.
  retentionSettings: route({ method: 'GET', path: routes.retentionSettings, access: 'operator', response: RetentionSettings }),
  saveRetentionSettings: route({ method: 'PUT', path: routes.retentionSettings, access: 'operator', response: RetentionSettings }),
  encoderSettings: route({ method: 'GET', path: routes.encoderSettings, access: 'operator', response: EncoderSettingsResponse }),
  saveEncoderSettings: route({
    method: 'PUT',
    path: routes.encoderSettings,
    access: 'operator',
    body: EncoderSettings,
    response: EncoderSettingsResponse,
    // The schema's own sentence names the bad value and the choices; a body of another shape says what it should be.
    invalid: (issues) => (issues[0]!.path[0] === 'hardwareEncoder' ? issues[0]!.message : 'The body is {"hardwareEncoder": "auto" | "off" | an encoder name}.'),
  }),
  moveStorage: route({
    method: 'POST',
    path: routes.storageMove,
    access: 'operator',
    body: StorageMoveRequest,
    response: StorageMoveAccepted,
    invalid: fixed(msg('storage.moveNeedsFolder')),
  }),
  // Warehouse hub: joining a hub is a setting, the operator's.
  hubSettings: route({ method: 'GET', path: hubRoutes.stationHubSettings, access: 'operator', response: HubLinkStatus }),
  joinHub: route({ method: 'PUT', path: hubRoutes.stationHubSettings, access: 'operator', body: HubJoinSettings, response: HubLinkStatus, invalid: (issues) => issueText(issues[0]!) }),
  hubUpload: route({ method: 'GET', path: hubRoutes.stationHubUpload, access: 'operator', response: HubUploadSettings }),
  saveHubUpload: route({
    method: 'PUT',
    path: hubRoutes.stationHubUpload,
    access: 'operator',
    body: HubUploadSettings,
    response: HubUploadSettings,
    invalid: (issues) => `maxMbps: ${issues[0]?.message} (a number of megabits per second, or null for no limit)`,
  }),

  // Claim check: customer service answers the buyer's photos, as it exports.
  addClaim: route({ method: 'POST', path: routePatterns.clipClaims, access: 'viewer', params: ClipIdParams, response: Claim, invalid: (issues) => issuesText(issues, '') }),
  clipClaims: route({ method: 'GET', path: routePatterns.clipClaims, access: 'viewer', params: ClipIdParams, response: ClaimsResponse }),
  identifyClaimPhotos: route({ method: 'POST', path: routes.claimIdentify, access: 'viewer', response: ClaimIdentifyResponse }),
  claimPhotoPreview: route({ method: 'GET', path: routePatterns.claimPhotoPreview, access: 'viewer', params: z.object({ claim: z.string(), position: z.string() }) }),
  appealText: route({
    method: 'GET',
    path: routePatterns.claimAppealText,
    access: 'viewer',
    params: z.object({ id: z.number().int(), claim: z.string() }),
    query: z.object({ lang: asSent<'zh-CN' | 'en'>(), maxChars: asSent<string | number>() }),
  }),

  // Orders: a shop's system pushes orders with the token; viewers never write orders.
  pushOrders: route({
    method: 'POST',
    path: routes.orders,
    access: 'operator',
    body: OrdersPushRequest,
    response: OrderImportResult,
    invalid: (issues) =>
      `send JSON {"orders": [{"orderNo", "waybills"?, "items"?: [{"name", "sku"?, "qty"}]}]} (1 to 5000 orders): ${issues[0] ? issueText(issues[0], '') : 'not JSON'}`,
  }),
  previewOrderFile: route({ method: 'POST', path: routes.ordersFilePreview, access: 'operator', query: z.object({ name: asSent() }), response: OrderFilePreview }),
  importOrderFile: route({
    method: 'POST',
    path: routes.ordersFile,
    access: 'operator',
    query: z.object({ name: asSent(), mapping: asSent(), platform: asSent() }),
    response: OrderFileImportResponse,
  }),
  // Throughput per packer is about people: the operator's until someone decides viewers may read it.
  stats: route({ method: 'GET', path: routes.stats, access: 'operator', query: PeriodQuery, response: StatsResponse }),
  statsCsv: route({ method: 'GET', path: routes.statsCsv, access: 'operator', query: PeriodQuery }),
  // Packer names are a setting (and about people): the operator's, read and write.
  packers: route({ method: 'GET', path: routes.packers, access: 'operator', response: PackersResponse }),
  addPacker: route({ method: 'POST', path: routes.packers, access: 'operator', body: PackerCreate, response: Packer, invalid: settingsIssuesText }),
  renamePacker: route({ method: 'PUT', path: routePatterns.packer, access: 'operator', params: PackerCodeParams, body: PackerRename, response: Packer, invalid: settingsIssuesText }),
  removePacker: route({ method: 'DELETE', path: routePatterns.packer, access: 'operator', params: PackerCodeParams, response: PackersResponse }),
} as const satisfies Record<string, RouteEntry>;

export type StationRoute = (typeof stationRoutes)[keyof typeof stationRoutes];

export { fillPath, queryString, routeUrl } from './route-url.js';
