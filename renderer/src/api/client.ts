/**
 * The renderer's only way to talk to the station. Every response is parsed with the schema from
 * shared/api.ts, so a server that drifts from the contract shows up as an error, not as a screen
 * quietly rendering `undefined`.
 *
 * Authentication is the HttpOnly cookie the server set when the page was opened with ?token=…;
 * this code never sees the token.
 */
import { z } from 'zod';
import { currentLanguage } from '../i18n';
import { refusalText } from '../i18n/refusal-text';
import {
  type HubUser,
  type HubUsersResponse,
  type HubNewUser,
  type HubUserChange,
  AuditResponse,
  Clip,
  ClipSearchResponse,
  CommandCodes,
  ErrorResponse,
  ExportJob,
  HealthReport,
  StatsResponse,
  Packer,
  PackersResponse,
  type PackerCreate,
  OrderFileImportResponse,
  OrderFilePreview,
  type OrderColumnMapping,
  ScanResponse,
  ScanSettings,
  CameraListSettings,
  CameraTestResult,
  CamerasResponse,
  DisplaySettings,
  LanSettings,
  RetentionSettings,
  ScanTestResult,
  SettingsInfo,
  StorageMoveAccepted,
  StationIdentitySettings,
  type LanSettingsUpdate,
  ScansResponse,
  SessionResponse,
  StatusResponse,
  type ClipPatch,
  type ClipSearchQuery,
  type ExportPreset,
  type ExportRequest,
  // Hardware encoder setting, crash log
  CrashLogResponse,
  EncoderSettingsResponse,
  type HardwareEncoderSetting,
  // Warehouse hub
  type HubStationsResponse,
  // Claim check
  Claim,
  ClaimIdentifyResponse,
  ClaimsResponse,
} from '../../../shared/api';
import { hubRouteTable as h } from '../../../shared/hub-route-table';
import { routeUrl, stationRoutes as r, type AnyRouteEntry } from '../../../shared/route-table';

/**
 * Shorter than the staleness limit of the station store, so a hung request turns into an error the
 * screen can show instead of silently keeping the last good status on screen.
 */
const REQUEST_TIMEOUT_MS = 2_500;

/** An order file is read in the station's worker for up to 120 s (order-file-thread.ts), plus its upload. */
const ORDER_FILE_TIMEOUT_MS = 180_000;

/** The library's requests: nobody is waiting on a bench, and a search over months of clips may take a moment. */
const LIBRARY_TIMEOUT_MS = 10_000;

/** The optional header that names who did something, for a clip's audit log. */
export const ACTOR_HEADER = 'x-packwitness-actor';

/**
 * - unauthorized: no or wrong cookie (opened without the READY link, or the station has a new token)
 * - unreachable:  network error or time-out (station down, PC asleep, cable out)
 * - http:         the station answered with an error status
 * - bad-response: the station answered something that does not match shared/api.ts
 */
export type ApiErrorKind = 'unauthorized' | 'unreachable' | 'http' | 'bad-response';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    /** Unreachable because nothing answered in time (a hung station, a network that drops packets), not refused. */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The command codes of the scan settings (GET /api/settings/scan). The settings schema lives on the
 * server side (electron/station/scans/scan-settings.ts), not in shared/api.ts, so the renderer checks
 * only the part it uses.
 */
export type { CommandCodes };

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A FormData body goes as multipart/form-data (the browser sets the boundary); a Blob (a file) as it is. */
  body?: string | FormData | Blob;
  headers?: Record<string, string>;
  /** Aborts the request (a newer search replaced it); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** True when `err` is the rejection of a request the caller aborted itself (not a failure to show). */
export function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && !(err instanceof ApiError);
}

