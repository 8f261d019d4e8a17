/**
 * How a station proves who it is to the hub: every request after pairing is signed with the station's
 * Ed25519 key (the one that signs its evidence, electron/station/evidence/station-keys.ts), over the
 * method, path, the station's clock and the SHA-256 of the body. No shared secret travels or is stored:
 * the hub keeps only the public key it learnt at pairing, so a copied hub database cannot impersonate
 * a station, and a request signed by any other key is refused.
 *
 * Used by both sides (the station's hub link and the hub's server).
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export const STATION_ID_HEADER = 'x-pw-station';
export const STATION_TIME_HEADER = 'x-pw-time';
export const STATION_SIGNATURE_HEADER = 'x-pw-signature';

const VERSION = 'packwitness-hub-v1';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What a station signs to prove it holds the key it pairs with. */
export function joinProofText(pairingToken: string, fingerprint: string): string {
  return `${VERSION}\njoin\n${sha256Hex(pairingToken)}\n${fingerprint}`;
}

/** The text a signed request's signature covers. */
export function requestSigningText(method: string, path: string, timeMs: number, bodySha256: string): string {
  return `${VERSION}\n${method.toUpperCase()}\n${path}\n${timeMs}\n${bodySha256}`;
}

export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

export function verifyText(publicKey: KeyObject, text: string, signatureB64: string): boolean {
  const sig = Buffer.from(signatureB64, 'base64');
  if (sig.length !== 64) return false;
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, sig);
  } catch {
    return false;
  }
}

/** The headers of a signed request from station `stationId`. */
export function signedHeaders(privateKey: KeyObject, stationId: number, method: string, path: string, bodySha256: string, nowMs = Date.now()): Record<string, string> {
  return {
    [STATION_ID_HEADER]: String(stationId),
    [STATION_TIME_HEADER]: String(nowMs),
    [STATION_SIGNATURE_HEADER]: signText(privateKey, requestSigningText(method, path, nowMs, bodySha256)),
  };
}
