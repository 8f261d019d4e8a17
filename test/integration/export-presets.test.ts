/**
 * Export presets over the real API of a real station: the Chinese platforms have cautious
 * limits marked as not published, notes in both languages, presets saved from older versions are
 * upgraded when read, and a PUT is checked by the station (built-ins are never deleted, `original`
 * takes no limit) with one sentence and nothing stored.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponse, ExportPresets, routes, type ExportPreset } from '../../shared/api.js';
import { DEFAULT_EXPORT_PRESETS } from '../../electron/station/export/presets.js';
import { startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

const json = { 'content-type': 'application/json' };

/** What the first version stored (its defaults, saved whole by any PUT), as it wrote them. */
const FIRST_VERSION = [
  { id: 'original', name: { 'zh-CN': '原始视频', en: 'Original' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'The clip as recorded, byte for byte.' },
  { id: 'shopee', name: { 'zh-CN': 'Shopee 虾皮', en: 'Shopee' }, maxMb: 30, maxSeconds: 60, imagesOnly: false, note: 'Claim videos up to 30 MB and about 1 minute.' },
  { id: 'wechat-shop', name: { 'zh-CN': '微信小店', en: 'WeChat Shop' }, maxMb: 20, maxSeconds: null, imagesOnly: false, note: 'After-sale videos: MP4 up to 20 MB.' },
  { id: 'amazon', name: { 'zh-CN': '亚马逊买家消息', en: 'Amazon messaging' }, maxMb: 10, maxSeconds: null, imagesOnly: false, note: 'Buyer-Seller Messaging attachments up to 10 MB.' },
  { id: 'ebay', name: { 'zh-CN': 'eBay 争议（仅图片）', en: 'eBay dispute (images only)' }, maxMb: 1.75, maxSeconds: null, imagesOnly: true, note: 'Payment disputes take images only, 1.75 MB in all: upload the evidence sheet.' },
  { id: 'taobao', name: { 'zh-CN': '淘宝/天猫', en: 'Taobao / Tmall' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'pinduoduo', name: { 'zh-CN': '拼多多', en: 'Pinduoduo' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'jd', name: { 'zh-CN': '京东', en: 'JD' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
  { id: 'douyin', name: { 'zh-CN': '抖音', en: 'Douyin' }, maxMb: null, maxSeconds: null, imagesOnly: false, note: 'Limit unknown: set MB / seconds.' },
];

describe('export presets', () => {
  describe('on a new station', () => {
    let station: StationProcess;
    beforeAll(async () => {
      station = await startStation();
    });
    afterAll(async () => {
      await station?.stop();
    });
    const get = async (): Promise<ExportPreset[]> => ExportPresets.parse(await (await station.api(routes.exportPresets)).json());
    const put = (body: unknown) => station.api(routes.exportPresets, { method: 'PUT', headers: json, body: JSON.stringify(body) });

    it('give Taobao/Tmall, Pinduoduo, JD and Douyin 20 MB and 3 minutes, marked as not published, with notes in both languages', async () => {
      const presets = await get();
      for (const id of ['taobao', 'pinduoduo', 'jd', 'douyin']) {
        const p = presets.find((x) => x.id === id)!;
        expect(p, id).toMatchObject({ maxMb: 20, maxSeconds: 180, published: false });
        expect(p.note['zh-CN']).toMatch(/平台未公布/);
        expect(p.note.en).toMatch(/publishes no limit/);
      }
      for (const id of ['shopee', 'wechat-shop', 'amazon', 'ebay']) expect(presets.find((x) => x.id === id)!.published, id).toBe(true);
      for (const p of presets) expect(p.note['zh-CN'], p.id).toMatch(/[\u4e00-\u9fff]/);
      expect(ExportPresets.parse(await (await station.api(routes.exportPresetDefaults)).json())).toEqual(presets);
    });

    it('save an edited built-in and an operator\'s own preset, and give them back', async () => {
      const presets = await get();
      const edited = presets.map((p) => (p.id === 'taobao' ? { ...p, maxMb: 15, published: true, note: { 'zh-CN': '卖家中心写明 15 MB', en: 'Seller centre says 15 MB' } } : p));
      const own: ExportPreset = { id: 'custom-1', name: { 'zh-CN': '快手', en: 'Kuaishou' }, maxMb: 50, maxSeconds: null, imagesOnly: false, published: false, note: { 'zh-CN': '', en: '' } };
      const res = await put([...edited, own]);
      expect(res.status).toBe(200);
      const after = await get();
      expect(after.find((p) => p.id === 'taobao')).toMatchObject({ maxMb: 15, published: true, note: { 'zh-CN': '卖家中心写明 15 MB' } });
      expect(after.at(-1)).toEqual(own);
      // The defaults stay what the station ships, for the screen's "reset".
      expect(ExportPresets.parse(await (await station.api(routes.exportPresetDefaults)).json()).find((p) => p.id === 'taobao')!.maxMb).toBe(20);
    });

    it('refuse, in one sentence each and storing nothing: a deleted built-in, a limit on original, a bad limit, a name with a line break, two alike ids', async () => {
      const before = await get();
      const refusal = async (body: unknown): Promise<ErrorResponse> => {
        const res = await put(body);
        expect(res.status).toBe(400);
        return ErrorResponse.parse(await res.json());
      };
      const deleted = await refusal(before.filter((p) => p.id !== 'jd'));
      expect(deleted.error).toBe('the built-in preset "JD" (jd) cannot be deleted; reset it to its defaults instead');
      expect(deleted.message?.['zh-CN']).toBe('内置预设“京东”（jd）不能删除；可以将其恢复为默认值');
      const original = await refusal(before.map((p) => (p.id === 'original' ? { ...p, maxMb: 10 } : p)));
      expect(original.error).toMatch(/^the "original" preset is the clip as recorded: it takes no size or length limit/);
      const negative = await refusal(before.map((p) => (p.id === 'douyin' ? { ...p, maxMb: -1 } : p)));
      expect(negative.error).toMatch(/^export preset "douyin" maxMb: .*>0/);
      const broken = await refusal(before.map((p) => (p.id === 'shopee' ? { ...p, name: { ...p.name, en: 'Shopee\nclaims' } } : p)));
      expect(broken.error).toBe('export preset "shopee" name (en): a name must not contain control characters, line breaks or text-direction marks');
      const twice = await refusal([...before, { ...before.at(-1)! }]);
      expect(twice.error).toBe('export presets: preset ids must all be different');
      // One sentence: no line break, no second sentence after a full stop.
      for (const r of [deleted, original, negative, broken, twice]) expect(r.error, r.error).not.toMatch(/\n|\.\s+[A-Z]/);
      expect(await get()).toEqual(before);
    });
  });

  describe('saved by an older version', () => {
    let station: StationProcess;
    afterAll(async () => {
      await station?.stop();
    });

    it('are upgraded when read: untouched built-ins take today\'s defaults, edits are kept, notes become bilingual, a broken one is dropped', async () => {
      const dataDir = tempDataDir();
      // A station made the database; then the older version's presets go in, as it stored them.
      await (await startStation({ dataDir })).stop();
      const stored = [
        ...FIRST_VERSION.filter((p) => p.id !== 'douyin' && p.id !== 'jd'),
        { ...FIRST_VERSION.find((p) => p.id === 'jd')!, maxMb: 50 },
        { id: 'kuaishou', name: { 'zh-CN': '快手', en: 'Kuaishou' }, maxMb: 40, maxSeconds: 120, imagesOnly: false, note: 'From the seller help page, 2026-10.' },
        { id: 'Bad Id', name: { 'zh-CN': '坏', en: 'Bad' }, maxMb: 1, maxSeconds: null, imagesOnly: false, note: '' },
      ];
      const db = new Database(join(dataDir, 'packwitness.db'));
      db.prepare('INSERT INTO settings (key, value, updated_ms) VALUES (?, ?, ?)').run('export.presets', JSON.stringify(stored), Date.now());
      db.close();

      station = await startStation({ dataDir });
      const res = await station.api(routes.exportPresets);
      expect(res.status).toBe(200);
      const presets = ExportPresets.parse(await res.json());
      const byId = (id: string) => presets.find((p) => p.id === id);
      // Never edited: today's defaults, limits and all.
      for (const id of ['original', 'shopee', 'wechat-shop', 'amazon', 'ebay', 'taobao', 'pinduoduo']) expect(byId(id), id).toEqual(DEFAULT_EXPORT_PRESETS.find((p) => p.id === id));
      // Edited: the operator's limit stays, not marked as published; the old default note is today's.
      expect(byId('jd')).toMatchObject({ maxMb: 50, maxSeconds: null, published: false, note: DEFAULT_EXPORT_PRESETS.find((p) => p.id === 'jd')!.note });
      // The operator's own: its note in both languages, as written.
      expect(byId('kuaishou')).toEqual({ id: 'kuaishou', name: { 'zh-CN': '快手', en: 'Kuaishou' }, maxMb: 40, maxSeconds: 120, imagesOnly: false, published: false, note: { 'zh-CN': 'From the seller help page, 2026-10.', en: 'From the seller help page, 2026-10.' } });
      expect(byId('Bad Id')).toBeUndefined();
      // A built-in the stored list lacked is there again.
      expect(byId('douyin')).toEqual(DEFAULT_EXPORT_PRESETS.find((p) => p.id === 'douyin'));
      expect(presets.map((p) => p.id)).toEqual(['original', 'shopee', 'wechat-shop', 'amazon', 'ebay', 'taobao', 'pinduoduo', 'jd', 'kuaishou', 'douyin', 'tiktok-shop']);

      // The upgraded list saves as it is.
      const saved = await station.api(routes.exportPresets, { method: 'PUT', headers: json, body: JSON.stringify(presets) });
      expect(saved.status).toBe(200);
      expect(ExportPresets.parse(await (await station.api(routes.exportPresets)).json())).toEqual(presets);
    });
  });
});
