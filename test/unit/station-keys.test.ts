import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  groupedFingerprint,
  KEYS_DIR,
  loadOrCreateStationKeys,
  normalizeFingerprint,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  shortFingerprint,
  signBytes,
  StationKeyError,
  verifyBytes,
} from '../../electron/station/evidence/station-keys.js';

const dataDir = (): string => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-keys-'));
const privPath = (dir: string): string => join(dir, KEYS_DIR, PRIVATE_KEY_FILE);
const pubPath = (dir: string): string => join(dir, KEYS_DIR, PUBLIC_KEY_FILE);

describe('the station signing key', () => {
  it('is created on first start: private key 0600 (PKCS#8 PEM), public key SPKI PEM', () => {
    const dir = dataDir();
    const keys = loadOrCreateStationKeys(dir);
    expect(statSync(privPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(privPath(dir), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(pubPath(dir), 'utf8')).toBe(keys.publicKeyPem);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(keys.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has the fingerprint openssl computes from the public key file', () => {
    const dir = dataDir();
    const keys = loadOrCreateStationKeys(dir);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', pubPath(dir), '-outform', 'DER']);
    const viaSha256sum = execFileSync('sha256sum', { input: der }).toString().split(' ')[0];
    expect(viaSha256sum).toBe(keys.fingerprint);
  });

  it('is reloaded unchanged on the next start', () => {
    const dir = dataDir();
    const first = loadOrCreateStationKeys(dir);
    const privBytes = readFileSync(privPath(dir));
    const second = loadOrCreateStationKeys(dir);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(readFileSync(privPath(dir))).toEqual(privBytes);
    // The reloaded key signs what the first one verifies.
    const sig = signBytes(second, Buffer.from('segment'));
    expect(verifyBytes(first.publicKey, Buffer.from('segment'), sig)).toBe(true);
  });

  it('refuses a corrupt private key with a clear error and leaves the file as it was', () => {
    const dir = dataDir();
    loadOrCreateStationKeys(dir);
    writeFileSync(privPath(dir), '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n');
    const before = readFileSync(privPath(dir));
    expect(() => loadOrCreateStationKeys(dir)).toThrow(StationKeyError);
    expect(() => loadOrCreateStationKeys(dir)).toThrow(/private key .* cannot be read .*will not replace it/);
    expect(readFileSync(privPath(dir))).toEqual(before);
  });

  it('refuses a public key that does not belong to the private key', () => {
    const dir = dataDir();
    loadOrCreateStationKeys(dir);
    const other = loadOrCreateStationKeys(dataDir());
    writeFileSync(pubPath(dir), other.publicKeyPem);
    expect(() => loadOrCreateStationKeys(dir)).toThrow(/does not belong to its private key/);
  });

  it('does not make a new key when the private key is gone but its public key remains', () => {
    const dir = dataDir();
    loadOrCreateStationKeys(dir);
    unlinkSync(privPath(dir));
    expect(() => loadOrCreateStationKeys(dir)).toThrow(/private key .* is missing but its public key is still there/);
    expect(existsSync(privPath(dir))).toBe(false);
  });

  it('recreates a missing public key from the private key', () => {
    const dir = dataDir();
    const keys = loadOrCreateStationKeys(dir);
    unlinkSync(pubPath(dir));
    expect(loadOrCreateStationKeys(dir).fingerprint).toBe(keys.fingerprint);
    expect(readFileSync(pubPath(dir), 'utf8')).toBe(keys.publicKeyPem);
  });

  it('narrows a private key readable by others back to 0600', () => {
    const dir = dataDir();
    loadOrCreateStationKeys(dir);
    chmodSync(privPath(dir), 0o644);
    loadOrCreateStationKeys(dir);
    expect(statSync(privPath(dir)).mode & 0o777).toBe(0o600);
  });

  it('shows the fingerprint grouped, short, and accepts it pasted in any common spelling', () => {
    const fp = '7f259d5f11744e49fe5e7f2f8a2d7b5ec7c49fa8eda4a6376cfbb397f84a93d3';
    expect(groupedFingerprint(fp)).toBe('7f25 9d5f 1174 4e49 fe5e 7f2f 8a2d 7b5e c7c4 9fa8 eda4 a637 6cfb b397 f84a 93d3');
    expect(shortFingerprint(fp)).toBe('7f25 9d5f 1174 4e49');
    expect(normalizeFingerprint(groupedFingerprint(fp).toUpperCase())).toBe(fp);
    expect(normalizeFingerprint(fp.match(/../g)!.join(':'))).toBe(fp);
  });
});
