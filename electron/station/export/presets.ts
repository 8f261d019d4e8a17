/**
 * Platform presets for appeal exports, edited in the settings screen (GET/PUT
 * /api/settings/export-presets). Limits come from platforms' help pages where they publish any
 * (shared/PRODUCT.md, `published: true`); platforms change them, so every preset is editable, and
 * "custom" always takes explicit MB / seconds.
 *
 * Built-in presets (the ids below) can be edited and reset, never deleted; the operator's own
 * presets can be added and deleted. What older versions stored is upgraded when read (upgradeStored).
 */
import { ExportPreset, ExportPresets, type LocalizedText } from '../../../shared/api.js';
import { bothLanguages } from '../../../shared/messages/index.js';
import { msg, LocalizedError } from '../localized-error.js';
import { log } from '../log.js';
import type { SettingsStore } from '../scans/settings-store.js';

/**
 * Taobao/Tmall, Pinduoduo, JD and Douyin publish no size or length limit for dispute and after-sale
 * videos that we could find (PRODUCT.md), and exporting the original meant a 107 s clip became a
 * 38 MB file their forms may refuse. So a cautious default, NOT the platform's own figure:
 * - 20 MB: WeChat Shop's published limit for after-sale videos, the strictest video size limit found
 *   among the Chinese platforms; a 720p packing clip re-encoded to it stays readable (fit-plan.ts).
 * - 180 s: a packing clip (scan to label) runs 30-120 s, so three minutes keeps it in real time with no
 *   speed-up; Shopee's one minute would speed most clips up. Pre/post-roll is trimmed first anyway.
 * The export panel says they are not published and to check the platform's current rules.
 */
const UNPUBLISHED_LIMITS = { maxMb: 20, maxSeconds: 180 } as const;

/** A built-in preset's words: data the operator may edit, so both languages are stored. */
const text = (code: Parameters<typeof msg>[0]): LocalizedText => bothLanguages(msg(code));

const UNPUBLISHED_NOTE: LocalizedText = text('presets.unpublishedNote');

