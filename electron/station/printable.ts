/**
 * Text that came from outside (an evidence bundle, a buyer's file, a camera) made safe to print on a
 * terminal. A forged manifest is signed by whoever forged it, so every string in it is chosen by an
 * attacker: an ESC sequence can move the cursor and overwrite the real verdict, a carriage return or
 * newline can start a fake "VERIFIED" line, and a bidi override (U+202E) can make `4pm.exe` read as
 * `exe.mp4`. Each such character is shown as a visible escape instead; everything else prints as is
 * (Chinese names stay readable).
 *
 * Escaped: C0 controls and DEL, C1 controls (U+0080-U+009F: U+009B is CSI on terminals that honour
 * 8-bit controls), the line and paragraph separators U+2028/U+2029, the bidi controls U+061C,
 * U+200E/U+200F, U+202A-U+202E and U+2066-U+2069, and lone surrogates (half a character, printed as
 * U+FFFD by Node, which would hide what was there). The backslash is left alone, so a Windows path
 * prints as it is; an escape is therefore readable but not reversible, which is all printing needs.
 */

import { UNSAFE_TEXT } from '../../shared/text-safety.js';

/** shared/text-safety.ts's set (what settings refuse in names), as a global pattern for replacing. */
const UNSAFE = new RegExp(UNSAFE_TEXT.source, 'gu');
/** What JSON.stringify leaves raw (it escapes C0 and lone surrogates itself; its own newlines are layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

/** `text` with every control, newline and bidi character shown as a visible escape (`\x1B`, `\n`, `\u202E`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

/**
 * JSON for a terminal or a log: JSON.stringify already writes C0 controls and lone surrogates as
 * `\uXXXX`, but leaves DEL, C1 controls, the separators and the bidi controls raw. They are written as
 * JSON escapes too, so the data a script parses is unchanged while a person's terminal sees no control.
 */
export function printableJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c.charCodeAt(0), 4).toLowerCase()}`);
}
