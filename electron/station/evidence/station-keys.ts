/**
 * The station's signing key: one Ed25519 key pair per data folder, made on first start and kept for
 * good. Every chain entry and every exported manifest is signed with it, so a buyer, a platform or a
 * court can check a bundle with nothing but the public key, and its fingerprint got from the station
 * (status panel, settings, health page) rather than from the bundle.
 *
 * Files (in the data folder):
 *   keys/station-ed25519.key      PKCS#8 PEM, mode 0600 (the secret)
 *   keys/station-ed25519.pub.pem  SPKI PEM (public; the same bytes go into every bundle)
 *
 * A key file that cannot be read is an error the operator must resolve, never a reason to make a new
 * key: a new key would orphan every signature made with the old one.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log.js';

export const KEYS_DIR = 'keys';
export const PRIVATE_KEY_FILE = 'station-ed25519.key';
export const PUBLIC_KEY_FILE = 'station-ed25519.pub.pem';

export class StationKeyError extends Error {
  override name = 'StationKeyError';
}

export interface StationPublicKey {
  publicKey: KeyObject;
  /** SPKI PEM, exactly as written to station-ed25519.pub.pem and into bundles. */
  publicKeyPem: string;
  /** SHA-256 of the DER SPKI, 64 lower-case hex digits: `openssl pkey -pubin -outform DER | sha256sum`. */
  fingerprint: string;
}

export interface StationKeys extends StationPublicKey {
  privateKey: KeyObject;
}

/** Load the data folder's key pair, or create it on the very first start. */
export function loadOrCreateStationKeys(dataDir: string): StationKeys {
  const dir = join(dataDir, KEYS_DIR);
  const privFile = join(dir, PRIVATE_KEY_FILE);
  const pubFile = join(dir, PUBLIC_KEY_FILE);
  if (!existsSync(privFile)) {
    if (existsSync(pubFile)) {
      throw new StationKeyError(
        `The station's private key ${privFile} is missing but its public key is still there, so earlier exports were signed with a key that is gone. Restore the key file from a backup, or move ${pubFile} away to start a new key (earlier bundles stay verifiable with their own public key).`,
      );
    }
    return createKeys(dir, privFile, pubFile);
  }
  return loadKeys(privFile, pubFile);
}

function createKeys(dir: string, privFile: string, pubFile: string): StationKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  // Written under a temporary name, then linked into place: link fails if another process created the
  // key meanwhile, so two first starts can never leave two different keys behind. The private key goes
  // first: a crash between the two leaves a public key that the next start derives again.
  writeExclusive(privFile, privatePem, 0o600);
  writeExclusive(pubFile, publicKeyPem, 0o644);
  const keys: StationKeys = { privateKey, publicKey, publicKeyPem, fingerprint: fingerprintOf(publicKey) };
  log.info('created the station signing key', { fingerprint: keys.fingerprint });
  return keys;
}

function writeExclusive(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode, flag: 'w' });
  chmodSync(tmp, mode); // the umask may have removed bits; never added any
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A public key left by a run that died between the two writes: replace it (it is derivable).
    if (file.endsWith(PUBLIC_KEY_FILE)) {
      unlinkSync(file);
      linkSync(tmp, file);
    } else {
      throw new StationKeyError(`Another process created ${file} at the same time; start the station again.`);
    }
  } finally {
    unlinkSync(tmp);
  }
}

function loadKeys(privFile: string, pubFile: string): StationKeys {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(privFile));
  } catch (err) {
    throw new StationKeyError(
      `The station's private key ${privFile} cannot be read (${(err as Error).message}). Restore it from a backup; PackWitness will not replace it, because a new key would orphan every signature made with this one.`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new StationKeyError(`The station's private key ${privFile} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519. Restore the original key file.`);
  }
  tightenMode(privFile);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if (!existsSync(pubFile)) {
    writeExclusive(pubFile, publicKeyPem, 0o644);
  } else {
    let onDisk: KeyObject;
    try {
      onDisk = createPublicKey(readFileSync(pubFile));
    } catch (err) {
      throw new StationKeyError(`The station's public key ${pubFile} cannot be read (${(err as Error).message}). Delete it; it is recreated from the private key at the next start.`);
    }
    if (fingerprintOf(onDisk) !== fingerprintOf(publicKey)) {
      throw new StationKeyError(
        `The station's public key ${pubFile} does not belong to its private key ${privFile}. One of them was replaced; restore the pair from a backup (or delete the public key to recreate it from the private key).`,
      );
    }
  }
  return { privateKey, publicKey, publicKeyPem, fingerprint: fingerprintOf(publicKey) };
}

/** A private key readable by others (copied from a backup, a permissive umask) is narrowed to 0600. */
function tightenMode(file: string): void {
  if (process.platform === 'win32') return; // modes do not apply; the data folder's ACL protects it
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(file, 0o600);
    log.warn('the station private key was readable by others; set it to 0600', { file, was: mode.toString(8) });
  }
}

/** SHA-256 of the DER SubjectPublicKeyInfo: what `openssl pkey -pubin -outform DER | sha256sum` prints. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The fingerprint of a PEM public key, or a StationKeyError naming what is wrong with it. */
export function publicKeyFromPem(pem: string): StationPublicKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (err) {
    throw new StationKeyError(`not a public key (${(err as Error).message})`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new StationKeyError(`a ${publicKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return { publicKey, publicKeyPem, fingerprint: fingerprintOf(publicKey) };
}

/** Groups of four hex digits, for reading aloud or comparing by eye: `1b51 364d 5651 …`. */
export function groupedFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The first 16 hex digits, grouped: enough to tell stations apart at a glance (not to prove anything). */
export function shortFingerprint(fingerprint: string): string {
  return groupedFingerprint(fingerprint.slice(0, 16));
}

/** Accepts what people paste: upper case, spaces, colons or dashes between groups. */
export function normalizeFingerprint(text: string): string {
  return text.toLowerCase().replace(/[\s:-]/g, '');
}

/** Raw 64-byte Ed25519 signature (what `openssl pkeyutl -verify -rawin` checks). */
export function signBytes(keys: Pick<StationKeys, 'privateKey'>, data: Uint8Array): Buffer {
  return sign(null, data, keys.privateKey);
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  return verify(null, data, publicKey, signature);
}
