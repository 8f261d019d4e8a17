import { describe, expect, it } from 'vitest';
import { compositeLayout } from '../../electron/station/export/composite.js';

describe('compositeLayout: cameras side by side at the main camera’s height', () => {
  it.each([
    ['two of one shape: a row of two', [{ width: 1280, height: 720, fps: 30 }, { width: 1280, height: 720, fps: 30 }], { columns: 2, rows: 1, cellWidth: 1280, cellHeight: 720, source: { width: 2560, height: 720, fps: 30 } }],
    ['a 4:3 beside a 16:9: scaled to its height, in a cell as wide as the widest', [{ width: 640, height: 360, fps: 15 }, { width: 320, height: 240, fps: 15 }], { columns: 2, rows: 1, cellWidth: 640, cellHeight: 360, source: { width: 1280, height: 360, fps: 15 } }],
    ['a wider other camera widens every cell', [{ width: 320, height: 240, fps: 25 }, { width: 640, height: 360, fps: 30 }], { columns: 2, rows: 1, cellWidth: 426, cellHeight: 240, source: { width: 852, height: 240, fps: 25 } }],
    ['three: a 2x2 grid, one cell empty', [{ width: 1280, height: 720, fps: 30 }, { width: 1280, height: 720, fps: 30 }, { width: 1280, height: 720, fps: 30 }], { columns: 2, rows: 2, cellWidth: 1280, cellHeight: 720, source: { width: 2560, height: 1440, fps: 30 } }],
    ['four: a 2x2 grid', Array.from({ length: 4 }, () => ({ width: 1920, height: 1080, fps: 30 })), { columns: 2, rows: 2, cellWidth: 1920, cellHeight: 1080, source: { width: 3840, height: 2160, fps: 30 } }],
  ])('%s', (_what, views, expected) => {
    expect(compositeLayout(views)).toEqual(expected);
  });

  it('needs two views', () => {
    expect(() => compositeLayout([{ width: 640, height: 360, fps: 15 }])).toThrow(/two views/);
  });
});
