/**
 * Joining a station to the hub: the admin asks for a one-time pairing token; the station presents it
 * with its public key and a signature made with that key; the hub records the key and burns the token
 * in one transaction, so a token can pair one station only, even when two use it at once.
 *
 * A station that pairs again with the same key (its settings were reset, or it joins again with a
 * fresh token) keeps its id and clips; one with another key is a new station.
 */
import { randomBytes } from 'node:crypto';
import type { HubJoinRequest, HubJoinResponse, HubPairingResponse } from '../../shared/api.js';
import { msg, LocalizedError, type Message } from '../station/localized-error.js';
import { publicKeyFromPem, StationKeyError } from '../station/evidence/station-keys.js';
import type { HubPool } from './db/hub-database.js';
import { PAIRING_TTL_MS } from './limits.js';
import { joinProofText, sha256Hex, verifyText } from './protocol.js';
import { recordEvent } from './hub-events.js';

export class PairingRefusedError extends LocalizedError {
  override name = 'PairingRefusedError';
  constructor(
    readonly statusCode: number,
    text: Message,
  ) {
    super(text);
  }
}

export async function createPairing(pool: HubPool, actor: string): Promise<HubPairingResponse> {
  const token = `pwp_${randomBytes(24).toString('base64url')}`;
  const expires = new Date(Date.now() + PAIRING_TTL_MS);
  await pool.query('INSERT INTO pairings (token_sha256, expires_at, created_by) VALUES ($1, $2, $3)', [sha256Hex(token), expires, actor]);
  await recordEvent(pool, { kind: 'pairing-created', actor });
  return { token, expiresAt: expires.toISOString() };
}

export async function joinStation(pool: HubPool, req: HubJoinRequest, address: string): Promise<HubJoinResponse> {
  let key;
  try {
    key = publicKeyFromPem(req.publicKeyPem);
  } catch (err) {
    throw new PairingRefusedError(400, msg('pairing.badPublicKey', { message: (err as StationKeyError).message }));
  }
  if (!verifyText(key.publicKey, joinProofText(req.pairingToken, key.fingerprint), req.proof)) {
    await recordEvent(pool, { kind: 'join-refused', address, detail: { reason: 'proof', fingerprint: key.fingerprint } });
    throw new PairingRefusedError(400, msg('pairing.joinRequestNotSigned'));
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const p = await client.query<{ used_at: Date | null; expires_at: Date }>('SELECT used_at, expires_at FROM pairings WHERE token_sha256 = $1 FOR UPDATE', [sha256Hex(req.pairingToken)]);
    const row = p.rows[0];
    const reason = !row ? 'unknown' : row.used_at ? 'used' : row.expires_at.getTime() < Date.now() ? 'expired' : null;
    if (reason) {
      await client.query('ROLLBACK');
      await recordEvent(pool, { kind: 'join-refused', address, detail: { reason, fingerprint: key.fingerprint } });
      const code = ({ unknown: 'pairing.tokenUnknown', used: 'pairing.tokenUsed', expired: 'pairing.tokenExpired' } as const)[reason];
      throw new PairingRefusedError(403, msg(code));
    }
    const s = await client.query<{ id: string }>(
      `INSERT INTO stations (name, public_key_pem, fingerprint) VALUES ($1, $2, $3)
       ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name RETURNING id`,
      [req.stationName, key.publicKeyPem, key.fingerprint],
    );
    const stationId = Number(s.rows[0]!.id);
    await client.query('UPDATE pairings SET used_at = now(), station_id = $2 WHERE token_sha256 = $1', [sha256Hex(req.pairingToken), stationId]);
    await client.query('COMMIT');
    await recordEvent(pool, { kind: 'station-paired', stationId, address, detail: { name: req.stationName, fingerprint: key.fingerprint } });
    return { stationId, fingerprint: key.fingerprint };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