async function requestJson<T>(path: string, schema: z.ZodType<T>, init: RequestOptions): Promise<T> {
  let res: Response;
  let body: unknown;
  const timeout = AbortSignal.timeout(init.timeoutMs ?? REQUEST_TIMEOUT_MS);
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      body: init.body,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', ...init.headers },
      signal: init.signal ? AbortSignal.any([timeout, init.signal]) : timeout,
    });
    // Read inside the try: a connection dropped mid-body is as unreachable as one refused.
    body = await res.json().catch(() => undefined);
  } catch (err) {
    // Aborted by the caller: not an error of the station, so not an ApiError.
    if (init.signal?.aborted) throw init.signal.reason ?? err;
    throw new ApiError('unreachable', err instanceof Error ? err.message : String(err), null, timeout.aborted);
  }
  if (init.signal?.aborted) throw init.signal.reason;
  if (res.status === 401) throw new ApiError('unauthorized', 'unauthorized', 401);
  if (!res.ok) {
    const e = ErrorResponse.safeParse(body);
    // The refusals people meet carry a catalogue code the UI renders in its language; others are English only.
    throw new ApiError('http', e.success ? refusalText(e.data, currentLanguage()) : `HTTP ${res.status}`, res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('bad-response', `${path}: ${parsed.error.message}`, res.status);
  return parsed.data;
}

/**
 * HTTP header values are bytes, and fetch refuses anything outside Latin-1, so a Chinese name cannot
 * go as it is: a name that is not plain ASCII goes percent-encoded (UTF-8), and decodeActor shows it
 * readably again. Plain ASCII names (without '%') go unchanged.
 */
export function encodeActor(name: string): string {
  return /^[\x20-\x24\x26-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
}

/** The readable form of an actor from the audit log (see encodeActor). */
export function decodeActor(actor: string): string {
  if (!/%[0-9a-f]{2}/i.test(actor)) return actor;
  try {
    return decodeURIComponent(actor);
  } catch {
    return actor;
  }
}

/**
 * Adding a claim waits for the station to read every file and match each photo against the clip
 * (a child process: seconds per photo per minute of clip, limits.ts CLAIM_MATCH_TIMEOUT_MS).
 */
const CLAIM_TIMEOUT_MS = 300_000;

/** Identifying photos decodes each in a child process (up to 20 s each, limits.ts CLAIM_DECODE_TIMEOUT_MS), no match: 9 photos fit. */
const CLAIM_IDENTIFY_TIMEOUT_MS = 200_000;

/** A plain-text answer (the appeal text); errors as requestJson words them. */
async function requestText(path: string, timeoutMs = LIBRARY_TIMEOUT_MS): Promise<string> {
  let res: Response;
  let text: string;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    res = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/plain, application/json' }, signal: timeout });
    text = await res.text();
  } catch (err) {
    throw new ApiError('unreachable', err instanceof Error ? err.message : String(err), null, timeout.aborted);
  }
  if (res.status === 401) throw new ApiError('unauthorized', 'unauthorized', 401);
  if (!res.ok) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const e = ErrorResponse.safeParse(body);
    throw new ApiError('http', e.success ? refusalText(e.data, currentLanguage()) : `HTTP ${res.status}`, res.status);
  }
  if (!/^text\/plain/i.test(res.headers.get('content-type') ?? '')) throw new ApiError('bad-response', `${path}: not plain text`, res.status);
  return text;
}

type In<S> = NonNullable<S> extends z.ZodType ? z.input<NonNullable<S>> : unknown;

/** What a request of a route table entry sends: its params and query as the entry types them, its body (JSON unless a file or a form). */
export interface CallInput<E extends AnyRouteEntry> {
  params?: In<E['params']>;
  query?: In<E['query']> | URLSearchParams;
  body?: In<E['body']> | FormData | Blob;
}

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs' | 'headers'>;

/**
 * A request of a route table entry (the station's shared/route-table.ts or the hub's shared/hub-route-table.ts): its method, its URL from its pattern,
 * and its answer parsed with its response schema. A plain-object body goes as JSON.
 */
function call<E extends AnyRouteEntry>(entry: E, input: CallInput<E> = {}, opts: CallOptions = {}): Promise<z.output<NonNullable<E['response']>>> {
  if (!entry.response) throw new Error(`${entry.method} ${entry.path} answers no JSON`);
  const url = routeUrl(entry, input.params as Record<string, string | number> | undefined, input.query as Record<string, unknown> | URLSearchParams | undefined);
  const raw = input.body;
  const json = raw !== undefined && !(raw instanceof FormData) && !(raw instanceof Blob);
  return requestJson(url, entry.response as z.ZodType<z.output<NonNullable<E['response']>>>, {
    ...opts,
    method: entry.method,
    body: json ? JSON.stringify(raw) : (raw as FormData | Blob | undefined),
    headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...opts.headers },
  });
}

/** The actor header, when a name is given (see encodeActor). */
const asActor = (actor?: string): Record<string, string> => (actor ? { [ACTOR_HEADER]: encodeActor(actor) } : {});

