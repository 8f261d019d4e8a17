/**
 * Row ids (clips, scans, segments) as they arrive from outside: a URL path or query string, a command
 * line, a link. The one accepted spelling is plain decimal digits without a leading zero, the way the
 * station itself writes them: `42`. `Number()` would also take `0x2a`, `+42`, `042`, `4.2e1`, `42.0`
 * and ` 42`, so one clip would answer to many names and a typo would open a different clip instead of
 * being refused; ids past 2^53 - 1 would silently round to a neighbouring integer.
 *
 * Runs in Node and in the browser: no Node or DOM imports here.
 */

/** The canonical form of an id. */
export const ID_PATTERN = /^[1-9][0-9]*$/;

/** The rule in one phrase, for refusals: "a clip id is …". */
export const ID_RULE = {
  en: `a whole number from 1 to ${Number.MAX_SAFE_INTEGER} written in plain digits, e.g. 42`,
  'zh-CN': `1 到 ${Number.MAX_SAFE_INTEGER} 之间的整数，只用数字书写，例如 42`,
} as const;

/** The id `text` names, or null when it is not an id's canonical spelling or not a safe integer. */
export function parseId(text: unknown): number | null {
  // 16 digits hold every safe integer; the length check keeps a huge string from being converted at all.
  if (typeof text !== 'string' || text.length > 16 || !ID_PATTERN.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
