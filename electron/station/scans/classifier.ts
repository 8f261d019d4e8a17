/**
 * What a scanned string is: an order number, a waybill, a product's code (item), a command, noise to
 * ignore, or garbage.
 * Scanners add junk (a CR/LF/Tab suffix, an AIM symbology prefix like "]C1", stray control bytes);
 * the cleaning here removes what is known to be harmless and refuses the rest with a reason.
 */
import type { RE2JS } from 're2js';
import { compileRulePattern } from '../../../shared/rule-pattern.js';
import { hasValidGs1CheckDigit } from './gs1-check-digit.js';
import type { CommandName, RuleKind, ScanRule, ScanSettings } from './scan-settings.js';

export const MAX_CODE_LENGTH = 128;

export type Classified =
  | { kind: 'order' | 'waybill' | 'item'; code: string; rule: string }
  | { kind: 'command'; code: string; command: CommandName }
  | { kind: 'ignore'; code: string; rule: string }
  /** A packer's badge (signs in), or PACKER_LOGOUT_CODE (signs out: `logout`). */
  | { kind: 'packer'; code: string; rule: string; logout?: boolean }
  | { kind: 'invalid'; code: string; reason: InvalidReason };

export type InvalidReason = 'empty' | 'control-characters' | 'too-long' | 'no-rule' | 'unknown-command';

/** AIM symbology identifier: "]" + symbology letter + modifier digit, sent first by some scanners. */
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Signs the packer out at the bench; a printed code like the command codes. */
export const PACKER_LOGOUT_CODE = 'PW-LOGOUT';

export function cleanCode(raw: string): string {
  return raw.replace(/^[\s]+|[\s]+$/g, '').replace(AIM_PREFIX, '').trim();
}

export class Classifier {
  /** On RE2: linear time in the code's length whatever the operator wrote (shared/rule-pattern.ts). */
  private readonly rules: Array<{ name: string; kind: RuleKind; re: RE2JS; check: ScanRule['check'] }>;
  private readonly commands: Map<string, CommandName>;

  constructor(settings: Pick<ScanSettings, 'rules' | 'commands'>) {
    this.rules = settings.rules.map((r) => {
      const c = compileRulePattern(r.pattern);
      // Settings reach here validated (the same compile); this is for a caller that skipped that.
      if (!c.ok) throw new Error(`rule "${r.name}" cannot be used: ${c.refusal.key}`);
      return { name: r.name, kind: r.kind, re: c.re, check: r.check };
    });
    this.commands = new Map(Object.entries(settings.commands).map(([name, code]) => [code.toUpperCase(), name as CommandName]));
  }

  classify(raw: string): Classified {
    const code = cleanCode(raw);
    if (code === '') return { kind: 'invalid', code, reason: 'empty' };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f]/.test(code)) return { kind: 'invalid', code: visible(code), reason: 'control-characters' };
    if (code.length > MAX_CODE_LENGTH) return { kind: 'invalid', code: code.slice(0, MAX_CODE_LENGTH), reason: 'too-long' };
    const command = this.commands.get(code.toUpperCase());
    if (command) return { kind: 'command', code, command };
    if (code.toUpperCase() === PACKER_LOGOUT_CODE) return { kind: 'packer', code, rule: 'logout', logout: true };
    for (const rule of this.rules) {
      if (!rule.re.test(code)) continue;
      // A rule with a check digit passes a code that fails it on to the next rule (a JD order of 12 digits).
      if (rule.check === 'gs1' && !hasValidGs1CheckDigit(code)) continue;
      if (rule.kind === 'command') return { kind: 'invalid', code, reason: 'unknown-command' };
      if (rule.kind === 'ignore') return { kind: 'ignore', code, rule: rule.name };
      if (rule.kind === 'packer') return { kind: 'packer', code, rule: rule.name };
      return { kind: rule.kind, code, rule: rule.name };
    }
    return { kind: 'invalid', code, reason: 'no-rule' };
  }
}

/** Control characters made visible for the scan log (␀-style pictures), so the log itself stays clean. */
export function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0))).replace(/[\u007f-\u009f]/g, '\u2421');
}
