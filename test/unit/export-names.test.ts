/**
 * The names of an export's files: order code, clip time and clip id, always within the
 * bundle's path alphabet, whatever was scanned.
 */
import { describe, expect, it } from 'vitest';
import { exportBaseName, exportFileNames, nameCode, nameTime } from '../../electron/station/export/export-names.js';
import { BundlePath } from '../../electron/station/evidence/manifest.js';
import { EXPORT_NAME_CODE_MAX_CHARS } from '../../electron/station/limits.js';

const at = '2026-12-04T01:12:30.000Z';
const clip = (codes: Array<[string, 'order' | 'waybill']>, id = 42) => ({
  id,
  startedAt: at,
  codeDetails: codes.map(([code, kind]) => ({ code, kind, scannedAt: at })),
});

/** The clip start as the station's clock shows it (the test runs in the machine's time zone, as the station does). */
function localStamp(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

describe('export file names', () => {
  it('are the order code, the clip start in station time and the clip id', () => {
    const base = exportBaseName(clip([['SF1234567890123', 'waybill'], ['260311884512345678', 'order']]));
    expect(base).toBe(`260311884512345678_${localStamp(at)}_clip-42`);
    expect(exportFileNames(base)).toEqual({ video: `${base}.mp4`, sheetBase: `${base}_sheet`, bundle: base, zip: `${base}.zip` });
    // A waybill alone names the clip when there is no order number.
    expect(exportBaseName(clip([['SF1234567890123', 'waybill']]))).toBe(`SF1234567890123_${localStamp(at)}_clip-42`);
    // A re-encode says what for, so it never takes the original's name.
    expect(exportBaseName(clip([['SF1234567890123', 'waybill']]), 'shopee')).toBe(`SF1234567890123_${localStamp(at)}_clip-42_shopee`);
    expect(nameTime(at)).toBe(localStamp(at));
  });

  it.each([
    ['SF1234567890123', 'SF1234567890123'],
    ['240101-123456789012345', '240101-123456789012345'],
    ['#1001', '1001'],
    ['123-1234567-1234567', '123-1234567-1234567'],
    ['订单 A/B_C.7', 'A-B-C-7'],
    ['--x--y--', 'x-y'],
    ['杭州仓订单', ''],
    ['', ''],
    ['A\u202Eevil\u0000.mp4', 'A-evil-mp4'],
    ['../../etc/passwd', 'etc-passwd'],
  ])('code %j becomes %j', (code, expected) => {
    expect(nameCode(clip([[code, 'order']]))).toBe(expected);
  });

  it('leave out a code with nothing usable (the clip id still names the clip), and cap a long one', () => {
    expect(exportBaseName(clip([['杭州仓订单', 'order']], 7))).toBe(`${localStamp(at)}_clip-7`);
    expect(exportBaseName(clip([], 7))).toBe(`${localStamp(at)}_clip-7`);
    const long = nameCode(clip([['A'.repeat(30) + '-' + 'B'.repeat(30), 'order']]));
    expect(long.length).toBeLessThanOrEqual(EXPORT_NAME_CODE_MAX_CHARS);
    expect(long).toMatch(/^A{30}-B{9}$/);
    // Cut just after a dash: no dash is left at the end.
    expect(nameCode(clip([['A'.repeat(EXPORT_NAME_CODE_MAX_CHARS - 1) + '-B', 'order']]))).toBe('A'.repeat(EXPORT_NAME_CODE_MAX_CHARS - 1));
  });

  it('always fit the bundle path alphabet, whatever is scanned', () => {
    let seed = 15;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pool = ['A', 'z', '0', '9', '-', '_', '.', '/', '\\', ' ', '#', '订', '单', '\u202E', '\u0000', '\n', ':', '"', '*', '?', '😀'];
    for (let i = 0; i < 2_000; i++) {
      const code = Array.from({ length: Math.floor(rnd() * 60) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
      const base = exportBaseName(clip([[code, 'order']], 1 + Math.floor(rnd() * 1e6)), rnd() < 0.5 ? null : 'wechat-shop');
      const names = exportFileNames(base);
      for (const n of [names.video, `${names.sheetBase}.pdf`, names.zip, names.bundle]) {
        expect(BundlePath.safeParse(n).success, `${JSON.stringify(code)} -> ${n}`).toBe(true);
        expect(n).not.toMatch(/[^A-Za-z0-9._-]/);
      }
    }
  });
});
