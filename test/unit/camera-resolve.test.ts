/**
 * A camera list becoming what records: each entry opened with its own size and rate, ids that stay
 * with their spec, the command line's cameras taking the saved settings, and the run key that decides
 * which camera a new list restarts.
 */
import { describe, expect, it } from 'vitest';
import type { CameraEntry } from '../../shared/api.js';
import { cameraRun, cliCameraEntries, resolveCameras } from '../../electron/station/recorder/camera-resolve.js';
import { SettingsError } from '../../electron/station/settings/station-settings.js';

const ffmpeg = { path: 'ffmpeg', major: 6 };
const entry = (spec: string, over: Partial<CameraEntry> = {}): CameraEntry => ({ spec, name: '', resolution: 'auto', fps: null, quality: 'standard', ...over });

describe('resolving a camera list', () => {
  it('opens each camera with its own size and rate and numbers a repeated kind', async () => {
    const r = await resolveCameras(ffmpeg, [entry('demo', { resolution: '640x360', fps: 15 }), entry('demo:320x240@10')], new Map(), false);
    expect(r.map((c) => c.source.id)).toEqual(['demo', 'demo-2']);
    expect(r.map((c) => c.entry.id)).toEqual(['demo', 'demo-2']);
    expect([r[0]!.source.input, r[0]!.source.height, r[0]!.source.fps]).toEqual([expect.stringContaining('640x360'), 360, 15]);
    expect([r[1]!.source.input, r[1]!.source.height]).toEqual([expect.stringContaining('320x240'), 240]);
  });

  it('keeps a known camera’s id wherever it stands in the list', async () => {
    const r = await resolveCameras(ffmpeg, [entry('demo:320x240'), entry('demo:640x360')], new Map([['demo:640x360', 'demo'], ['demo:320x240', 'demo-2']]), false);
    expect(r.map((c) => c.source.id)).toEqual(['demo-2', 'demo']);
  });

  it('refuses one device listed twice, in one sentence with no password in it', async () => {
    const spec = 'rtsp://u:secret@10.0.0.9/a';
    const err = await resolveCameras(ffmpeg, [entry(spec), entry(spec)], new Map(), true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as Error).message).toContain('would record twice');
    expect((err as Error).message).not.toContain('secret');
  });
});

describe('the command line’s cameras', () => {
  it('take the saved settings of the same spec, else the saved main camera’s size, rate and quality (unnamed)', () => {
    const saved = [entry('demo:640x360', { name: 'Bench', resolution: '640x360', fps: 15, quality: 'economy' }), entry('file:/a.mp4', { name: 'Side', fps: 10 })];
    expect(cliCameraEntries(['file:/a.mp4', 'demo:320x240'], saved)).toEqual([
      { spec: 'file:/a.mp4', name: 'Side', resolution: 'auto', fps: 10, quality: 'standard' },
      { spec: 'demo:320x240', name: '', resolution: '640x360', fps: 15, quality: 'economy' },
    ]);
  });
});

describe('a camera’s run key', () => {
  it('changes with the input, the rate, the quality or the main role, not with the name', async () => {
    const [a] = await resolveCameras(ffmpeg, [entry('demo:640x360@15')], new Map(), false);
    const key = cameraRun(a!, true);
    expect(cameraRun({ ...a!, entry: { ...a!.entry, name: 'Renamed' } }, true)).toBe(key);
    expect(cameraRun(a!, false)).not.toBe(key);
    expect(cameraRun({ ...a!, entry: { ...a!.entry, quality: 'economy' } }, true)).not.toBe(key);
    expect(cameraRun({ ...a!, source: { ...a!.source, fps: 30 } }, true)).not.toBe(key);
  });
});
