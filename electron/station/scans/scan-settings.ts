/**
 * Scan settings: how codes are classified and how scans drive clips. Stored in SQLite, validated on
 * save (a bad regular expression is refused with the rule's name and the engine's reason).
 * Defaults follow the carriers and platforms in PRODUCT.md; every merchant can edit them.
 */
import { z } from 'zod';

export const RuleKind = z.enum(['order', 'waybill', 'command', 'ignore']);
export type RuleKind = z.infer<typeof RuleKind>;

export const ScanRule = z.object({
  name: z.string().min(1).max(64),
  kind: RuleKind,
  /** A JavaScript regular expression, matched case-insensitively against the whole cleaned code. */
  pattern: z.string().min(1).max(512),
});
export type ScanRule = z.infer<typeof ScanRule>;

export const CommandCodes = z.object({
  stop: z.string().min(1).max(64),
  cancel: z.string().min(1).max(64),
  pack: z.string().min(1).max(64),
  return: z.string().min(1).max(64),
});
export type CommandCodes = z.infer<typeof CommandCodes>;
export type CommandName = keyof CommandCodes;

export const ScanSettings = z
  .object({
    preRollMs: z.number().int().min(0).max(30_000),
    postRollMs: z.number().int().min(0).max(30_000),
    maxClipMs: z.number().int().min(10_000).max(4 * 3600_000),
    /** The same code again within this long is a double scan and ignored. */
    doubleScanMs: z.number().int().min(0).max(10_000),
    /** The same code again later: ignore it, or take it as "done" and stop the clip. */
    repeatScan: z.enum(['ignore', 'stop']),
    /** A waybill scanned during a clip that has no waybill yet joins that clip (label printed last). */
    attachWaybill: z.boolean(),
    duplicateWindowDays: z.number().int().min(0).max(365),
    commands: CommandCodes,
    rules: z.array(ScanRule).max(200),
  })
  .superRefine((s, ctx) => {
    s.rules.forEach((r, i) => {
      const err = regexError(r.pattern);
      if (err) ctx.addIssue({ code: 'custom', path: ['rules', i, 'pattern'], message: `rule "${r.name}": invalid regular expression: ${err}` });
    });
    const codes = Object.values(s.commands).map((c) => c.toUpperCase());
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['commands'], message: 'command codes must all be different' });
  });
export type ScanSettings = z.infer<typeof ScanSettings>;

function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern, 'iu');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  preRollMs: 3_000,
  postRollMs: 2_000,
  maxClipMs: 10 * 60_000,
  doubleScanMs: 2_000,
  repeatScan: 'stop',
  attachWaybill: true,
  duplicateWindowDays: 30,
  commands: { stop: 'PW-STOP', cancel: 'PW-CANCEL', pack: 'PW-PACK', return: 'PW-RETURN' },
  // First match wins: specific carrier and platform formats before the generic catch-all.
  rules: [
    { name: 'command', kind: 'command', pattern: '^PW-[A-Z]+$' },
    { name: 'url (QR code)', kind: 'ignore', pattern: '^https?://' },
    { name: 'SF Express', kind: 'waybill', pattern: '^SF\\d{12,13}$' },
    { name: 'JD Logistics', kind: 'waybill', pattern: '^JD[A-Z0-9]{11,18}$' },
    { name: 'YTO', kind: 'waybill', pattern: '^YT\\d{10,16}$' },
    { name: 'EMS / postal', kind: 'waybill', pattern: '^[A-Z]{2}\\d{9}[A-Z]{2}$' },
    { name: 'Amazon TBA', kind: 'waybill', pattern: '^TBA\\d{9,15}$' },
    { name: 'UPS', kind: 'waybill', pattern: '^1Z[A-Z0-9]{16}$' },
    { name: 'Pinduoduo order', kind: 'order', pattern: '^\\d{6}-\\d{15}$' },
    { name: 'Amazon order', kind: 'order', pattern: '^\\d{3}-\\d{7}-\\d{7}$' },
    { name: 'Shopify order', kind: 'order', pattern: '^#\\d{3,10}$' },
    { name: 'Taobao / Tmall order', kind: 'order', pattern: '^\\d{18,19}$' },
    { name: 'ZTO / STO / Yunda / AWB', kind: 'waybill', pattern: '^\\d{13,16}$' },
    { name: 'JD order', kind: 'order', pattern: '^\\d{10,12}$' },
    { name: 'Shopee order', kind: 'order', pattern: '^\\d{6}[A-Z0-9]{8}$' },
    { name: 'other order number', kind: 'order', pattern: '^[A-Z0-9][A-Z0-9_\\-#/.]{3,63}$' },
  ],
};

/** Parse settings from an untrusted source; throws one readable sentence listing what is wrong. */
export function validateScanSettings(input: unknown): ScanSettings {
  const r = ScanSettings.safeParse(input);
  if (r.success) return r.data;
  throw new ScanSettingsError(r.error.issues.map((i) => (i.code === 'custom' ? i.message : `${i.path.join('.')}: ${i.message}`)).join('; '));
}

export class ScanSettingsError extends Error {
  override name = 'ScanSettingsError';
}
