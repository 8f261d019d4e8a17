import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTrustedKeysFile, loadTrustedKeys, parseTrustedKeys, TrustedKeysError } from '../../electron/station/evidence/trusted-keys.js';

const A = '7f259d5f11744e49fe5e7f2f8a2d7b5ec7c49fa8eda4a6376cfbb397f84a93d3';
const B = '1b51364d5651aa00bb11cc22dd33ee44ff5566778899aabbccddeeff00112233';
const C = 'c'.repeat(64);
const grouped = (f: string): string => f.replace(/(.{4})(?=.)/g, '$1 ');

describe('trusted keys file', () => {
  it('reads one fingerprint and label a line, in the spellings people paste, skipping comments and blank lines', () => {
    const text = [
      '# keys I trust',
      '',
      `${A}   Shop A, packing bench 1`,
      `  ${grouped(B).toUpperCase()}\tShop B  `,
      `${A.replace(/(..)(?=.)/g, '$1:')} Shop A, packing bench 1`,
      `${C} cafe`, // a label that looks like hex is still the label: 64 digits end the fingerprint
    ].join('\r\n');
    const t = parseTrustedKeys(`\uFEFF${text}`, 'keys.txt');
    expect(t.keys).toEqual([
      { fingerprint: A, label: 'Shop A, packing bench 1', line: 3 },
      { fingerprint: B, label: 'Shop B', line: 4 },
      { fingerprint: C, label: 'cafe', line: 6 },
    ]);
  });

  it.each([
    [`${A.slice(0, 60)} Shop`, /keys\.txt line 1 does not start with a 64-digit SHA-256 fingerprint \(found 60 hex digits/],
    [`${A}`, /keys\.txt line 1 has a fingerprint but no label/],
    [`${A}ff Shop`, /does not start with a 64-digit SHA-256 fingerprint \(found 66 hex digits/],
    [`${A},Shop`, /the fingerprint runs on into ",Shop"/],
    [`Shop A ${A}`, /line 1 does not start with a 64-digit/],
    [`${A} Shop A\n${A} Shop B`, /keys\.txt line 2 lists the fingerprint of line 1 again with another label/],
  ])('refuses %j with a sentence naming the line', (text, message) => {
    expect(() => parseTrustedKeys(text, 'keys.txt')).toThrow(TrustedKeysError);
    expect(() => parseTrustedKeys(text, 'keys.txt')).toThrow(message);
  });

  it('lives in the per-user config folder of each platform, or where PACKWITNESS_TRUSTED_KEYS says', () => {
    expect(defaultTrustedKeysFile({}, 'linux', '/home/wang')).toBe('/home/wang/.config/PackWitness/trusted-keys.txt');
    expect(defaultTrustedKeysFile({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/wang')).toBe('/cfg/PackWitness/trusted-keys.txt');
    expect(defaultTrustedKeysFile({}, 'darwin', '/Users/wang')).toBe('/Users/wang/Library/Application Support/PackWitness/trusted-keys.txt');
    expect(defaultTrustedKeysFile({ APPDATA: 'C:/Users/wang/AppData/Roaming' }, 'win32', 'C:/Users/wang')).toMatch(/^C:\/Users\/wang\/AppData\/Roaming[\\/]PackWitness[\\/]trusted-keys\.txt$/);
    expect(defaultTrustedKeysFile({ PACKWITNESS_TRUSTED_KEYS: '/srv/keys.txt', XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/wang')).toBe('/srv/keys.txt');
  });

  it('is optional where it is the default, and required where it was named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-trust-'));
    await expect(loadTrustedKeys(join(dir, 'none.txt'), false)).resolves.toBeNull();
    await expect(loadTrustedKeys(join(dir, 'none.txt'), true)).rejects.toThrow(/The trusted keys file .*none\.txt cannot be read/);
    await expect(loadTrustedKeys(dir, false)).rejects.toThrow(/is not a file/);
    writeFileSync(join(dir, 'k.txt'), `${A} Shop A\n`);
    await expect(loadTrustedKeys(join(dir, 'k.txt'), true)).resolves.toEqual({ file: join(dir, 'k.txt'), keys: [{ fingerprint: A, label: 'Shop A', line: 1 }] });
  });
});
