/**
 * Scan settings: how codes are classified and how scans drive clips. Stored in SQLite, validated on
 * save (a bad regular expression is refused with the rule's name and the engine's reason).
 * Defaults follow the carriers and platforms in PRODUCT.md; every merchant can edit them.
 */
import { ScanSettings } from '../../../shared/api.js';

export { CommandCodes, RuleKind, ScanRule, ScanSettings } from '../../../shared/api.js';
export type { CommandName } from '../../../shared/api.js';

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  preRollMs: 3_000,
  postRollMs: 2_000,
  maxClipMs: 10 * 60_000,
  doubleScanMs: 2_000,
  // Packers rescan a label when unsure it beeped (issue 15): stopping there left the rest of the
  // packing outside the clip. A station whose saved settings say 'stop' keeps its choice.
  repeatScan: 'ignore',
  attachWaybill: true,
  duplicateWindowDays: 30,
  commands: { stop: 'PW-STOP', cancel: 'PW-CANCEL', pack: 'PW-PACK', return: 'PW-RETURN', ship: 'PW-SHIP' },
  // Hand-over (issue 18): off, so a bench packs unless it is made the dispatch point.
  dispatchPoint: false,
  // At the dispatch point a parcel is scanned and handed over in seconds; the last one of a batch
  // has no next scan to end it, and a 10-minute clip of an empty counter helps nobody.
  handoverClipMs: 30_000,
  // The idle stop ends a forgotten clip at its last activity (scan or motion), so how long it waits
  // never puts empty table on the clip; it only decides how long a pause may be before the parcel
  // counts as done. 5 minutes: a packer fetching an item or answering the phone keeps the clip, and
  // the stop comes before the 10-minute maximum length, which would keep the empty table.
  idleStopMs: 5 * 60_000,
  // First match wins: specific carrier and platform formats before the generic catch-all.
  rules: [
    { name: 'command', kind: 'command', pattern: '^PW-[A-Z]+$' },
    { name: 'url (QR code)', kind: 'ignore', pattern: '^https?://' },
    // Packer badges (issue 19), before the order formats: 'other order number' would take PK-… too.
    { name: 'packer badge', kind: 'packer', pattern: '^PK-[A-Z0-9_\\-]{1,32}$' },
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
