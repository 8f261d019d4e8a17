/**
 * The station's link to a warehouse hub: joining with a one-time pairing token, then a
 * signed heartbeat in the background (recording, backlog, disk), with back-off while the hub is
 * down. Recording never waits on the hub: a hub that is away or refuses is a state on the status
 * and the settings screen, and a warning in the log, nothing more.
 *
 * Saved in the station's settings (key `hub`): the hub's address and the id it gave this station.
 * The station's identity at the hub is its evidence key (station-keys.ts); requests are signed with it
 * (electron/hub/protocol.ts), so nothing secret is stored for the hub.
 */
import { z } from 'zod';
import type { HubHeartbeat, HubLinkStatus, HubLinkState } from '../../../shared/api.js';
import { ErrorResponse } from '../../../shared/api.js';
import { hubRouteTable as h } from '../../../shared/hub-route-table.js';
import { routeUrl, type AnyRouteEntry } from '../../../shared/route-table.js';
import { render, renderKnown, type MessageCode } from '../../../shared/messages/index.js';
import { joinProofText, sha256Hex, signedHeaders, signText } from '../../hub/protocol.js';
import { HEARTBEAT_INTERVAL_MS } from '../../hub/limits.js';
import type { StationKeys } from '../evidence/station-keys.js';
import { msg, LocalizedError, type Message } from '../localized-error.js';
import { log, sentence } from '../log.js';
import type { SettingsStore } from '../scans/settings-store.js';

export const HUB_SETTING_KEY = 'hub';

const SavedHub = z.object({ url: z.string(), stationId: z.number().int().positive(), fingerprint: z.string() });
type SavedHub = z.infer<typeof SavedHub>;

/** Whether this station has joined a hub (read from the settings, so it holds before the link starts). */
export function joinedToHub(settings: SettingsStore): boolean {
  return settings.get<SavedHub | null>(HUB_SETTING_KEY, null, (v) => SavedHub.parse(v)) !== null;
}

/** A hub request may take this long (a hub on the office network answers in milliseconds). */
const HUB_REQUEST_TIMEOUT_MS = 10_000;
/** After a failure: 1 s, doubling to a minute (a hub down for hours costs a request a minute). */
const BACKOFF = { first: 1_000, max: 60_000 } as const;

export class HubJoinError extends LocalizedError {
  override name = 'HubJoinError';
  constructor(
    readonly statusCode: number,
    text: Message | string,
  ) {
    super(text);
  }
}

export interface HubLinkDeps {
  settings: SettingsStore;
  keys: StationKeys;
  stationName: () => string;
  /** What the heartbeat reports, read when it is sent. */
  report: () => Promise<Omit<HubHeartbeat, 'stationName' | 'sentAt'>>;
  /** Items waiting in the outbox. */
  backlog: () => number;
}

/** http://host:port, from whatever the operator pasted (the READY URL with its token included). */
export function hubOrigin(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new HubJoinError(400, msg('hubLink.notHubAddress', { url: url.slice(0, 100) }));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HubJoinError(400, msg('hubLink.addressNotHttp'));
  return u.origin;
}

export class HubLink {
  private saved: SavedHub | null;
  private state: HubLinkState;
  private lastContactMs: number | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private delayMs: number = BACKOFF.first;
  private stopped = false;

  constructor(private readonly d: HubLinkDeps) {
    this.saved = d.settings.get<SavedHub | null>(HUB_SETTING_KEY, null, (v) => SavedHub.parse(v));
    this.state = this.saved ? 'connecting' : 'not-joined';
  }

  status(): HubLinkStatus {
    return {
      url: this.saved?.url ?? null,
      stationId: this.saved?.stationId ?? null,
      state: this.state,
      lastContactAt: this.lastContactMs === null ? null : new Date(this.lastContactMs).toISOString(),
      lastError: this.lastError,
      backlog: this.d.backlog(),
    };
  }

  /**
   * At start-up. `cli`: --hub URL --hub-token TOKEN; a station already joined to that hub does not
   * spend the token again (a restart with the same command line). A join that fails because the hub
   * is away is retried with back-off; one the hub refuses is reported and not retried.
   */
  start(cli?: { url: string; pairingToken: string }): void {
    if (cli) {
      let origin: string;
      try {
        origin = hubOrigin(cli.url);
      } catch (err) {
        this.refused((err as Error).message);
        return;
      }
      if (this.saved?.url !== origin) {
        this.state = 'connecting';
        this.saved = null;
        this.schedule(0, async () => this.joinInBackground(origin, cli.pairingToken));
        return;
      }
    }
    if (this.saved) this.schedule(0, () => this.beat());
  }

