/**
 * Packer names at a real station: the settings' API lists, adds, renames and removes the names on the
 * badges (operator only, checked against the station's own badge rule); a badge signs in under its
 * name, and the overlay's station line says so from the next frame; a clip keeps the name it was
 * packed under through a rename; an unknown badge signs in under its code; search finds by name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ClipSearchResponse, ErrorResponse, Packer, PackersResponse, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const WAYBILL = 'SF3141592653589';
const ORDER = '260101-777001';

describe('packers have names: the API, the overlay, the clips', () => {
  let station: StationProcess;
  const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scan = async (code: string): Promise<ScanResponse> => ScanResponse.parse(await (await station.api(routes.scans, json('POST', { code }))).json());
  const clip = async (id: number) => Clip.parse(await (await station.api(routes.clip(id))).json());
  const overlayFile = (): string => {
    const dir = join(station.dataDir, 'overlay');
    return readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.txt'))!), 'utf8');
  };

  beforeAll(async () => {
    station = await startStation();
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('adds, lists, renames and removes packers; refuses a code the badge rule would not read, a taken code, a bad name', async () => {
    expect(PackersResponse.parse(await (await station.api(routes.packers)).json())).toEqual({ packers: [] });
    const added = await station.api(routes.packers, json('POST', { code: ' pk-wang ', name: ' 王小明 ' }));
    expect(added.status).toBe(201);
    expect(Packer.parse(await added.json())).toMatchObject({ code: 'PK-WANG', name: '王小明' });

    const notBadge = await station.api(routes.packers, json('POST', { code: 'SF1234567890', name: 'x' }));
    expect(notBadge.status).toBe(400);
    const nb = ErrorResponse.parse(await notBadge.json());
    expect(nb.error).toMatch(/SF1234567890 is not read as a badge/);
    expect(nb.message?.['zh-CN']).toMatch(/不会把 SF1234567890 识别为工牌/);

    expect((await station.api(routes.packers, json('POST', { code: 'PK-WANG', name: '别人' }))).status).toBe(409);
    const badName = await station.api(routes.packers, json('POST', { code: 'PK-EVE', name: 'Eve\n%{localtime}' }));
    expect(badName.status).toBe(400);
    expect(ErrorResponse.parse(await badName.json()).error).toMatch(/packer name must not contain control characters/);
    expect((await station.api(routes.packers, json('POST', { code: 'PK-EVE', name: 'Eve', extra: 1 }))).status).toBe(400);

    expect((await station.api(routes.packers, json('POST', { code: 'PK-TMP', name: '临时' }))).status).toBe(201);
    const removed = await station.api(routes.packer('pk-tmp'), { method: 'DELETE' });
    expect(PackersResponse.parse(await removed.json()).packers.map((p) => p.code)).toEqual(['PK-WANG']);
    expect((await station.api(routes.packer('PK-TMP'), { method: 'DELETE' })).status).toBe(404);
    expect((await station.api(routes.packer('PK-NONE'), json('PUT', { name: 'x' }))).status).toBe(404);
    // Operator only: without the token, nothing.
    expect((await fetch(station.origin + routes.packers)).status).toBe(401);
  });

  it('a badge signs in under its name, shown in the overlay at once and recorded on the clip with the order', async () => {
    const pushed = await station.api(routes.orders, json('POST', { orders: [{ orderNo: ORDER, waybills: [WAYBILL], items: [{ name: '马克杯', sku: 'MUG', qty: 2 }] }] }));
    expect(pushed.status).toBe(200);
    const signIn = await scan('PK-WANG');
    expect(signIn).toMatchObject({ action: 'packer', packer: 'PK-WANG', packerName: '王小明' });
    expect(StatusResponse.parse(await (await station.api(routes.status)).json())).toMatchObject({ packer: 'PK-WANG', packerName: '王小明' });
    await waitFor(() => overlayFile().includes('打包员 王小明 (PK-WANG)'), 5_000, 'the overlay file to name the packer');

    const start = await scan(WAYBILL);
    expect(start.action).toBe('started');
    expect(start.order?.orderNo).toBe(ORDER);
    await sleep(1_000);
    // Renamed while the clip runs: the overlay follows, the clip keeps the name it started under.
    expect(Packer.parse(await (await station.api(routes.packer('PK-WANG'), json('PUT', { name: '王大明' }))).json()).name).toBe('王大明');
    await waitFor(() => overlayFile().includes('打包员 王大明 (PK-WANG)'), 5_000, 'the overlay file to show the new name');
    await scan('PW-STOP');
    const c = await clip(start.id!);
    expect(c).toMatchObject({ packer: 'PK-WANG', packerName: '王小明', order: { orderNo: ORDER, items: [{ name: '马克杯', sku: 'MUG', qty: 2 }] } });

    // Search by the badge, by the name it was packed under, and by the packer's name now.
    const search = async (p: string) => ClipSearchResponse.parse(await (await station.api(`${routes.clips}?packer=${encodeURIComponent(p)}`)).json()).items;
    const byName = await search('王小明');
    expect(byName.map((x) => x.id)).toEqual([start.id]);
    expect(byName[0]).toMatchObject({ packer: 'PK-WANG', packerName: '王小明' });
    expect((await search('王大明')).map((x) => x.id)).toEqual([start.id]);
    expect((await search('pk-wang')).map((x) => x.id)).toEqual([start.id]);
    expect(await search('王')).toEqual([]);

    await scan('PW-LOGOUT');
    await waitFor(() => !overlayFile().includes('打包员'), 5_000, 'the overlay file to drop the packer');
  });

  it('an unknown badge still signs in, under its code', async () => {
    const r = await scan('PK-GHOST');
    expect(r).toMatchObject({ action: 'packer', packer: 'PK-GHOST', packerName: 'PK-GHOST' });
    await waitFor(() => overlayFile().endsWith('打包员 PK-GHOST'), 5_000, 'the overlay file to show the badge');
    const start = await scan('SF2718281828459');
    await scan('PW-CANCEL');
    expect(await clip(start.id!)).toMatchObject({ packer: 'PK-GHOST', packerName: 'PK-GHOST' });
  });
});
