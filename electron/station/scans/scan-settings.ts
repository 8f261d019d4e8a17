/**
 * Scan settings: how codes are classified and how scans drive clips. Stored in SQLite, validated on
 * save (a bad regular expression is refused with the rule's name and the engine's reason).
 * Defaults follow the carriers and platforms in PRODUCT.md; every merchant can edit them.
 */
import { ScanSettings, type ScanRule } from '../../../shared/api.js';
import { compileRulePattern } from '../../../shared/rule-pattern.js';

export { CommandCodes, RuleKind, ScanRule, ScanSettings } from '../../../shared/api.js';
export type { CommandName } from '../../../shared/api.js';

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  preRollMs: 3_000,
  postRollMs: 2_000,
  maxClipMs: 10 * 60_000,
  doubleScanMs: 2_000,
  // Packers rescan a label when unsure it beeped: stopping there would leave the rest of the
  // packing outside the clip. A station whose saved settings say 'stop' keeps its choice.
  repeatScan: 'ignore',
  attachWaybill: true,
  duplicateWindowDays: 30,
  commands: { stop: 'PW-STOP', cancel: 'PW-CANCEL', pack: 'PW-PACK', return: 'PW-RETURN', ship: 'PW-SHIP' },
  // Hand-over: off, so a bench packs unless it is made the dispatch point.
  dispatchPoint: false,
  // At the dispatch point a parcel is scanned and handed over in seconds; the last one of a batch
  // has no next scan to end it, and a 10-minute clip of an empty counter helps nobody.
  handoverClipMs: 30_000,
  // A clip starts on an order or waybill number; 'item' is for shops that print the label last.
  startOn: 'order',
  // The idle stop ends a forgotten clip at its last activity (scan or motion), so how long it waits
  // never puts empty table on the clip; it only decides how long a pause may be before the parcel
  // counts as done. 5 minutes: a packer fetching an item or answering the phone keeps the clip, and
  // the stop comes before the 10-minute maximum length, which would keep the empty table.
  idleStopMs: 5 * 60_000,
  // First match wins: specific carrier and platform formats before the generic catch-all.
  rules: [
    { name: 'command', kind: 'command', pattern: '^PW-[A-Z]+$' },
    // The QR code beside the waybill on a label (电子面单) is a link or a block of fields, never the
    // order: ignored, so a scanner that reads it first cannot start a clip under it.
    { name: 'url (QR code)', kind: 'ignore', pattern: '^(?:[A-Z][A-Z0-9+.\\-]{1,15}://|WWW\\.)' },
    // JSON, fields split by "|", or key=value pairs: no order or waybill number carries these.
    { name: 'label QR (structured data)', kind: 'ignore', pattern: '^(?:[\\[{].*[\\]}]|.*\\|.*|.*=.*)$' },
    // Packer badges, before the order formats: 'other order number' would take PK-… too.
    { name: 'packer badge', kind: 'packer', pattern: '^PK-[A-Z0-9_\\-]{1,32}$' },
    { name: 'SF Express', kind: 'waybill', pattern: '^SF\\d{12,13}$' },
    { name: 'JD Logistics', kind: 'waybill', pattern: '^JD[A-Z0-9]{11,18}$' },
    { name: 'YTO', kind: 'waybill', pattern: '^YT\\d{10,16}$' },
    { name: 'EMS / postal', kind: 'waybill', pattern: '^[A-Z]{2}\\d{9}[A-Z]{2}$' },
    { name: 'Amazon TBA', kind: 'waybill', pattern: '^TBA\\d{9,15}$' },
    { name: 'UPS', kind: 'waybill', pattern: '^1Z[A-Z0-9]{16}$' },
    // Product barcodes, before the digit-only order and waybill formats they share lengths with. The
    // GS1 check digit decides (a number without one still passes 1 time in 10), and the prefix keeps
    // that chance away from most numbers: 690-699 is GS1 China, 978/979 books (ISBN), UPC-A number
    // systems 0 and 1 the usual US/Canada products. The trade-off: a 13-digit ZTO/STO/Yunda waybill
    // starting 69/978/979, or a 12-digit JD order starting 0/1, is taken for a product 1 time in 10
    // (attached to the open clip, or ignored: it cannot start one). Products from elsewhere (Japan
    // 45/49, Korea 880, …): add a rule with the check, accepting that chance for those prefixes.
    { name: 'product EAN-13 (China 690-699)', kind: 'item', pattern: '^69\\d{11}$', check: 'gs1' },
    { name: 'book ISBN (EAN-13 978/979)', kind: 'item', pattern: '^97[89]\\d{10}$', check: 'gs1' },
    { name: 'product UPC-A', kind: 'item', pattern: '^[01]\\d{11}$', check: 'gs1' },
    { name: 'product EAN-8 (China 69)', kind: 'item', pattern: '^69\\d{6}$', check: 'gs1' },
    { name: 'Pinduoduo order', kind: 'order', pattern: '^\\d{6}-\\d{15}$' },
    { name: 'Amazon order', kind: 'order', pattern: '^\\d{3}-\\d{7}-\\d{7}$' },
    { name: 'Shopify order', kind: 'order', pattern: '^#\\d{3,10}$' },
    { name: 'Taobao / Tmall order', kind: 'order', pattern: '^\\d{18,19}$' },
    { name: 'ZTO / STO / Yunda / AWB', kind: 'waybill', pattern: '^\\d{13,16}$' },
    { name: 'JD order', kind: 'order', pattern: '^\\d{10,12}$' },
    { name: 'Shopee order', kind: 'order', pattern: '^\\d{6}[A-Z0-9]{8}$' },
    // An encrypted label QR is a long run of letters and digits; real order numbers stay under 30.
    { name: 'label QR (long payload)', kind: 'ignore', pattern: '^[A-Z0-9+/_\\-]{40,}$' },
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

/** One real code per default product rule: where an older rule list takes these, products go first. */
const PRODUCT_SAMPLES = ['6921168509256', '9787111213826', '036000291452', '69012341'];

/**
 * Scan settings saved before product codes existed have no item rule, so an EAN there is still taken
 * for an order (the complaint the product rules answer). Returns the rules with the default product
 * rules put just before the first rule that takes a sample product code (or at the end when none
 * does), or null when the list already has an item rule. The station applies it once (ScanService),
 * so a merchant who later removes the product rules keeps them removed.
 */
export function withProductRules(settings: ScanSettings): ScanSettings | null {
  if (settings.rules.some((r) => r.kind === 'item')) return null;
  const productRules: ScanRule[] = DEFAULT_SCAN_SETTINGS.rules.filter((r) => r.kind === 'item');
  const takesAProduct = (r: ScanRule): boolean => {
    if (r.kind === 'command') return false;
    const c = compileRulePattern(r.pattern);
    return c.ok && PRODUCT_SAMPLES.some((code) => c.re.test(code));
  };
  const at = settings.rules.findIndex(takesAProduct);
  const rules = at < 0 ? [...settings.rules, ...productRules] : [...settings.rules.slice(0, at), ...productRules, ...settings.rules.slice(at)];
  // The 200-rule cap: a list that full is left as its owner made it.
  if (rules.length > 200) return null;
  return { ...settings, rules };
}
