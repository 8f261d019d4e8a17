/**
 * HOW-TO-VERIFY.txt is signed inside every bundle, and its words now come from the message catalogue:
 * the bytes a bundle gets must not change by accident. The hashes are of the file as written before
 * its sentences moved into the catalogue; a deliberate change of wording updates them here.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { howToVerifyCommands, howToVerifyText, VERIFY_STEPS } from '../../electron/station/evidence/how-to-verify.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('HOW-TO-VERIFY.txt from the catalogue', () => {
  it('is byte for byte the file bundles carry', () => {
    expect(sha256(howToVerifyText('PW-20261207-SF1_clip-12'))).toBe('98d1b08bbe5e5d69dbbc19e334b20bbab434b45997195d1df739c708c5161a85');
    // A bundle name that is not plain is written as a placeholder.
    expect(sha256(howToVerifyText('bad name/..'))).toBe('ed686b413d1b301915741061857c66e89868e893c9f28a31761745422a86fcc5');
  });

  it('keeps its command blocks: the verify command, the fingerprint line and the five steps', () => {
    const blocks = howToVerifyCommands(howToVerifyText('PW-1').toString('utf8'));
    expect(blocks[0]).toBe('packwitness verify PW-1.zip --expect-fingerprint FINGERPRINT');
    expect(blocks[1]).toBe('EXPECTED_FINGERPRINT=PASTE-THE-64-HEX-DIGITS-HERE   # 64 位十六进制指纹，不含空格 / no spaces');
    expect(blocks.slice(2)).toEqual([...VERIFY_STEPS]);
  });
});
