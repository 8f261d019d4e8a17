import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ClipSearchResponse, ScanResponse, ScanSettings, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

// Real product codes with valid GS1 check digits (Nongfu Spring 550 ml; a GS1 China test code; an ISBN).
const EAN_WATER = '6921168509256';
const EAN_OTHER = '6901234567892';
const ISBN = '9787111213826';
const WAYBILL = 'SF1234567890123';
const LABEL_QR = 'https://www.sf-express.com/waybill/SF1234567890123';
const WAYBILL_LAST = 'YT1234567890123';

describe('product codes on a real station: never a new order; SKU-first files the clip under the waybill scanned last', () => {
  let station: StationProcess;
  const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scan = async (code: string): Promise<ScanResponse> => ScanResponse.parse(await (await station.api(routes.scans, json('POST', { code }))).json());
  const status = async (): Promise<StatusResponse> => StatusResponse.parse(await (await station.api(routes.status)).json());
  const search = async (q: string): Promise<number[]> => ClipSearchResponse.parse(await (await station.api(`${routes.clips}?q=${encodeURIComponent(q)}`)).json()).items.map((c) => c.id);
  const clip = async (id: number): Promise<Clip> => Clip.parse(await (await station.api(routes.clip(id))).json());
  const clipCount = (): number => {
    const db = openDatabase(join(station.dataDir, 'packwitness.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM clips').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  const r: Record<string, ScanResponse> = {};
  let clipsAfterStrayEan = -1;
  let activeWithItem: StatusResponse;
  let activeSkuFirst: StatusResponse;
  let activeFiled: StatusResponse;
  let skuFirstSaved: ScanSettings;

  beforeAll(async () => {
    station = await startStation();
    await sleep(2_000);
    // Default mode: the product on the bench scanned before the label.
    r.strayEan = await scan(EAN_WATER);
    clipsAfterStrayEan = clipCount();
    r.waybill = await scan(WAYBILL);
    await sleep(1_200);
    r.eanMidClip = await scan(EAN_WATER);
    await sleep(300);
    r.labelQr = await scan(LABEL_QR);
    activeWithItem = await status();
    await sleep(1_200);
    r.stop = await scan('PW-STOP');
    await sleep(2_500);

    // SKU-first: the label is printed after packing.
    const current = ScanSettings.parse(await (await station.api(routes.scanSettings)).json());
    const put = await station.api(routes.scanSettings, json('PUT', { ...current, startOn: 'item' }));
    expect(put.status).toBe(200);
    skuFirstSaved = ScanSettings.parse(await (await station.api(routes.scanSettings)).json());
    r.skuStart = await scan(EAN_OTHER);
    activeSkuFirst = await status();
    await sleep(1_200);
    r.skuSecond = await scan(EAN_WATER);
    await sleep(1_200);
    r.filed = await scan(WAYBILL_LAST);
    activeFiled = await status();
    await sleep(1_200);
    r.nextParcel = await scan(ISBN);
    await sleep(1_200);
    r.stop2 = await scan('PW-STOP');
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('a product code with no clip open is ignored and said so: no clip starts', () => {
    expect(r.strayEan).toMatchObject({ action: 'ignored', reason: 'item-no-clip', kind: 'item', id: null, code: EAN_WATER });
    expect(r.strayEan!.message['zh-CN']).toBe(`${EAN_WATER} 是商品条码，不是订单号或运单号：未开始录制`);
    expect(clipsAfterStrayEan).toBe(0);
  });

  it('a product code scanned mid-clip is attached as an item, and does not start a new clip', () => {
    expect(r.waybill).toMatchObject({ action: 'started', kind: 'waybill' });
    expect(r.eanMidClip).toMatchObject({ action: 'attached', reason: 'item-attached', kind: 'item', id: r.waybill!.id, endedId: null, duplicateOf: [] });
    expect(r.labelQr).toMatchObject({ action: 'ignored', reason: 'ignore-rule', kind: 'ignore', id: null });
    // The packer's screen keeps showing the waybill, not the products.
    expect(activeWithItem.activeClipId).toBe(r.waybill!.id);
    expect(activeWithItem.activeCodes).toEqual([WAYBILL]);
    expect(r.stop).toMatchObject({ action: 'stopped', id: r.waybill!.id });
  });

  it('the item is on the clip with its kind, and the clip is found by it', async () => {
    const c = await clip(r.waybill!.id!);
    expect(c.codeDetails.map((d) => [d.code, d.kind])).toEqual([
      [WAYBILL, 'waybill'],
      [EAN_WATER, 'item'],
    ]);
    expect(await search(EAN_WATER.slice(-6))).toContain(r.waybill!.id);
  });

  it('SKU-first: a product code starts the clip, the waybill scanned last files it, the next product starts the next', async () => {
    expect(skuFirstSaved.startOn).toBe('item');
    expect(r.skuStart).toMatchObject({ action: 'started', reason: 'item-started', kind: 'item' });
    const skuClip = r.skuStart!.id!;
    expect(activeSkuFirst.activeCodes).toEqual([EAN_OTHER]);
    // The water is on the first clip too: the same product in another parcel is no duplicate warning.
    expect(r.skuSecond).toMatchObject({ action: 'attached', reason: 'item-attached', id: skuClip, duplicateOf: [] });
    expect(r.filed).toMatchObject({ action: 'attached', reason: 'filed-under', kind: 'waybill', id: skuClip });
    expect(r.filed!.message.en).toBe(`Clip filed under ${WAYBILL_LAST}`);
    expect(activeFiled.activeCodes).toEqual([WAYBILL_LAST]);
    expect(r.nextParcel).toMatchObject({ action: 'switched', reason: 'next-scan', kind: 'item', endedId: skuClip });
    expect(r.nextParcel!.id).not.toBe(skuClip);

    const c = await clip(skuClip);
    expect(c.codeDetails.map((d) => [d.code, d.kind])).toEqual([
      [EAN_OTHER, 'item'],
      [EAN_WATER, 'item'],
      [WAYBILL_LAST, 'waybill'],
    ]);
    expect(c.status).toBe('closed');
    // Searching by the waybill finds the clip that was started on a product.
    expect(await search(WAYBILL_LAST)).toEqual([skuClip]);
    expect(await search(WAYBILL_LAST.slice(0, 6))).toEqual([skuClip]);
    expect((await clip(r.nextParcel!.id!)).codeDetails.map((d) => d.code)).toEqual([ISBN]);
  });
});

describe('a station whose scan rules were saved before product codes', () => {
  it('gets the product rules once, at its next start, and a merchant who removes them keeps them removed', async () => {
    let station = await startStation();
    const dataDir = station.dataDir;
    const getRules = async (): Promise<ScanSettings> => ScanSettings.parse(await (await station.api(routes.scanSettings)).json());
    const fresh = await getRules();
    expect(await station.stop()).toBe(0);

    // As such a station stored them: no item rule, and never offered the product rules.
    const old = { ...fresh, rules: fresh.rules.filter((r) => r.kind !== 'item') };
    const db = openDatabase(join(dataDir, 'packwitness.db'));
    db.prepare("UPDATE settings SET value = ? WHERE key = 'scan'").run(JSON.stringify(old));
    if (db.prepare("SELECT 1 FROM settings WHERE key = 'scan'").get() === undefined) {
      db.prepare("INSERT INTO settings (key, value, updated_ms) VALUES ('scan', ?, 0)").run(JSON.stringify(old));
    }
    db.prepare("DELETE FROM settings WHERE key = 'scanProductRulesAdded'").run();
    db.close();

    station = await startStation({ dataDir });
    const upgraded = await getRules();
    expect(upgraded.rules.filter((r) => r.kind === 'item').map((r) => r.name)).toEqual(fresh.rules.filter((r) => r.kind === 'item').map((r) => r.name));
    const put = await station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(old) });
    expect(put.status).toBe(200);
    expect(await station.stop()).toBe(0);

    station = await startStation({ dataDir });
    expect((await getRules()).rules.some((r) => r.kind === 'item')).toBe(false);
    expect(await station.stop()).toBe(0);
  }, 90_000);
});
