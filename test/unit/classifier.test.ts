import { describe, expect, it } from 'vitest';
import { Classifier, cleanCode } from '../../electron/station/scans/classifier.js';
import { DEFAULT_SCAN_SETTINGS, validateScanSettings, ScanSettingsError } from '../../electron/station/scans/scan-settings.js';

const c = new Classifier(DEFAULT_SCAN_SETTINGS);

describe('the default classification rules', () => {
  it.each([
    ['SF1234567890123', 'waybill', 'SF Express'],
    ['sf123456789012', 'waybill', 'SF Express'],
    ['JDVA12345678901', 'waybill', 'JD Logistics'],
    ['YT1234567890123', 'waybill', 'YTO'],
    ['EA123456789CN', 'waybill', 'EMS / postal'],
    ['TBA123456789012', 'waybill', 'Amazon TBA'],
    ['1Z999AA10123456784', 'waybill', 'UPS'],
    ['773123456789012', 'waybill', 'ZTO / STO / Yunda / AWB'],
    ['251123-123456789012345', 'order', 'Pinduoduo order'],
    ['123-1234567-1234567', 'order', 'Amazon order'],
    ['#1001', 'order', 'Shopify order'],
    ['1234567890123456789', 'order', 'Taobao / Tmall order'],
    ['123456789012345678', 'order', 'Taobao / Tmall order'],
    ['12345678901', 'order', 'JD order'],
    ['2511238AB3CD9E', 'order', 'Shopee order'],
    ['ERP-2026-00042', 'order', 'other order number'],
  ])('%s is a %s (%s)', (code, kind, rule) => {
    expect(c.classify(code)).toEqual({ kind, code, rule });
  });

  it.each([
    ['PW-STOP', 'stop'],
    ['pw-stop', 'stop'],
    ['PW-CANCEL', 'cancel'],
    ['PW-PACK', 'pack'],
    ['PW-RETURN', 'return'],
  ])('%s is the %s command', (code, command) => {
    expect(c.classify(code)).toMatchObject({ kind: 'command', command });
  });

  it('ignores a QR code URL', () => {
    expect(c.classify('https://m.tb.cn/h.abc?x=1')).toMatchObject({ kind: 'ignore' });
  });

  it.each([
    ['', 'empty'],
    ['   \r\n', 'empty'],
    ['SF123\u0000456', 'control-characters'],
    ['AB\u001bCD', 'control-characters'],
    ['X'.repeat(129), 'too-long'],
    ['PW-LAUNCH', 'unknown-command'],
    ['hello world', 'no-rule'],
    ['订单号', 'no-rule'],
    ['<script>', 'no-rule'],
  ])('refuses %j (%s)', (raw, reason) => {
    expect(c.classify(raw)).toMatchObject({ kind: 'invalid', reason });
  });

  it('cleans scanner junk: terminators, surrounding space, AIM symbology prefixes', () => {
    expect(cleanCode('SF1234567890123\r\n')).toBe('SF1234567890123');
    expect(cleanCode('\tSF1234567890123\t')).toBe('SF1234567890123');
    expect(cleanCode(']C1SF1234567890123')).toBe('SF1234567890123');
    expect(c.classify(']C1SF1234567890123\r')).toMatchObject({ kind: 'waybill', code: 'SF1234567890123' });
    // 128 characters is not too long (only over 128 is); it just matches no rule.
    // (A run of 40+ letters and digits is a label QR's payload by the default rules, so it is ignored.)
    expect(c.classify('X'.repeat(128))).toMatchObject({ kind: 'ignore', rule: 'label QR (long payload)' });
  });

  it('applies rules in order: the first match wins', () => {
    const custom = new Classifier({
      commands: DEFAULT_SCAN_SETTINGS.commands,
      rules: [
        { name: 'our waybills', kind: 'waybill', pattern: '^ZX\\d+$' },
        { name: 'everything', kind: 'order', pattern: '.+' },
      ],
    });
    expect(custom.classify('ZX123')).toMatchObject({ kind: 'waybill', rule: 'our waybills' });
    expect(custom.classify('ZY123')).toMatchObject({ kind: 'order', rule: 'everything' });
  });
});

