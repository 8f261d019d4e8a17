/**
 * The viewer password, kept only as a scrypt hash in memory: the plain text is hashed when the
 * station starts and dropped; it is never logged or written anywhere.
 *
 * scrypt (node:crypto) with Node's default cost (N=16384, r=8: ~16 MB and tens of ms per check) makes
 * each guess expensive; the login route also limits wrong guesses per address (login-throttle.ts).
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_BYTES = 32;

/** What the settings store keeps for LAN viewing: the salt and the scrypt hash, hex; never the password. */
export interface StoredViewerPassword {
  salt: string;
  hash: string;
}

export class ViewerPassword {
  private constructor(
    private readonly salt: Buffer,
    private readonly hash: Buffer,
  ) {}

  /** The length rule is checked before this (security-config.ts). */
  static fromPlainText(password: string): ViewerPassword {
    const salt = randomBytes(16);
    return new ViewerPassword(salt, scryptSync(password, salt, KEY_BYTES));
  }

  /** A password saved in the settings (LAN viewing turned on in the settings screen). */
  static fromStored(s: StoredViewerPassword): ViewerPassword {
    return new ViewerPassword(Buffer.from(s.salt, 'hex'), Buffer.from(s.hash, 'hex'));
  }

  toStored(): StoredViewerPassword {
    return { salt: this.salt.toString('hex'), hash: this.hash.toString('hex') };
  }

  /** Async: a check takes tens of ms of CPU, which must not stall recording and other requests. */
  async matches(given: string): Promise<boolean> {
    const candidate = await scryptAsync(given, this.salt, KEY_BYTES);
    return timingSafeEqual(candidate, this.hash);
  }

  /** Never print the hash either (logs, error objects, util.inspect). */
  toJSON(): string {
    return '[viewer password]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[viewer password]';
  }
}
