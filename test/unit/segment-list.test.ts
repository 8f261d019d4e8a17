import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSegmentListLine, SegmentListFollower, type SegmentListEntry } from '../../electron/station/recorder/segment-list.js';

describe("ffmpeg's segment list", () => {
  it('parses csv lines, quoted or not, and ignores anything else', () => {
    expect(parseSegmentListLine('000001.ts,2.066667,4.066667')).toEqual({ file: '000001.ts', startSec: 2.066667, endSec: 4.066667 });
    expect(parseSegmentListLine('"000002.ts",4.0,6.0\r')).toEqual({ file: '000002.ts', startSec: 4, endSec: 6 });
    expect(parseSegmentListLine('')).toBeNull();
    expect(parseSegmentListLine('garbage')).toBeNull();
  });

  it('reports each complete line once, holding back a half-written one', async () => {
    const file = join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-list-')), 'segments.csv');
    const got: SegmentListEntry[] = [];
    const f = new SegmentListFollower(file, (e) => got.push(e));
    await f.poll(); // not created yet
    writeFileSync(file, '000000.ts,0.000000,2.000000\n000001.ts,2.0');
    await f.poll();
    expect(got.map((e) => e.file)).toEqual(['000000.ts']);
    appendFileSync(file, '00000,4.000000\n');
    await f.poll();
    await f.poll();
    expect(got).toEqual([
      { file: '000000.ts', startSec: 0, endSec: 2 },
      { file: '000001.ts', startSec: 2, endSec: 4 },
    ]);
  });
});