export const api = {
  /** Who this browser is (operator, viewer or nobody) and whether the station has a viewer login (LAN mode). */
  session: (): Promise<SessionResponse> => call(r.session),
  /**
   * The viewer's login: sets the session cookie. A wrong password rejects with kind 'unauthorized'
   * (401); too many wrong ones with kind 'http' and status 429.
   */
  login: (password: string): Promise<SessionResponse> => call(r.login, { body: { password } }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  // A JSON body even where none is needed: the station refuses a bodyless write it cannot tell from a cross-site one unless the browser sends Origin (server/csrf.ts).
  // The hub's own routes (shared/hub-route-table.ts); its library and statistics answer the station's.
  /** The hub's office login (name and password). */
  hubLogin: (name: string, password: string): Promise<SessionResponse> => call(h.login, { body: { name, password } }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** The hub's first admin, made by the READY link's holder. */
  hubFirstAdmin: (name: string, password: string): Promise<SessionResponse> => call(h.firstAdmin, { body: { name, password } }),
  hubUsers: (): Promise<HubUsersResponse> => call(h.users),
  hubAddUser: (u: HubNewUser): Promise<HubUser> => call(h.addUser, { body: u }),
  hubChangeUser: (id: number, change: HubUserChange): Promise<HubUser> => call(h.changeUser, { params: { id: String(id) }, body: change }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  logout: (): Promise<SessionResponse> => call(r.logout, { body: {} }),
  status: (): Promise<StatusResponse> => call(r.status),
  /** The newest scans first. */
  scans: (limit: number): Promise<ScansResponse> => call(r.scans, { query: { limit } }),
  /** One scan, exactly as the scanner or the packer typed it (the station cleans and classifies it). */
  scan: (code: string): Promise<ScanResponse> => call(r.scan, { body: { code } }),
  commandCodes: async (): Promise<CommandCodes> => (await call(r.scanSettings)).commands,

  /** Clips newest first, a page at a time (pass the previous page's nextCursor as `cursor`). */
  searchClips: (query: ClipSearchQuery, signal?: AbortSignal): Promise<ClipSearchResponse> =>
    call(r.clips, { query }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  clip: (id: number, signal?: AbortSignal): Promise<Clip> => call(r.clip, { params: { id } }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  clipAudit: (id: number, signal?: AbortSignal): Promise<AuditResponse> => call(r.clipAudit, { params: { id } }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** Protect/unprotect a clip or change its note; `actor` (the operator's name) goes to the audit log when given. */
  patchClip: (id: number, patch: ClipPatch, actor?: string): Promise<Clip> => call(r.patchClip, { params: { id }, body: patch }, { headers: asActor(actor), timeoutMs: LIBRARY_TIMEOUT_MS }),

  exportPresets: (): Promise<ExportPreset[]> => call(r.exportPresets, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  // Export presets in the settings screen: the built-ins as shipped, for "reset".
  exportPresetDefaults: (): Promise<ExportPreset[]> => call(r.exportPresetDefaults, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  saveExportPresets: (v: ExportPreset[]): Promise<ExportPreset[]> => call(r.saveExportPresets, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** Starts an export job (answered at once; poll exportJob for progress). */
  startExport: (id: number, request: ExportRequest, actor?: string): Promise<ExportJob> => call(r.startExport, { params: { id }, body: request }, { headers: asActor(actor), timeoutMs: LIBRARY_TIMEOUT_MS }),
  exportJob: (jobId: string, signal?: AbortSignal): Promise<ExportJob> => call(r.exportJob, { params: { id: jobId } }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  // Station settings: one GET/PUT per section.
  settingsInfo: (): Promise<SettingsInfo> => call(r.settingsInfo, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  stationSettings: (): Promise<StationIdentitySettings> => call(r.stationSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  saveStationSettings: (v: StationIdentitySettings): Promise<StationIdentitySettings> => call(r.saveStationSettings, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  cameraListSettings: (): Promise<CameraListSettings> => call(r.cameraListSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** Restarts the cameras whose settings changed: answered once they have started again (a few seconds each). */
  saveCameraListSettings: (v: CameraListSettings): Promise<CameraListSettings> => call(r.saveCameraListSettings, { body: v }, { timeoutMs: 60_000 }),
  cameras: (): Promise<CamerasResponse> => call(r.cameras, {}, { timeoutMs: 15_000 }),
  testCamera: (spec: string): Promise<CameraTestResult> => call(r.testCamera, { body: { spec } }, { timeoutMs: 20_000 }),
  displaySettings: (): Promise<DisplaySettings> => call(r.displaySettings),
  saveDisplaySettings: (v: DisplaySettings): Promise<DisplaySettings> => call(r.saveDisplaySettings, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  lanSettings: (): Promise<LanSettings> => call(r.lanSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  saveLanSettings: (v: LanSettingsUpdate): Promise<LanSettings> => call(r.saveLanSettings, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  scanSettings: (): Promise<ScanSettings> => call(r.scanSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  saveScanSettings: (v: ScanSettings): Promise<ScanSettings> => call(r.saveScanSettings, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** How the station would classify `code` with these (unsaved) settings. */
  testScan: (code: string, settings: ScanSettings, signal?: AbortSignal): Promise<ScanTestResult> =>
    call(r.testScan, { body: { code, settings } }, { signal }),
  retentionSettings: (): Promise<RetentionSettings> => call(r.retentionSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  saveRetentionSettings: (v: RetentionSettings): Promise<RetentionSettings> => call(r.saveRetentionSettings, { body: v }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  // Storage folder move: answered (202) before the move; the station then restarts by itself.
  // The checks walk the data folder (sizes), hence the longer wait.
  moveStorage: (to: string): Promise<StorageMoveAccepted> =>
    call(r.moveStorage, { body: { to } }, { timeoutMs: 30_000 }),

  cancelExport: (jobId: string): Promise<ExportJob> =>
    call(r.cancelExport, { params: { id: jobId }, body: {} }, { timeoutMs: LIBRARY_TIMEOUT_MS }),

  // Health page
  // Warehouse hub: the stations page.
  hubStations: (signal?: AbortSignal): Promise<HubStationsResponse> => call(h.stations, {}, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** An order export from the settings screen: first what would be read, then the import. */
  previewOrderFile: (file: File): Promise<OrderFilePreview> =>
    call(r.previewOrderFile, { query: new URLSearchParams({ name: file.name }), body: file }, { headers: { 'content-type': 'application/octet-stream' }, timeoutMs: ORDER_FILE_TIMEOUT_MS }),
  importOrderFile: (file: File, mapping: OrderColumnMapping, platform: string): Promise<OrderFileImportResponse> =>
    call(
      r.importOrderFile,
      { query: new URLSearchParams({ name: file.name, mapping: JSON.stringify(mapping), ...(platform.trim() ? { platform: platform.trim() } : {}) }), body: file },
      { headers: { 'content-type': 'application/octet-stream' }, timeoutMs: ORDER_FILE_TIMEOUT_MS },
    ),
  packers: (): Promise<PackersResponse> => call(r.packers, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  addPacker: (v: PackerCreate): Promise<Packer> => call(r.addPacker, { body: v }),
  renamePacker: (code: string, name: string): Promise<Packer> => call(r.renamePacker, { params: { code }, body: { name } }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  removePacker: (code: string): Promise<PackersResponse> => call(r.removePacker, { params: { code } }, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** Packer statistics for a period given as instants (see features/stats/stats-period.ts). */
  stats: (query: URLSearchParams, signal?: AbortSignal): Promise<StatsResponse> => call(r.stats, { query }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  healthReport: (signal?: AbortSignal): Promise<HealthReport> => call(r.healthReport, {}, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),

  // Hardware encoder setting and crash log
  encoderSettings: (): Promise<EncoderSettingsResponse> => call(r.encoderSettings, {}, { timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** Restarts the recording: answered once the new run has started (a few seconds). */
  saveEncoderSettings: (hardwareEncoder: HardwareEncoderSetting): Promise<EncoderSettingsResponse> =>
    call(r.saveEncoderSettings, { body: { hardwareEncoder } }, { timeoutMs: 30_000 }),
  /** Operator-only: a viewer gets kind 'http', status 403. */
  crashLog: (limit: number): Promise<CrashLogResponse> => call(r.crashLog, { query: { limit } }, { timeoutMs: LIBRARY_TIMEOUT_MS }),

  // Claim check
  clipClaims: (clipId: number, signal?: AbortSignal): Promise<ClaimsResponse> => call(r.clipClaims, { params: { id: clipId } }, { signal, timeoutMs: LIBRARY_TIMEOUT_MS }),
  /** The buyer's files as multipart (`photo`…, `video`, platform, claimNumber, buyerWords); answered once every file is read and matched. */
  addClaim: (clipId: number, form: FormData, actor?: string): Promise<Claim> =>
    call(r.addClaim, { params: { id: clipId }, body: form }, { headers: asActor(actor), timeoutMs: CLAIM_TIMEOUT_MS }),
  /** Photos dropped on the library (multipart `photo`…): the codes read in each and the clips carrying them; the station keeps nothing. */
  identifyClaimPhotos: (form: FormData, signal?: AbortSignal): Promise<ClaimIdentifyResponse> =>
    call(r.identifyClaimPhotos, { body: form }, { signal, timeoutMs: CLAIM_IDENTIFY_TIMEOUT_MS }),
  appealText: (clipId: number, claimId: number, lang: 'zh-CN' | 'en'): Promise<string> => requestText(routeUrl(r.appealText, { id: clipId, claim: claimId }, { lang })),
};
