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
import { both, LocalizedError } from '../localized-error.js';
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

const UNPUBLISHED_NOTE: LocalizedText = both(
  'The platform publishes no limit for dispute videos: a cautious default, small enough for the strictest limits seen elsewhere. Change it if the upload form says otherwise.',
  '平台未公布售后举证视频的大小和时长限制：这是按其他平台最严格限制设定的保守默认值。若上传页面另有规定，请修改。',
);

export const DEFAULT_EXPORT_PRESETS: readonly ExportPreset[] = [
  { id: 'original', name: both('Original', '原始视频'), maxMb: null, maxSeconds: null, imagesOnly: false, published: false, note: both('The clip as recorded, byte for byte.', '按录制原样导出，逐字节一致。') },
  { id: 'shopee', name: both('Shopee', 'Shopee 虾皮'), maxMb: 30, maxSeconds: 60, imagesOnly: false, published: true, note: both('Claim videos up to 30 MB and about 1 minute.', '索赔视频最大 30 MB，约 1 分钟。') },
  { id: 'wechat-shop', name: both('WeChat Shop', '微信小店'), maxMb: 20, maxSeconds: null, imagesOnly: false, published: true, note: both('After-sale videos: MP4 up to 20 MB.', '售后视频：MP4 格式，最大 20 MB。') },
  { id: 'amazon', name: both('Amazon messaging', '亚马逊买家消息'), maxMb: 10, maxSeconds: null, imagesOnly: false, published: true, note: both('Buyer-Seller Messaging attachments up to 10 MB.', '买家与卖家消息的附件最大 10 MB。') },
  {
    id: 'ebay',
    name: both('eBay dispute (images only)', 'eBay 争议（仅图片）'),
    maxMb: 1.75,
    maxSeconds: null,
    imagesOnly: true,
    published: true,
    stills: 3,
    note: both('Payment disputes take images only, 1.75 MB in all: upload the evidence sheet.', '付款争议只接受图片，合计 1.75 MB：请上传证据图。'),
  },
  { id: 'taobao', name: both('Taobao / Tmall', '淘宝/天猫'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'pinduoduo', name: both('Pinduoduo', '拼多多'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'jd', name: both('JD', '京东'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  { id: 'douyin', name: both('Douyin', '抖音'), ...UNPUBLISHED_LIMITS, imagesOnly: false, published: false, note: UNPUBLISHED_NOTE },
  {
    id: 'tiktok-shop',
    name: both('TikTok Shop (packing stills)', 'TikTok Shop（打包截图）'),
    maxMb: null,
    maxSeconds: null,
    imagesOnly: true,
    published: false,
    stills: 6,
    note: both(
      'Appeals ask for up to 6 packing pictures: upload the still frames (time and codes are in each). Check the form for its current rules.',
      '申诉最多上传 6 张打包图片：请上传截图（每张都带时间和单号）。请以申诉页面的现行规定为准。',
    ),
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
  if (typeof p.note === 'string') out.note = def && first && p.note === first.note ? def.note : both(p.note, p.note);
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
        both(`the built-in preset "${d.name.en}" (${d.id}) cannot be deleted; reset it to its defaults instead`, `内置预设“${d.name['zh-CN']}”（${d.id}）不能删除；可以将其恢复为默认值`),
      );
    }
  }
  const original = parsed.data.find((p) => p.id === 'original')!;
  if (original.maxMb !== null || original.maxSeconds !== null || original.imagesOnly) {
    throw new ExportPresetsError(both('the "original" preset is the clip as recorded: it takes no size or length limit and is not images-only', '“原始视频”预设即按录制原样导出：不能设置大小或时长限制，也不能设为仅图片'));
  }
  settings.set(KEY, parsed.data);
  return parsed.data;
}

export function findPreset(presets: readonly ExportPreset[], id: string): ExportPreset {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new ExportPresetsError(both(`no export preset "${id}"; known: ${presets.map((x) => x.id).join(', ')}`, `没有导出预设“${id}”；现有：${presets.map((x) => x.id).join(', ')}`));
  return p;
}