  /** Report now (the station started or stopped recording), rather than at the next heartbeat. */
  nudge(): void {
    if (this.saved && this.state === 'connected') this.schedule(0, () => this.beat());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The settings screen's join: waits for the hub's answer; a refusal or an unreachable hub throws HubJoinError. */
  async join(url: string, pairingToken: string): Promise<HubLinkStatus> {
    const origin = hubOrigin(url);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.joinNow(origin, pairingToken);
    } catch (err) {
      if (err instanceof HubUnreachable) {
        this.unreachable(err.message);
        throw new HubJoinError(502, msg('hubLink.unreachable', { message: err.message }));
      }
      if (err instanceof HubJoinError) this.refused(err.message);
      throw err;
    } finally {
      if (this.saved && !this.stopped) this.schedule(0, () => this.beat());
    }
    return this.status();
  }

  private async joinInBackground(origin: string, pairingToken: string): Promise<void> {
    try {
      await this.joinNow(origin, pairingToken);
      await this.beat();
    } catch (err) {
      if (err instanceof HubUnreachable) {
        this.unreachable(err.message);
        this.schedule(this.nextDelay(), () => this.joinInBackground(origin, pairingToken));
      } else {
        this.refused((err as Error).message);
      }
    }
  }

  private async joinNow(origin: string, pairingToken: string): Promise<void> {
    const body = JSON.stringify({
      pairingToken,
      stationName: this.d.stationName(),
      publicKeyPem: this.d.keys.publicKeyPem,
      proof: signText(this.d.keys.privateKey, joinProofText(pairingToken, this.d.keys.fingerprint)),
    });
    const r = await request(origin, h.join.path, { method: h.join.method, headers: { 'content-type': 'application/json' }, body });
    if (!r.ok) throw new HubJoinError(r.status >= 500 ? 502 : r.status, await refusal(r, 'The hub refused to pair this station'));
    const joined = await hubAnswer(h.join, r);
    if (joined.fingerprint !== this.d.keys.fingerprint) throw new HubJoinError(502, 'The hub recorded another key than this station’s; pairing was not saved.');
    this.saved = { url: origin, stationId: joined.stationId, fingerprint: joined.fingerprint };
    this.d.settings.set(HUB_SETTING_KEY, this.saved);
    this.contact();
    log.info('joined the hub', { hub: origin, stationId: joined.stationId });
  }

  private async beat(): Promise<void> {
    const saved = this.saved;
    if (!saved || this.stopped) return;
    const beat: HubHeartbeat = { ...(await this.d.report()), stationName: this.d.stationName(), sentAt: new Date().toISOString() };
    try {
      const r = await this.signed(saved, h.heartbeat, beat);
      if (r.status === 401 || r.status === 403) {
        this.refused(await refusalText(r, 'The hub refused this station'));
      } else if (!r.ok) {
        this.unreachable(await refusalText(r, `The hub answered ${r.status}`));
      } else {
        this.contact();
      }
    } catch (err) {
      if (!(err instanceof HubUnreachable)) throw err;
      this.unreachable(err.message);
    }
    this.schedule(this.state === 'connected' ? HEARTBEAT_INTERVAL_MS : this.nextDelay(), () => this.beat());
  }

