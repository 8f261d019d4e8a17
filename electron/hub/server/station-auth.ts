/**
 * Checking a station's signed request (protocol.ts) on the hub: the station id names the public key
 * recorded at pairing; the signature over method, path, time and body hash must verify with that key.
 * Anything else is refused with a reason, and the refusal is logged in hub_events (and on stderr).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { msg, LocalizedError, type Message } from '../../station/localized-error.js';
import type { HubPool } from '../db/hub-database.js';
import { recordEvent } from '../hub-events.js';
import { SIGNED_REQUEST_MAX_SKEW_MS } from '../limits.js';
import { requestSigningText, STATION_ID_HEADER, STATION_SIGNATURE_HEADER, STATION_TIME_HEADER, verifyText } from '../protocol.js';

export class StationAuthError extends LocalizedError {
  override name = 'StationAuthError';
  readonly statusCode = 401;
}

export interface VerifiedStation {
  stationId: number;
  /** Hub clock minus the station's clock, in ms. */
  skewMs: number;
}

export class StationKeys {
  /** Public keys by station id; a key never changes for an id (a new key pairs as a new station). */
  private readonly cache = new Map<number, KeyObject>();
  constructor(private readonly pool: HubPool) {}

  private async keyOf(stationId: number): Promise<KeyObject | null> {
    const hit = this.cache.get(stationId);
    if (hit) return hit;
    const r = await this.pool.query<{ public_key_pem: string }>('SELECT public_key_pem FROM stations WHERE id = $1', [stationId]);
    const pem = r.rows[0]?.public_key_pem;
    if (!pem) return null;
    const key = createPublicKey(pem);
    this.cache.set(stationId, key);
    return key;
  }

  /** `bodySha256`: of the bytes the hub received (for a streamed video, what the station declares and the hub then checks). */
  async verify(req: FastifyRequest, bodySha256: string): Promise<VerifiedStation> {
    const h = req.headers;
    const idText = one(h[STATION_ID_HEADER]);
    const timeText = one(h[STATION_TIME_HEADER]);
    const sig = one(h[STATION_SIGNATURE_HEADER]);
    const refuse = async (reason: string, text: Message, stationId: number | null = null): Promise<never> => {
      await recordEvent(this.pool, { kind: 'request-refused', stationId, address: req.ip, detail: { reason, method: req.method, path: req.url.split('?')[0] } });
      throw new StationAuthError(text);
    };
    if (!idText || !/^[1-9][0-9]{0,15}$/.test(idText) || !timeText || !/^[0-9]{1,16}$/.test(timeText) || !sig) {
      return refuse('unsigned', msg('stationAuth.unsigned'));
    }
    const stationId = Number(idText);
    const key = await this.keyOf(stationId);
    if (!key) return refuse('unknown-station', msg('stationAuth.unknownStation', { stationId }));
    const path = req.url.split('?')[0]!;
    if (!verifyText(key, requestSigningText(req.method, path, Number(timeText), bodySha256), sig)) {
      return refuse(
        'wrong-key',
        msg('stationAuth.wrongKey', { stationId }),
        stationId,
      );
    }
    const skewMs = Date.now() - Number(timeText);
    if (Math.abs(skewMs) > SIGNED_REQUEST_MAX_SKEW_MS) {
      return refuse(
        'clock',
        msg('stationAuth.clockOff', { minutes: Math.round(skewMs / 60_000) }),
        stationId,
      );
    }
    return { stationId, skewMs };
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
