import { describe, expect, it } from 'vitest';
import { median, statsCsv } from '../../electron/station/stats/packer-stats.js';

describe('packer statistics', () => {
  it('median of an odd and an even count, none for no clips', () => {
    expect(median([30_000, 10_000, 20_000])).toBe(20_000);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('the CSV is UTF-8 with BOM and CRLF, and a badge a spreadsheet would run as a formula is defused', () => {
    const csv = statsCsv({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      packers: [
        { packer: '=HYPERLINK("http://x","PK")', parcels: 2, medianPackingMs: 41_250 },
        { packer: null, parcels: 1, medianPackingMs: null },
      ],
      hourly: [{ packer: '=HYPERLINK("http://x","PK")', period: '2026-12-01 09:00', parcels: 2 }],
      daily: [{ packer: null, period: '2026-12-01', parcels: 1 }],
      medianPackingMs: 41_250,
      warnings: { duplicate: 0, interrupted: 0, tooLong: 0, clips: 0 },
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'period_kind,period,packer,parcels,median_packing_s',
      `total,,"'=HYPERLINK(""http://x"",""PK"")",2,41.3`,
      'total,,,1,',
      'day,2026-12-01,,1,',
      `hour,2026-12-01 09:00,"'=HYPERLINK(""http://x"",""PK"")",2,`,
      '',
    ]);
  });
});