export const DEFAULT_EXPORT_PRESETS: readonly ExportPreset[] = [
  { id: 'original', name: text('presets.original'), maxMb: null, maxSeconds: null, imagesOnly: false, published: false, note: text('presets.originalNote') },
  { id: 'shopee', name: text('presets.shopee'), maxMb: 30, maxSeconds: 60, imagesOnly: false, published: true, note: text('presets.shopeeNote') },
  { id: 'wechat-shop', name: text('presets.weChatShop'), maxMb: 20, maxSeconds: null, imagesOnly: false, published: true, note: text('presets.weChatShopNote') },
  { id: 'amazon', name: text('presets.amazonMessaging'), maxMb: 10, maxSeconds: null, imagesOnly: false, published: true, note: text('presets.amazonNote') },
  {
    id: 'ebay',
    name: text('presets.ebay'),
    maxMb: 1.75,
    maxSeconds: null,
    imagesOnly: true,
    published: true,
    stills: 3,
    note: text('presets.ebayNote'),
  },
  { id: 'taobao', name: text('presets.taobaoTmall'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'pinduoduo', name: text('presets.pinduoduo'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'jd', name: text('presets.jd'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'douyin', name: text('presets.douyin'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  {
    id: 'tiktok-shop',
    name: text('presets.tikTokShop'),
    maxMb: null,
    maxSeconds: null,
    imagesOnly: true,
    published: false,
    stills: 6,
    note: text('presets.tikTokShopNote'),
  },
];

/** Still frames an images-only export adds (`stills`, else the built-in's, else 6); none for a video platform. */
export function stillsFor(preset: ExportPreset | null): number {
  if (!preset?.imagesOnly) return 0;
  return preset.stills ?? builtIn(preset.id)?.stills ?? 6;
}

/**
 * The built-in presets as the first version shipped them (English notes, no `published`, the Chinese
 * platforms without limits). A stored preset still equal to its entry here was never edited: it is
 * replaced by today's default.
 */
const FIRST_VERSION_DEFAULTS: Record<string, { maxMb: number | null; maxSeconds: number | null; imagesOnly: boolean; note: string }> = {
  original: { maxMb: null, maxSeconds: null, imagesOnly: false, note: 'The clip as recorded, byte for byte.' },
  shopee: { maxMb: 30, maxSeconds: 60, imagesOnly: false, note: 'Claim videos up to 30 MB and about 1 minute.' },
  'wechat-shop': { maxMb: 20, maxSeconds: null, imagesOnly: false, note: 'After-sale videos: MP4 up to 20 MB.' },
  amazon: { maxMb: 10, maxSeconds: null, imagesOnly: false, note: 'Buyer-Seller Messaging attachments up to 10 MB.' },
  ebay: { maxMb: 1.75, maxSeconds: null, imagesOnly: true, note: 'Payment disputes take images only, 1.75 MB in all: upload the evidence sheet.' },
  taobao: { maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  pinduoduo: { maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  jd: { maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  douyin: { maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
};

const KEY = 'export.presets';

export class ExportPresetsError extends LocalizedError {
  override name = 'ExportPresetsError';
}

const builtIn = (id: string): ExportPreset | undefined => DEFAULT_EXPORT_PRESETS.find((p) => p.id === id);

/**
 * A stored preset from an older version in today's shape: a note that was one English string becomes
 * both languages (a first-version default note becomes today's bilingual one), a missing `published`
 * is the built-in's when the limits are still the built-in's (else false: typed by someone), and a
 * built-in nobody edited takes today's defaults whole (the Chinese platforms get their limits).
 */
export function upgradeStoredPreset(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const p = raw as Record<string, unknown>;
  const id = typeof p.id === 'string' ? p.id : '';
  const def = builtIn(id);
  const first = FIRST_VERSION_DEFAULTS[id];
  if (def && first && typeof p.note === 'string' && !('published' in p)) {
    const untouched = p.maxMb === first.maxMb && p.maxSeconds === first.maxSeconds && (p.imagesOnly ?? false) === first.imagesOnly && p.note === first.note;
    const name = p.name as Partial<LocalizedText> | undefined;
    const sameName = name?.en === def.name.en && name?.['zh-CN'] === def.name['zh-CN'];
    if (untouched && sameName) return { ...def };
  }
  const out: Record<string, unknown> = { ...p };
  if (typeof p.note === 'string') out.note = def && first && p.note === first.note ? def.note : { en: p.note, 'zh-CN': p.note };
  if (!('published' in p)) out.published = def !== undefined && p.maxMb === def.maxMb && p.maxSeconds === def.maxSeconds ? def.published : false;
  return out;
}

/**
 * The presets in force: the stored list, upgraded and checked one preset at a time (a built-in that no
 * longer validates is its default again; an operator's preset that does not is left out, with a
 * warning), then any built-in missing from it (one added by a newer version) at the end.
 */
export function loadPresets(settings: SettingsStore): ExportPreset[] {
  const stored = settings.get<unknown>(KEY, null, (v) => v);
  if (stored === null) return DEFAULT_EXPORT_PRESETS.map((p) => ({ ...p }));
  if (!Array.isArray(stored)) {
    log.warn('stored export presets are not a list; using the defaults', { key: KEY });
    return DEFAULT_EXPORT_PRESETS.map((p) => ({ ...p }));
  }
  const out: ExportPreset[] = [];
  for (const raw of stored) {
    const parsed = ExportPreset.safeParse(upgradeStoredPreset(raw));
    const id = parsed.success ? parsed.data.id : typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '';
    if (out.some((p) => p.id === id)) continue;
    if (parsed.success) out.push(parsed.data);
    else if (builtIn(id)) {
      log.warn('a stored export preset is invalid; using its default', { id, error: parsed.error.issues[0]?.message });
      out.push({ ...builtIn(id)! });
    } else log.warn('a stored export preset is invalid; it was left out', { id, error: parsed.error.issues[0]?.message });
  }
  for (const d of DEFAULT_EXPORT_PRESETS) if (!out.some((p) => p.id === d.id)) out.push({ ...d });
  return out;
}

/** The sentence a schema issue becomes: which preset, which field, what is wrong. */
function issueSentence(value: unknown, issue: { path: PropertyKey[]; message: string }): string {
  const [index, field, sub] = issue.path;
  if (typeof index !== 'number') return `export presets: ${issue.message}`;
  // Named by its id when that is a valid one: a name may be the very text refused (a line break in it).
  const id = Array.isArray(value) ? (value[index] as { id?: unknown } | undefined)?.id : undefined;
  const who = typeof id === 'string' && /^[a-z0-9-]{1,32}$/.test(id) ? `"${id}"` : `number ${index + 1}`;
  const what = field === undefined ? '' : ` ${String(field)}${sub === undefined ? '' : ` (${String(sub)})`}`;
  return `export preset ${who}${what}: ${issue.message}`;
}

/**
 * Checked as the settings screen checks (the schema), plus what only the station knows: built-ins are
 * never deleted (reset them instead), and `original` stays the clip as recorded. One sentence, and
 * nothing stored, on any refusal.
 */
export function savePresets(settings: SettingsStore, value: unknown): ExportPreset[] {
  const parsed = ExportPresets.safeParse(value);
  if (!parsed.success) throw new ExportPresetsError(issueSentence(value, parsed.error.issues[0]!));
  for (const d of DEFAULT_EXPORT_PRESETS) {
    if (!parsed.data.some((p) => p.id === d.id)) {
      throw new ExportPresetsError(
        msg('presets.builtInNotDeleted', { name: d.name, id: d.id }),
      );
    }
  }
  const original = parsed.data.find((p) => p.id === 'original')!;
  if (original.maxMb !== null || original.maxSeconds !== null || original.imagesOnly) {
    throw new ExportPresetsError(msg('presets.originalTakesNoLimits'));
  }
  settings.set(KEY, parsed.data);
  return parsed.data;
}

export function findPreset(presets: readonly ExportPreset[], id: string): ExportPreset {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new ExportPresetsError(msg('presets.noPreset', { id, known: presets.map((x) => x.id).join(', ') }));
  return p;
}
