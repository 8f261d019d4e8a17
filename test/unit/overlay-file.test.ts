import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { overlayText, writeOverlay } from '../../electron/station/recorder/overlay.js';

describe('the overlay file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-overlay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives many writes at once (a scan and a rename together), and keeps the last one', async () => {
    const file = join(dir, 'demo.txt');
    const writes = Array.from({ length: 50 }, (_, i) => writeOverlay(file, { station: `Bench ${i}` }));
    await expect(Promise.all(writes)).resolves.toHaveLength(50);
    expect(readFileSync(file, 'utf8')).toBe(overlayText({ station: 'Bench 49' }));
  });

  it('keeps writing after a write to the same file failed', async () => {
    const sub = join(dir, 'overlay');
    const file = join(sub, 'demo.txt');
    mkdirSync(sub);
    await writeOverlay(file, { station: 'Bench 2' });
    rmSync(sub, { recursive: true });
    await expect(writeOverlay(file, { station: 'Bench 3' })).rejects.toThrow(/ENOENT/);
    mkdirSync(sub);
    await writeOverlay(file, { station: 'Bench 4', operator: 'Li' });
    expect(readFileSync(file, 'utf8')).toBe(overlayText({ station: 'Bench 4', operator: 'Li' }));
  });
});