describe('rules on a linear-time engine', () => {
  it('runs a rule that makes a backtracking engine take seconds, with the same answers', () => {
    // ^([A-Z0-9]+-?)+$ against 27 letters and a "!" took 4.8 s in JavaScript's engine (2^27 ways to split the letters).
    const c = new Classifier({ commands: DEFAULT_SCAN_SETTINGS.commands, rules: [{ name: 'dashed code', kind: 'order', pattern: '^([A-Z0-9]+-?)+$' }] });
    expect(c.classify('ABCDEFGHIJKLMNOPQRSTUVWXYZ1!')).toMatchObject({ kind: 'invalid', reason: 'no-rule' });
    expect(c.classify('ab12-CD34-ef56')).toMatchObject({ kind: 'order', rule: 'dashed code' });
    expect(c.classify('AB--CD')).toMatchObject({ kind: 'invalid', reason: 'no-rule' });
  });

  it('keeps the JavaScript meaning of the built-in rules: case-insensitive, whole-code anchors, \\d, classes, any language', () => {
    const c = new Classifier({
      commands: DEFAULT_SCAN_SETTINGS.commands,
      rules: [
        { name: 'named group', kind: 'order', pattern: '^(?<shop>TM)\\d{4}$' },
        { name: 'Chinese prefix', kind: 'waybill', pattern: '^顺丰\\d{3}$' },
        { name: 'code point', kind: 'order', pattern: '^\\x{4e2d}X$' },
        ...DEFAULT_SCAN_SETTINGS.rules,
      ],
    });
    expect(c.classify('tm1234')).toMatchObject({ kind: 'order', rule: 'named group' });
    expect(c.classify('顺丰123')).toMatchObject({ kind: 'waybill', rule: 'Chinese prefix' });
    expect(c.classify('中x')).toMatchObject({ kind: 'order', rule: 'code point' });
    expect(c.classify('sf1234567890123')).toMatchObject({ kind: 'waybill', rule: 'SF Express' });
    expect(c.classify('１２３')).toMatchObject({ kind: 'invalid', reason: 'no-rule' }); // \d is ASCII digits, as in JavaScript
  });
});

describe('scan settings validation', () => {
  it('accepts the defaults', () => {
    expect(validateScanSettings(DEFAULT_SCAN_SETTINGS)).toEqual(DEFAULT_SCAN_SETTINGS);
  });

  it('refuses a bad regular expression, naming the rule', () => {
    const bad = { ...DEFAULT_SCAN_SETTINGS, rules: [{ name: 'broken', kind: 'order', pattern: '^(SF\\d+$' }] };
    expect(() => validateScanSettings(bad)).toThrow(ScanSettingsError);
    expect(() => validateScanSettings(bad)).toThrow(/rule "broken": invalid regular expression/);
  });

  it('refuses what the linear-time engine cannot run, naming the rule: backreferences, lookaround', () => {
    const rule = (name: string, pattern: string) => ({ ...DEFAULT_SCAN_SETTINGS, rules: [...DEFAULT_SCAN_SETTINGS.rules, { name, kind: 'order', pattern }] });
    for (const p of ['^(\\d)\\1+$', '^(?<x>A)\\k<x>$']) {
      expect(() => validateScanSettings(rule('Repeats', p)), p).toThrow(/^rule "Repeats": backreferences such as \\1 cannot be used \(rules run on a linear-time engine, so that no code can stall the station\)$/);
    }
    for (const p of ['^(?=SF)\\w+$', '^(?!TEST)\\w+$', '(?<=SF)\\d+', '(?<!X)\\d+']) {
      expect(() => validateScanSettings(rule('Looks around', p)), p).toThrow(/^rule "Looks around": lookahead and lookbehind such as \(\?= or \(\?<! cannot be used/);
    }
    expect(() => validateScanSettings(rule('Huge', '[a-z]{1000}'.repeat(3)))).toThrow(/^rule "Huge": the regular expression is too large \(3002 steps, at most 2000\); shorten it$/);
    const many = Array.from({ length: 25 }, (_, i) => ({ name: `r${i}`, kind: 'order' as const, pattern: `^X${i}\\d{1000}$` }));
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, rules: many })).toThrow(/^the rules are too large together \(\d+\+ steps, at most 20000\); shorten or remove some$/);
  });

  it('refuses duplicate command codes, unknown kinds and out-of-range numbers', () => {
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, commands: { ...DEFAULT_SCAN_SETTINGS.commands, cancel: 'pw-stop' } })).toThrow(/must all be different/);
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, rules: [{ name: 'x', kind: 'sku', pattern: '.' }] })).toThrow(/rules\.0\.kind/);
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, preRollMs: -1 })).toThrow(/preRollMs/);
  });
});
