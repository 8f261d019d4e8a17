/**
 * Platform presets for appeal exports. Initial limits are the ones found in platforms' help pages
 * (shared/PRODUCT.md); platforms change them and most publish none, so every preset is editable in
 * settings and "custom" always takes explicit MB / seconds.
 */
import { ExportPresets, type ExportPreset } from '../../../shared/api.js';
import type { SettingsStore } from '../scans/settings-store.js';

export const DEFAULT_EXPORT_PRESETS: ExportPreset[] = [
  { id: 'original', name: { 'zh-CN': '原始视频', en: 'Original' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'The clip as recorded, byte for byte.' },
  { id: 'shopee', name: { 'zh-CN': 'Shopee 虾皮', en: 'Shopee' }, maxMb: 30, maxSeconds: 60, imagesOnly: false, note: 'Claim videos up to 30 MB and about 1 minute.' },
  { id: 'wechat-shop', name: { 'zh-CN': '微信小店', en: 'WeChat Shop' }, maxMb: 20, maxSeconds: null, imagesOnly: false, note: 'After-sale videos: MP4 up to 20 MB.' },
  { id: 'amazon', name: { 'zh-CN': '亚马逊买家消息', en: 'Amazon messaging' }, maxMb: 10, maxSeconds: null, imagesOnly: false, note: 'Buyer-Seller Messaging attachments up to 10 MB.' },
  { id: 'ebay', name: { 'zh-CN': 'eBay 争议（仅图片）', en: 'eBay dispute (images only)' }, maxMb: 1.75, maxSeconds: null, imagesOnly: true, note: 'Payment disputes take images only, 1.75 MB in all: upload the evidence sheet.' },
  // Limits not published where we looked: set them here once known.
  { id: 'taobao', name: { 'zh-CN': '淘宝/天猫', en: 'Taobao / Tmall' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'pinduoduo', name: { 'zh-CN': '拼多多', en: 'Pinduoduo' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'jd', name: { 'zh-CN': '京东', en: 'JD' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'douyin', name: { 'zh-CN': '抖音', en: 'Douyin' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
];

const KEY = 'export.presets';

export class ExportPresetsError extends Error {
  override name = 'ExportPresetsError';
}

export function loadPresets(settings: SettingsStore): ExportPreset[] {
  return settings.get(KEY, DEFAULT_EXPORT_PRESETS, (v) => ExportPresets.parse(v));
}

export function savePresets(settings: SettingsStore, value: unknown): ExportPreset[] {
  const parsed = ExportPresets.safeParse(value);
  if (!parsed.success) throw new ExportPresetsError(parsed.error.issues.map((i) => `${i.path.join('.') || 'presets'}: ${i.message}`).join('; '));
  settings.set(KEY, parsed.data);
  return parsed.data;
}

export function findPreset(presets: readonly ExportPreset[], id: string): ExportPreset {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new ExportPresetsError(`no export preset "${id}"; known: ${presets.map((x) => x.id).join(', ')}`);
  return p;
}
