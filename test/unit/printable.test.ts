import { describe, expect, it } from 'vitest';
import { printable, printableJson } from '../../electron/station/printable.js';

/** Every character a printed bundle string must never carry raw. */
// eslint-disable-next-line no-control-regex -- what it looks for
const UNSAFE_RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

describe('printable: bundle text made safe for a terminal', () => {
  it.each([
    ['an ANSI colour and cursor sequence', 'SF\x1b[32mOK\x1b[0m\x1b[2K', 'SF\\x1B[32mOK\\x1B[0m\\x1B[2K'],
    ['carriage return and newline', 'A\rVERIFIED\nB', 'A\\rVERIFIED\\nB'],
    ['tab, NUL, bell, DEL', '\t\0\x07\x7f', '\\t\\x00\\x07\\x7F'],
    ['C1 controls (CSI, NEL)', '\u009b2J\u0085', '\\x9B2J\\x85'],
    ['bidi overrides and isolates', 'clip\u202Egpm.exe\u2066x\u2069\u200e\u200f\u061c', 'clip\\u202Egpm.exe\\u2066x\\u2069\\u200E\\u200F\\u061C'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['a lone surrogate', 'x\ud800y', 'x\\uD800y'],
  ])('escapes %s', (_what, raw, shown) => {
    expect(printable(raw)).toBe(shown);
    expect(printable(raw)).not.toMatch(UNSAFE_RAW);
  });

  it('leaves ordinary text alone: Chinese, emoji, backslashes, quotes', () => {
    for (const s of ['打包台 1 号', 'SF1234567890123', 'C:\\Users\\王芳\\bundle', '"quoted" — dash ✓', '📦 JD-0012']) expect(printable(s)).toBe(s);
  });

  it('writes JSON a script reads back unchanged, with no raw control for a terminal', () => {
    const value = { code: 'A\u202E\x1b[2J\u0085\u2028\x7f\nB', name: '打包台' };
    const text = printableJson(value);
    // eslint-disable-next-line no-control-regex -- what it looks for
    expect(text).not.toMatch(/[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\u001b]/u);
    expect(JSON.parse(text)).toEqual(value);
  });
});