  /** A JSON request of a hub route (shared/hub-route-table.ts, no path parameters) signed with the station key. */
  async signed(saved: SavedHub, entry: AnyRouteEntry, payload: unknown): Promise<Response> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...signedHeaders(this.d.keys.privateKey, saved.stationId, entry.method, entry.path, sha256Hex(body)) };
    return request(saved.url, entry.path, { method: entry.method, headers, body });
  }

  /** The hub this station has joined, or null. */
  joined(): SavedHub | null {
    return this.saved;
  }

  /** For the uploader: a signed POST of JSON. Throws HubUnreachable when the hub does not answer. */
  async postSigned(entry: AnyRouteEntry, payload: unknown): Promise<Response> {
    const saved = this.saved;
    if (!saved) throw new HubUnreachable('this station has not joined a hub');
    const r = await this.signed(saved, entry, payload);
    this.answered(r);
    return r;
  }

  /** For the uploader: a signed PUT of a byte stream whose SHA-256 is known beforehand (the hub checks what it stored against it). */
  async putSigned(entry: AnyRouteEntry, params: Record<string, string | number>, body: AsyncIterable<Uint8Array>, sha256: string): Promise<Response> {
    const saved = this.saved;
    if (!saved) throw new HubUnreachable('this station has not joined a hub');
    const path = routeUrl(entry, params);
    const headers = { 'content-type': 'application/octet-stream', ...signedHeaders(this.d.keys.privateKey, saved.stationId, entry.method, path, sha256) };
    // A stream body: no overall time-out (a rate-limited upload of a long clip takes minutes).
    const r = await request(saved.url, path, { method: entry.method, headers, body: body as unknown as RequestInit['body'], duplex: 'half' } as RequestInit, null);
    this.answered(r);
    return r;
  }

  /** Any answer from the hub counts as contact; a 401 is a refusal of this station. */
  private answered(r: Response): void {
    if (r.status === 401) return;
    if (r.status < 500) this.contact();
  }

  /** The uploader could not reach the hub. */
  reportUnreachable(why: string): void {
    this.unreachable(why);
  }

  /** The hub refused this station's signature while uploading. */
  reportRefused(why: string): void {
    this.refused(why);
  }

  private schedule(ms: number, run: () => Promise<void>): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      run().catch((err: unknown) => log.error('hub link failed', { error: (err as Error).message }));
    }, ms);
    this.timer.unref();
  }

  private nextDelay(): number {
    const d = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, BACKOFF.max);
    return d;
  }

  private contact(): void {
    if (this.state !== 'connected') log.info('connected to the hub', { hub: this.saved?.url });
    this.state = 'connected';
    this.lastContactMs = Date.now();
    this.lastError = null;
    this.delayMs = BACKOFF.first;
  }

  private unreachable(why: string): void {
    if (this.state !== 'unreachable' || this.lastError !== why) log.warn(`the hub is not reachable: ${why}`);
    this.state = 'unreachable';
    this.lastError = sentence(why);
  }

  private refused(why: string): void {
    log.warn(`the hub refused this station: ${why}`);
    this.state = 'refused';
    this.lastError = sentence(why);
  }
}

export class HubUnreachable extends Error {}

/** A hub's 2xx answer to a route, parsed with the route's schema (shared/hub-route-table.ts): a hub that drifts from it is an error, not a field read as undefined. */
export async function hubAnswer<E extends AnyRouteEntry>(entry: E, r: Response): Promise<z.output<NonNullable<E['response']>>> {
  const parsed = entry.response!.safeParse(await r.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`the hub's answer to ${entry.method} ${entry.path} is not what this station reads: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return parsed.data as z.output<NonNullable<E['response']>>;
}

async function request(origin: string, path: string, init: RequestInit, timeoutMs: number | null = HUB_REQUEST_TIMEOUT_MS): Promise<Response> {
  try {
    return await fetch(origin + path, { ...init, ...(timeoutMs === null ? {} : { signal: AbortSignal.timeout(timeoutMs) }), redirect: 'error' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new HubUnreachable(`the hub at ${origin} does not answer (${cause})`);
  }
}

/** The hub's one sentence (its `message` in both languages, else its `error`), or a fallback naming the status. */
async function refusal(r: Response, fallback: string): Promise<Message | string> {
  try {
    const body = (await r.json()) as { error?: unknown; code?: unknown; params?: unknown; message?: { en?: unknown; 'zh-CN'?: unknown } };
    // The hub speaks the same catalogue: its code is passed on (a newer hub's unknown one falls back to its sentence).
    const coded = ErrorResponse.safeParse(body);
    if (coded.success && coded.data.code && renderKnown({ code: coded.data.code, params: coded.data.params }, 'en') !== null) {
      return { code: coded.data.code as MessageCode, params: coded.data.params as Message['params'] };
    }
    const m = body.message;
    if (m && typeof m.en === 'string' && typeof m['zh-CN'] === 'string') return msg('common.verbatim', { text: { en: m.en.slice(0, 300), 'zh-CN': m['zh-CN'].slice(0, 300) } });
    if (typeof body.error === 'string' && body.error) return body.error.slice(0, 300);
  } catch {
    /* not JSON */
  }
  return `${fallback} (HTTP ${r.status})`;
}

async function refusalText(r: Response, fallback: string): Promise<string> {
  const t = await refusal(r, fallback);
  return typeof t === 'string' ? t : render(t, 'en');
}
