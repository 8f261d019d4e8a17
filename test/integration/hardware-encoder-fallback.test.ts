import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StatusResponse } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { HARDWARE_ENCODER_SETTING_KEY, type EncoderTestResult } from '../../electron/station/recorder/hardware-encoders.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

/** Every segment this data folder holds, oldest first. */
function segmentFiles(dataDir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.ts')) files.push(join(d, e.name));
    }
  };
  walk(join(dataDir, 'runs'));
  return files.sort();
}

/**
 * x264 writes its version and settings as an SEI message with the stream's first keyframe (so in the
 * first segment of each run); no hardware encoder does.
 */
const madeByX264 = (file: string): boolean => readFileSync(file).includes('x264 - core');
const firstSegmentsOfRuns = (files: string[]): string[] => files.filter((f) => f.endsWith('000000.ts'));

describe('hardware encoding on a PC without a GPU', () => {
  const stations: StationProcess[] = [];
  afterAll(async () => {
    for (const s of stations) await s.stop();
  });

  it('a station forced to h264_vaapi falls back to libx264 when it fails at start, says why, and records', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(join(dataDir, 'packwitness.db'));
    new SettingsStore(db).set(HARDWARE_ENCODER_SETTING_KEY, 'h264_vaapi');
    db.close();

    const st = await startStation({ dataDir });
    stations.push(st);
    // READY means a segment was closed: recording works despite the broken encoder.
    const log = st.stderr();
    expect(log).toMatch(/recording encoder chosen.*"encoder":"h264_vaapi"/);
    expect(log).toMatch(/hardware encoder failed at start; recording with libx264 from now on .*"encoder":"h264_vaapi".*(VA display|vaapi_device|Device creation)/);
    const status = StatusResponse.parse(await (await st.api('/api/status')).json());
    expect(status.recording).toBe(true);
    const files = await waitFor(() => {
      const f = segmentFiles(dataDir);
      return f.length >= 2 ? f : undefined;
    }, 20_000, 'two segments');
    expect(firstSegmentsOfRuns(files)).toHaveLength(1);
    expect(madeByX264(firstSegmentsOfRuns(files)[0]!)).toBe(true);
    // One failed run, then the libx264 run: the fallback is not retried per restart.
    const runs = readdirSync(join(dataDir, 'runs', status.camera.id));
    expect(runs).toHaveLength(2);
    await st.stop();
  });

  it('with the default (auto) the station tests the encoders once, caches the result per ffmpeg, and records with libx264', async () => {
    const st = await startStation();
    stations.push(st);
    expect(st.stderr()).toMatch(/recording encoder chosen.*"encoder":"libx264".*no hardware encoder passed its test encode \(tried h264_vaapi\)/);
    const cache = JSON.parse(readFileSync(join(st.dataDir, 'encoder-tests.json'), 'utf8')) as Record<string, EncoderTestResult[]>;
    const [key, results] = Object.entries(cache)[0]!;
    expect(key).toMatch(/ffmpeg\nffmpeg version /);
    expect(results.find((r) => r.encoder === 'h264_vaapi')).toMatchObject({ compiled: true, ok: false });
    expect(results.find((r) => r.encoder === 'h264_nvenc')).toMatchObject({ compiled: false, ok: false, error: 'not in this ffmpeg build' });
    expect(firstSegmentsOfRuns(segmentFiles(st.dataDir)).map(madeByX264)).toEqual([true]);
    await st.stop();

    // The second start reads the cache: no new test line, same choice.
    const again = await startStation({ dataDir: st.dataDir });
    stations.push(again);
    expect(again.stderr()).toMatch(/"encoder":"libx264"/);
    expect(readFileSync(join(st.dataDir, 'encoder-tests.json'), 'utf8')).toBe(JSON.stringify(cache, null, 2) + '\n');
    await again.stop();
  });
});
