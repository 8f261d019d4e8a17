/**
 * The renderer's only way to talk to the station. Every response is parsed with the schema from
 * shared/api.ts, so a server that drifts from the contract shows up as an error, not as a screen
 * quietly rendering `undefined`.
 *
 * Authentication is the HttpOnly cookie the server set when the page was opened with ?token=…;
 * this code never sees the token.
 */
import { z } from 'zod';
import { CommandCodes, ErrorResponse, routes, ScanResponse, ScanSettings, ScansResponse, StatusResponse } from '../../../shared/api';

/**
 * Shorter than the staleness limit of the station store, so a hung request turns into an error the
 * screen can show instead of silently keeping the last good status on screen.
 */
const REQUEST_TIMEOUT_MS = 2_500;

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

function getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  return requestJson(path, schema, { method: 'GET' });
}

function postJson<T>(path: string, payload: unknown, schema: z.ZodType<T>): Promise<T> {
  return requestJson(path, schema, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
}

async function requestJson<T>(path: string, schema: z.ZodType<T>, init: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<T> {
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(path, {
      method: init.method,
      body: init.body,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', ...init.headers },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // Read inside the try: a connection dropped mid-body is as unreachable as one refused.
    body = await res.json().catch(() => undefined);
  } catch (err) {
    throw new ApiError('unreachable', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 401) throw new ApiError('unauthorized', 'unauthorized', 401);
  if (!res.ok) {
    const e = ErrorResponse.safeParse(body);
    throw new ApiError('http', e.success ? e.data.error : `HTTP ${res.status}`, res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('bad-response', `${path}: ${parsed.error.message}`, res.status);
  return parsed.data;
}

export const api = {
  status: (): Promise<StatusResponse> => getJson(routes.status, StatusResponse),
  /** The newest scans first. */
  scans: (limit: number): Promise<ScansResponse> => getJson(`${routes.scans}?limit=${encodeURIComponent(limit)}`, ScansResponse),
  /** One scan, exactly as the scanner or the packer typed it (the station cleans and classifies it). */
  scan: (code: string): Promise<ScanResponse> => postJson(routes.scans, { code }, ScanResponse),
  commandCodes: async (): Promise<CommandCodes> => (await getJson(routes.scanSettings, ScanSettings)).commands,
};
