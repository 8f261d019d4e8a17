/**
 * Packers at a real station: a badge signs in, the next badge or PW-LOGOUT signs out,
 * clips record who was signed in when they started, search filters by packer; and the statistics
 * (parcels per packer per hour and day, median packing time, clips with warnings) are checked
 * against the database itself.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ClipSearchResponse, ScanResponse, StatsResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

const A = '3909100000000000001';
const B = '3909100000000000002';
const C = '3909100000000000003';

describe('packers sign in by badge; clips and statistics know who packed', () => {
  let station: StationProcess;
  const scan = async (code: string): Promise<ScanResponse> =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const clip = async (id: number) => Clip.parse(await (await station.api(routes.clip(id))).json());
  const byPacker = async (p: string) => ClipSearchResponse.parse(await (await station.api(`${routes.clips}?packer=${encodeURIComponent(p)}`)).json()).items.map((c) => c.id);
  const r: Record<string, ScanResponse> = {};

  beforeAll(async () => {
    station = await startStation();
    await sleep(1_500);
    r.zhang = await scan('PK-ZHANG');
    r.a = await scan(A);
    await sleep(1_200);
    r.li = await scan('pk-li'); // the next packer's badge, mid-parcel; lower case as some scanners send
    await sleep(800);
    r.b = await scan(B);
    await sleep(1_500);
    r.logout = await scan('PW-LOGOUT');
    r.c = await scan(C);
    await sleep(1_000);
    r.aAgain = await scan(A); // a second parcel under A's number: a duplicate warning
    await sleep(1_000);
    await scan('PW-STOP');
    await sleep(500);
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('a badge signs in, the next badge replaces it, PW-LOGOUT signs out; no clip starts or ends for them', async () => {
    expect(r.zhang).toMatchObject({ action: 'packer', reason: 'packer-signed-in', kind: 'packer', packer: 'PK-ZHANG', id: null });
    expect(r.zhang!.message).toEqual({ 'zh-CN': '打包员 PK-ZHANG 已签到', en: 'Packer PK-ZHANG signed in' });
    expect(r.li).toMatchObject({ action: 'packer', reason: 'packer-signed-in', packer: 'PK-LI' });
    expect(r.logout).toMatchObject({ action: 'packer', reason: 'packer-signed-out', packer: null });
    expect(r.b).toMatchObject({ action: 'switched', endedId: r.a!.id });
    expect((await status()).packer).toBeNull();
  });

  it('each clip records the packer signed in when it started', async () => {
    expect((await clip(r.a!.id!)).packer).toBe('PK-ZHANG');
    expect((await clip(r.b!.id!)).packer).toBe('PK-LI');
    expect((await clip(r.c!.id!)).packer).toBeNull();
  });

  it('search filters by packer, whatever the case typed', async () => {
    expect(await byPacker('pk-zhang')).toEqual([r.a!.id]);
    expect(await byPacker('PK-LI')).toEqual([r.b!.id]);
    expect(await byPacker('PK-NOBODY')).toEqual([]);
  });

  it('statistics match the database: parcels per packer per hour and day, median packing time, warnings', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const stats = StatsResponse.parse(await (await station.api(`${routes.stats}?from=${from}&to=${to}`)).json());
    const db = openDatabase(join(station.dataDir, 'packwitness.db'), { readonly: true });
    try {
      const range = [Date.parse(from), Date.parse(to)];
      const sqlPerPacker = db
        .prepare(
          `SELECT coalesce(packer, '') AS packer, count(*) AS parcels FROM clips
             WHERE start_ms >= ? AND start_ms < ? AND status != 'cancelled' AND mode = 'pack' GROUP BY 1 ORDER BY 1`,
        )
        .all(...range) as Array<{ packer: string; parcels: number }>;
      expect(stats.packers.map((p) => ({ packer: p.packer ?? '', parcels: p.parcels })).sort((x, y) => x.packer.localeCompare(y.packer))).toEqual(sqlPerPacker);
      expect(sqlPerPacker).toEqual([
        { packer: '', parcels: 2 },
        { packer: 'PK-LI', parcels: 1 },
        { packer: 'PK-ZHANG', parcels: 1 },
      ]);
      const sqlHourly = db
        .prepare(
          `SELECT coalesce(packer, '') AS packer, strftime('%Y-%m-%d %H:00', start_ms / 1000, 'unixepoch', 'localtime') AS period, count(*) AS parcels FROM clips
             WHERE start_ms >= ? AND start_ms < ? AND status != 'cancelled' AND mode = 'pack' GROUP BY 1, 2 ORDER BY 2, 1`,
        )
        .all(...range);
      expect(stats.hourly.map((h) => ({ packer: h.packer ?? '', period: h.period, parcels: h.parcels }))).toEqual(sqlHourly);
      const sqlDaily = db
        .prepare(
          `SELECT coalesce(packer, '') AS packer, strftime('%Y-%m-%d', start_ms / 1000, 'unixepoch', 'localtime') AS period, count(*) AS parcels FROM clips
             WHERE start_ms >= ? AND start_ms < ? AND status != 'cancelled' AND mode = 'pack' GROUP BY 1, 2 ORDER BY 2, 1`,
        )
        .all(...range);
      expect(stats.daily.map((h) => ({ packer: h.packer ?? '', period: h.period, parcels: h.parcels }))).toEqual(sqlDaily);

      // Packing time: the clip's first scan to the scan that ended it (its end when nothing scanned).
      const times = (
        db
          .prepare(
            `SELECT coalesce((SELECT max(s.at_ms) FROM scans s WHERE (s.action = 'stopped' AND s.clip_id = c.id) OR (s.action = 'switched' AND s.ended_clip_id = c.id)), c.end_ms)
                    - (SELECT min(scanned_ms) FROM clip_codes WHERE clip_id = c.id) AS ms
               FROM clips c WHERE start_ms >= ? AND start_ms < ? AND status != 'cancelled' AND mode = 'pack' AND end_ms IS NOT NULL ORDER BY ms`,
          )
          .all(...range) as Array<{ ms: number }>
      ).map((x) => x.ms);
      const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2;
      expect(stats.medianPackingMs).toBe(median);
      expect(stats.medianPackingMs).toBeGreaterThan(700);

      const duplicates = db.prepare('SELECT count(DISTINCT clip_id) AS n FROM scans WHERE duplicate_of IS NOT NULL AND at_ms >= ? AND at_ms < ?').get(...range) as { n: number };
      expect(stats.warnings).toEqual({ duplicate: duplicates.n, interrupted: 0, tooLong: 0, clips: duplicates.n });
      expect(stats.warnings.duplicate).toBe(1);
    } finally {
      db.close();
    }
  });

  it('the statistics download as CSV, each badge with its current name, formulas defused', async () => {
    // Named after its clip was packed: the statistics give the name the badge has now.
    const named = await station.api(routes.packers, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'PK-LI', name: '李四' }) });
    expect(named.status).toBe(201);
    expect((await clip(r.b!.id!)).packerName).toBe('PK-LI');
    const res = await station.api(`${routes.statsCsv}?from=${new Date(Date.now() - 3600_000).toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    // UTF-8 with BOM, so Excel on a Chinese Windows does not read it as GBK.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('period_kind,period,packer,name,parcels,median_packing_s');
    // A badge nobody named reads under its code, as it signs in.
    expect(lines).toContain('total,,PK-ZHANG,PK-ZHANG,1,' + lines.find((l) => l.startsWith('total,,PK-ZHANG,'))!.split(',')[5]);
    expect(lines.find((l) => l.startsWith('total,,PK-LI,'))).toMatch(/^total,,PK-LI,李四,1,\d+\.\d$/);
    expect(lines.filter((l) => l.startsWith('day,') && l.includes(',PK-LI,李四,1,'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('day,'))).toHaveLength(3);
  });
});
