/**
 * The station line's files on a real data folder: one per camera under overlay/, written before the
 * camera's ffmpeg starts, and every camera's file rewritten with what the line says now.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OverlayFiles } from '../../electron/station/recorder/overlay-files.js';
import { overlayText, type OverlayContent } from '../../electron/station/recorder/overlay.js';

function files() {
  const dataDir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-overlay-files-'));
  const content: OverlayContent = { station: 'Bench 1', operator: 'Li', packer: null };
  return { dataDir, content, overlay: new OverlayFiles(dataDir, () => ({ ...content })) };
}

describe('the overlay files', () => {
  it('writes a camera’s file under overlay/ at once, with the line as it is now', () => {
    const { dataDir, content, overlay } = files();
    const file = overlay.prepare('demo-2');
    expect(file).toBe(join(dataDir, 'overlay', 'demo-2.txt'));
    expect(readFileSync(file, 'utf8')).toBe(overlayText(content));
    // No temporary file is left for drawtext to find.
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('rewrites every file given with the line as it is at the write', async () => {
    const { content, overlay } = files();
    const all = [overlay.prepare('demo'), overlay.prepare('demo-2')];
    content.station = 'Bench 2';
    content.packer = { code: 'PK-007', name: '张三' };
    await overlay.write(all);
    for (const f of all) expect(readFileSync(f, 'utf8')).toBe(overlayText({ station: 'Bench 2', operator: 'Li', packer: { code: 'PK-007', name: '张三' } }));
  });

  it('a write nobody waits on that fails leaves the next one to succeed', async () => {
    const { dataDir, content, overlay } = files();
    const file = overlay.prepare('demo');
    rmSync(join(dataDir, 'overlay'), { recursive: true });
    content.station = 'Bench 3';
    // Logged, not thrown: it comes from a sign-in, which must not fail for it.
    expect(() => overlay.refresh([file])).not.toThrow();
    await expect(overlay.write([file])).rejects.toThrow(/ENOENT/);
    mkdirSync(join(dataDir, 'overlay'));
    content.station = 'Bench 4';
    await overlay.write([file]);
    expect(readFileSync(file, 'utf8')).toBe(overlayText({ station: 'Bench 4', operator: 'Li', packer: null }));
  });
});
