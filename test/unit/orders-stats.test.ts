import { describe, expect, it } from 'vitest';
import { median, statsCsv, statsFromParcels, type ParcelFacts } from '../../electron/station/stats/packer-stats.js';

describe('packer statistics', () => {
  it('median of an odd and an even count, none for no clips', () => {
    expect(median([30_000, 10_000, 20_000])).toBe(20_000);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('the CSV is UTF-8 with BOM and CRLF, names each badge after its code, and a badge or name a spreadsheet would run as a formula is defused', () => {
    const csv = statsCsv({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      packers: [
        { packer: '=HYPERLINK("http://x","PK")', name: '-王, "小明"', parcels: 2, medianPackingMs: 41_250 },
        { packer: 'PK-LI', name: '李四', parcels: 1, medianPackingMs: 5_000 },
        { packer: null, name: null, parcels: 1, medianPackingMs: null },
      ],
      hourly: [{ packer: '=HYPERLINK("http://x","PK")', period: '2026-12-01 09:00', parcels: 2 }],
      daily: [
        { packer: null, period: '2026-12-01', parcels: 1 },
        { packer: 'PK-LI', period: '2026-12-01', parcels: 1 },
      ],
      medianPackingMs: 41_250,
      warnings: { duplicate: 0, interrupted: 0, tooLong: 0, clips: 0 },
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'period_kind,period,packer,name,parcels,median_packing_s',
      `total,,"'=HYPERLINK(""http://x"",""PK"")","'-王, ""小明""",2,41.3`,
      'total,,PK-LI,李四,1,5.0',
      'total,,,,1,',
      'day,2026-12-01,,,1,',
      'day,2026-12-01,PK-LI,李四,1,',
      `hour,2026-12-01 09:00,"'=HYPERLINK(""http://x"",""PK"")","'-王, ""小明""",2,`,
      '',
    ]);
  });

  it('buckets parcels by the hours and days of the given time zone, in a fixed order, with warnings counted once per clip', () => {
    const at = (iso: string, packer: string | null, packingMs: number | null, w: Partial<ParcelFacts> = {}): ParcelFacts => ({
      packer,
      startMs: Date.parse(iso),
      packingMs,
      duplicate: false,
      interrupted: false,
      tooLong: false,
      ...w,
    });
    const parcels = [
      at('2026-12-01T15:59:00Z', 'PK-B', 20_000), // 23:59 in Shanghai, 1 December
      at('2026-12-01T16:00:00Z', 'PK-A', 10_000, { duplicate: true, tooLong: true }), // 00:00, 2 December
      at('2026-12-01T16:30:00Z', null, null, { interrupted: true }),
      at('2026-12-01T16:45:00Z', 'PK-A', 30_000),
    ];
    const names = (code: string): string => (code === 'PK-A' ? '王小明' : code);
    const s = statsFromParcels(parcels, { fromMs: Date.parse('2026-11-30T16:00:00Z'), toMs: Date.parse('2026-12-02T16:00:00Z') }, 'Asia/Shanghai', names);
    // Counted by badge, each with its name; nobody has none.
    expect(s.packers).toEqual([
      { packer: null, name: null, parcels: 1, medianPackingMs: null },
      { packer: 'PK-A', name: '王小明', parcels: 2, medianPackingMs: 20_000 },
      { packer: 'PK-B', name: 'PK-B', parcels: 1, medianPackingMs: 20_000 },
    ]);
    expect(s.daily).toEqual([
      { packer: 'PK-B', period: '2026-12-01', parcels: 1 },
      { packer: null, period: '2026-12-02', parcels: 1 },
      { packer: 'PK-A', period: '2026-12-02', parcels: 2 },
    ]);
    expect(s.hourly.map((h) => h.period)).toEqual(['2026-12-01 23:00', '2026-12-02 00:00', '2026-12-02 00:00']);
    expect(s.medianPackingMs).toBe(20_000);
    expect(s.warnings).toEqual({ duplicate: 1, interrupted: 1, tooLong: 1, clips: 2 });
    // The same instants in UTC fall on one day, in two hours.
    expect(statsFromParcels(parcels, { fromMs: 0, toMs: 1 }, 'UTC').hourly.map((h) => h.period)).toEqual(['2026-12-01 15:00', '2026-12-01 16:00', '2026-12-01 16:00']);
  });
});
