/**
 * The operator's classification rules are regular expressions, and they run on every scan inside the
 * station's one thread. JavaScript's own engine backtracks: `^([A-Z0-9]+-?)+$` against a 28-character
 * code that does not match took 4.8 s, during which the station answered nothing and its recorder
 * stalled. So rules run on RE2 (re2js: Google's RE2 in plain JavaScript, no native code),
 * whose time is linear in the code's length whatever the rule: that rule now fails in microseconds.
 *
 * RE2 has no backreferences (`\1`, `\k<name>`) and no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`),
 * the two features that need backtracking; a rule using them is refused when saved, by name. Its
 * `\d`, `\w`, classes, anchors, repeats and groups are JavaScript's; code points are written
 * `\x{4e00}` (not `\u4e00`). The size of the compiled program is checked too: compiling grows with it
 * (a 512-character rule of `[a-z]{1000}` pieces is 46,000 steps and took 100-190 ms here), and the
 * station compiles the rules when they are saved, tested and loaded.
 *
 * Runs in Node and in the browser (the settings screen checks rules as they are typed).
 */
import { RE2JS } from 're2js';

/**
 * One rule's program at most: ample for any code format (codes are at most 128 characters; the
 * largest built-in rule, "other order number", is 128 steps; `\d{1000}` is 1,004), and it keeps a
 * rule's compile to a few milliseconds.
 */
export const RULE_PROGRAM_MAX = 2_000;

/** All rules together (the built-in 23 are 675 steps): bounds what one save or test costs to compile. */
export const RULES_PROGRAM_MAX = 20_000;

export type RuleRefusal =
  | { key: 'invalidRule'; params: { detail: string } }
  | { key: 'ruleBackreference' | 'ruleLookaround'; params: Record<string, never> }
  | { key: 'ruleTooLarge'; params: { size: string; max: string } };

/** Rules are matched case-insensitively against the whole cleaned code (anchors are the rule's own). */
const FLAGS = RE2JS.CASE_INSENSITIVE;

/** Compiled rules, by pattern: validation, the rule tester and the classifier compile the same ones. */
const cache = new Map<string, RE2JS>();
const CACHE_MAX = 512;

export type CompiledRule = { ok: true; re: RE2JS; size: number } | { ok: false; refusal: RuleRefusal };

export function compileRulePattern(pattern: string): CompiledRule {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern, FLAGS);
    } catch (err) {
      return { ok: false, refusal: refusalFor(err instanceof Error ? err.message : String(err)) };
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  const size = re.programSize();
  if (size > RULE_PROGRAM_MAX) return { ok: false, refusal: { key: 'ruleTooLarge', params: { size: String(size), max: String(RULE_PROGRAM_MAX) } } };
  return { ok: true, re, size };
}

/** RE2's words for what it cannot run, mapped to the features a person would recognise. */
function refusalFor(message: string): RuleRefusal {
  const detail = message.replace(/^error parsing regexp: /, '');
  if (/`\\[1-9k]/.test(detail)) return { key: 'ruleBackreference', params: {} };
  if (/`\(\?<?[=!]/.test(detail)) return { key: 'ruleLookaround', params: {} };
  return { key: 'invalidRule', params: { detail } };
}
