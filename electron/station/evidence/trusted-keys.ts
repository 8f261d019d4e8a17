/**
 * The station keys a person who checks bundles trusts, kept in a plain text file of their own.
 *
 * A bundle carries its own public key, so a bundle that agrees with itself proves only that someone
 * holding *some* key made it: anyone can re-sign a tampered bundle with a fresh key. What ties it to
 * the seller's station is the key's fingerprint, compared with one the reader got another way (read
 * off the station's screen, published by the merchant, or from an earlier bundle kept since). This
 * file is where a reader keeps those, so `packwitness verify` can say VERIFIED without
 * `--expect-fingerprint` every time.
 *
 * Format, one key a line; blank lines and lines starting with `#` are ignored:
 *
 *   # fingerprint (64 hex digits, may be grouped)                        label
 *   7f259d5f11744e49fe5e7f2f8a2d7b5ec7c49fa8eda4a6376cfbb397f84a93d3   Shop A, packing bench 1
 *   1b51 364d 5651 … (16 groups of four)                                 Shop B
 *
 * The fingerprint is read as hex digits (spaces, colons and dashes between them ignored) until 64
 * are collected; the rest of the line is the label, required so the report can say whose key it is.
 *
 * Where: `--trusted-keys FILE`, else $PACKWITNESS_TRUSTED_KEYS, else the per-user default:
 * Linux `$XDG_CONFIG_HOME/PackWitness/trusted-keys.txt` (`~/.config/…`), Windows
 * `%APPDATA%\PackWitness\trusted-keys.txt`, macOS `~/Library/Application Support/PackWitness/trusted-keys.txt`.
 * A default file that does not exist is no error (nothing is trusted); a named one that does not is.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TRUSTED_KEYS_MAX_BYTES } from '../limits.js';
import { normalizeFingerprint } from './station-keys.js';

export const TRUSTED_KEYS_ENV = 'PACKWITNESS_TRUSTED_KEYS';
const FILE_NAME = 'trusted-keys.txt';

export class TrustedKeysError extends Error {
  override name = 'TrustedKeysError';
}

export interface TrustedKey {
  fingerprint: string;
  label: string;
  /** 1-based line in the file, so a report can point at it. */
  line: number;
}

export interface TrustedKeys {
  file: string;
  keys: TrustedKey[];
}

/** The per-user file, for this platform. Pure: give it the environment to test another platform. */
export function defaultTrustedKeysFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const fromEnv = env[TRUSTED_KEYS_ENV];
  if (fromEnv) return fromEnv;
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'PackWitness', FILE_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'PackWitness', FILE_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'PackWitness', FILE_NAME);
  }
}

export function parseTrustedKeys(text: string, file: string): TrustedKeys {
  const keys: TrustedKey[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file} line ${i + 1}`;
    let digits = '';
    let rest = line;
    while (digits.length < 64) {
      const m = /^[\s:-]*([0-9a-fA-F]+)/.exec(rest);
      if (!m) break;
      digits += m[1]!;
      rest = rest.slice(m[0].length);
    }
    if (digits.length !== 64) {
      throw new TrustedKeysError(`${where} does not start with a 64-digit SHA-256 fingerprint (found ${digits.length} hex digits before "${rest.slice(0, 12)}").`);
    }
    const label = rest.replace(/^[\s:-]+/, '').trim();
    if (rest !== '' && !/^[\s:-]/.test(rest)) throw new TrustedKeysError(`${where}: the fingerprint runs on into "${rest.slice(0, 12)}"; put a space between it and the label.`);
    if (!label) throw new TrustedKeysError(`${where} has a fingerprint but no label; add whose key it is after it (e.g. "Shop A, bench 1").`);
    const fingerprint = normalizeFingerprint(digits);
    const twice = keys.find((k) => k.fingerprint === fingerprint);
    if (twice && twice.label !== label) throw new TrustedKeysError(`${where} lists the fingerprint of line ${twice.line} again with another label ("${label}" and "${twice.label}"); keep one.`);
    if (!twice) keys.push({ fingerprint, label, line: i + 1 });
  });
  return { file, keys };
}

/**
 * Reads the file. `required`: it was named on the command line, so its absence is an error; the
 * default file may simply not exist yet (null).
 */
export async function loadTrustedKeys(file: string, required: boolean): Promise<TrustedKeys | null> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new TrustedKeysError(`The trusted keys file ${file} is not a file.`);
    size = st.size;
  } catch (err) {
    if (err instanceof TrustedKeysError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !required) return null;
    throw new TrustedKeysError(`The trusted keys file ${file} cannot be read (${(err as Error).message}).`);
  }
  if (size > TRUSTED_KEYS_MAX_BYTES) throw new TrustedKeysError(`The trusted keys file ${file} is ${size} bytes; a list of fingerprints is far smaller, so it is not one.`);
  return parseTrustedKeys(await readFile(file, 'utf8'), file);
}
