/**
 * Hand-over mode on a real station: a parcel packed at the bench and later scanned at the
 * dispatch point (after PW-SHIP) has two clips, found by one search, each linking the other, also
 * when packing scanned the order number and dispatch the waybill (an imported order knows both).
 * The dispatch-point setting makes a restarted station start in hand-over mode.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ClipSearchResponse, ExportJob, OrderImportResult, ScanResponse, ScanSettings, StatusResponse, routes } from '../../shared/api.js';
import { LABELS } from '../../electron/station/export/sheet-text.js';
import { pdfText } from '../helpers/pdf-text.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const WAYBILL_A = 'SF5550001112223';
const ORDER_B = '240601-123456789012345'; // a Pinduoduo order number
const WAYBILL_B = 'YT4455667788990';
const WAYBILL_C = 'SF9876543210987';

describe('hand-over mode: packing and hand-over clips of one parcel on a real station', () => {
  let station: StationProcess;
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scan = async (code: string): Promise<ScanResponse> => ScanResponse.parse(await (await station.api(routes.scans, json({ code }))).json());
  const clip = async (id: number): Promise<Clip> => Clip.parse(await (await station.api(routes.clip(id))).json());
  const status = async (): Promise<StatusResponse> => StatusResponse.parse(await (await station.api(routes.status)).json());
  const search = async (q: string): Promise<ClipSearchResponse> => ClipSearchResponse.parse(await (await station.api(`${routes.clips}?q=${encodeURIComponent(q)}`)).json());
  const saveScanSettings = async (patch: Partial<ScanSettings>): Promise<Response> => {
    const current = ScanSettings.parse(await (await station.api(routes.scanSettings)).json());
    return station.api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current, ...patch }) });
  };

  const s: Record<string, ScanResponse> = {};
  beforeAll(async () => {
    station = await startStation();
    OrderImportResult.parse(
      await (await station.api(routes.orders, json({ platform: '拼多多', orders: [{ orderNo: ORDER_B, waybills: [WAYBILL_B], items: [{ name: '陶瓷杯', qty: 1 }] }] }))).json(),
    );
    await sleep(1_500);
    // At the packing bench: A by its waybill, B by its order number.
    s.packA = await scan(WAYBILL_A);
    await sleep(1_500);
    s.packB = await scan(ORDER_B);
    await sleep(1_500);
    await scan('PW-STOP');
    await sleep(2_500);
    // At the dispatch point: both by their waybills, one after the other, as the courier takes them.
    s.ship = await scan('PW-SHIP');
    s.shipA = await scan(WAYBILL_A);
    await sleep(1_500);
    s.shipB = await scan(WAYBILL_B);
    await sleep(1_500);
    await scan('PW-STOP');
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('PW-SHIP switches to hand-over mode; a waybill packed earlier is no duplicate there', async () => {
    expect(s.ship).toMatchObject({ action: 'mode', mode: 'ship', kind: 'command' });
    expect(s.ship!.message.en).toBe('Mode: hand-over');
    expect(s.ship!.message['zh-CN']).toBe('已切换为发货交接模式');
    expect(s.shipA).toMatchObject({ action: 'started', mode: 'ship', code: WAYBILL_A, duplicateOf: [] });
    expect(s.shipB).toMatchObject({ action: 'switched', mode: 'ship', endedId: s.shipA!.id });
    expect((await status()).mode).toBe('ship');
    expect((await clip(s.shipA!.id!)).mode).toBe('ship');
  });

  it('one search for a code lists the packing clip and the hand-over clip together', async () => {
    const found = await search(WAYBILL_A.slice(-6));
    expect(found.items.map((c) => [c.id, c.mode]).sort()).toEqual(
      [
        [s.packA!.id, 'pack'],
        [s.shipA!.id, 'ship'],
      ].sort(),
    );
    // By the order number: the order's packing clip and the hand-over clip that scanned only its waybill.
    expect((await search(ORDER_B)).items.map((c) => [c.id, c.mode]).sort()).toEqual(
      [
        [s.packB!.id, 'pack'],
        [s.shipB!.id, 'ship'],
      ].sort(),
    );
  });

  it('each clip links the other: the same waybill, or the same order by its number and its waybill', async () => {
    const [packA, shipA, packB, shipB] = await Promise.all([s.packA, s.shipA, s.packB, s.shipB].map((x) => clip(x!.id!)));
    expect(packA!.related).toEqual([{ id: shipA!.id, station: shipA!.station, mode: 'ship', status: 'closed', codes: [WAYBILL_A], startedAt: shipA!.startedAt, endedAt: shipA!.endedAt }]);
    expect(shipA!.related?.map((r) => [r.id, r.mode])).toEqual([[packA!.id, 'pack']]);
    expect(packB!.codes).toEqual([ORDER_B]);
    expect(shipB!.codes).toEqual([WAYBILL_B]);
    expect(packB!.related?.map((r) => [r.id, r.mode, r.codes])).toEqual([[shipB!.id, 'ship', [WAYBILL_B]]]);
    expect(shipB!.related?.map((r) => [r.id, r.mode, r.codes])).toEqual([[packB!.id, 'pack', [ORDER_B]]]);
    // Clips of the same mode are not "related" (A's and B's packing clips share nothing anyway).
    expect(packA!.related?.some((r) => r.mode === 'pack')).toBe(false);
  });

  it("names the hand-over clip, with its video's SHA-256, on the packing clip's evidence sheet", async () => {
    const ready = (id: number) => waitFor(async () => ((await clip(id)).video ? clip(id) : undefined), 30_000, `clip ${id}'s video`);
    const [packA, shipA] = await Promise.all([ready(s.packA!.id!), ready(s.shipA!.id!)]);
    const res = await station.api(routes.clipExport(packA.id), json({ preset: 'original', sheet: true, locale: 'en' }));
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    const done = await waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      return j.state === 'queued' || j.state === 'running' ? undefined : j;
    }, 60_000, 'the export job');
    expect(done.state, done.error ?? '').toBe('done');
    const pdf = join(station.dataDir, 'sheet-handover.pdf');
    writeFileSync(pdf, Buffer.from(await (await station.api(routes.exportFile(job.id, 'sheet-pdf'))).arrayBuffer()));
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    // pdftotext reads the label column before the values.
    expect(text).toContain(`${LABELS.en.sameParcel} ${LABELS.en.sameParcelSha}`);
    expect(text).toMatch(new RegExp(`${LABELS.en.modes.ship!.replace(/[()]/g, '\\$&')} · ${shipA.station} · [-0-9]+ [:.0-9]+ UTC[+-][:0-9]+ · #${shipA.id} ${shipA.video!.sha256}`));
    expect(text).toContain(packA.video!.sha256);
  }, 90_000);

  it('ends a hand-over clip by itself at the hand-over length', async () => {
    expect((await saveScanSettings({ handoverClipMs: 5_000 })).status).toBe(200);
    const c = await scan(WAYBILL_C);
    expect(c).toMatchObject({ action: 'started', mode: 'ship' });
    const ended = await waitFor(async () => {
      const x = await clip(c.id!);
      return x.status === 'closed' ? x : undefined;
    }, 12_000, 'the hand-over clip to end by itself');
    expect(ended.endReason).toBe('max-length');
    expect(Date.parse(ended.endedAt!) - Date.parse(ended.startedAt)).toBeGreaterThanOrEqual(5_000);
    expect(Date.parse(ended.endedAt!) - Date.parse(ended.startedAt)).toBeLessThan(5_000 + 1_000);
  }, 20_000);

  it('a station made the dispatch point starts in hand-over mode after a restart; without it, in the mode it had', async () => {
    await scan('PW-PACK');
    expect((await status()).mode).toBe('pack');
    expect((await saveScanSettings({ dispatchPoint: true })).status).toBe(200);
    // Made the dispatch point: the next clip is a hand-over at once.
    expect((await status()).mode).toBe('ship');
    // The packer switches to packing for a while (past the double-scan window of the last PW-PACK);
    // the next start is at the dispatch point again.
    await sleep(2_100);
    await scan('PW-PACK');
    expect((await status()).mode).toBe('pack');
    const dataDir = station.dataDir;
    expect(await station.stop()).toBe(0);
    station = await startStation({ dataDir });
    expect((await status()).mode).toBe('ship');
    expect(ScanSettings.parse(await (await station.api(routes.scanSettings)).json()).dispatchPoint).toBe(true);

    expect((await saveScanSettings({ dispatchPoint: false })).status).toBe(200);
    await scan('PW-PACK');
    expect(await station.stop()).toBe(0);
    station = await startStation({ dataDir });
    expect((await status()).mode).toBe('pack');
  }, 60_000);
});
