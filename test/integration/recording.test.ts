import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegmentsResponse, StatusResponse } from '../../shared/api.js';
import { decodeFully, sha256Of } from '../helpers/media.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

describe('a station on the demo camera', () => {
  let station: StationProcess;

  beforeAll(async () => {
    station = await startStation();
    await sleep(10_000);
  });
  afterAll(async () => {
    await station?.stop();
  });

  it('records contiguous segments for 10 s, each decodes fully and matches its indexed SHA-256', async () => {
    const { segments } = SegmentsResponse.parse(await (await station.api('/api/segments')).json());
    expect(segments.length).toBeGreaterThanOrEqual(4);
    let recorded = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      const file = join(station.dataDir, s.file);
      expect(sha256Of(file), s.file).toBe(s.sha256);
      const decoded = await decodeFully(file);
      expect(decoded.errors, s.file).toBe('');
      expect(decoded.ok, s.file).toBe(true);
      // ~2 s segments with a keyframe each second: each holds 1.5–3 s at 15 fps.
      expect(decoded.frames, s.file).toBeGreaterThanOrEqual(15);
      expect(s.durationMs).toBeGreaterThan(900);
      expect(s.durationMs).toBeLessThan(3_200);
      recorded += s.durationMs;
      if (i > 0) {
        const gap = Date.parse(s.startedAt) - Date.parse(segments[i - 1]!.endedAt);
        expect(Math.abs(gap), `between ${segments[i - 1]!.file} and ${s.file}`).toBeLessThanOrEqual(500);
      }
    }
    expect(recorded).toBeGreaterThan(7_000);
  });

  it('dates segments by the wall clock: the newest ends within a few seconds of now', async () => {
    const status = StatusResponse.parse(await (await station.api('/api/status')).json());
    expect(status.recording).toBe(true);
    expect(status.camera.state).toBe('recording');
    const age = Date.parse(status.now) - Date.parse(status.lastSegmentEndedAt!);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(4_000);
    expect(status.freeDiskBytes).toBeGreaterThan(0);
    expect(status.segmentCount).toBeGreaterThanOrEqual(4);
  });

  it('closes and indexes the last segment on SIGTERM', async () => {
    const before = StatusResponse.parse(await (await station.api('/api/status')).json());
    const stoppedAt = Date.now();
    expect(await station.stop()).toBe(0);
    const { openDatabase } = await import('../../electron/station/catalog/database.js');
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    try {
      const last = db.prepare('SELECT max(end_ms) AS t, count(*) AS n FROM segments').get() as { t: number; n: number };
      expect(last.n).toBeGreaterThan(before.segmentCount);
      // The partial last segment is indexed: the recording ends within a second of the stop.
      expect(stoppedAt - last.t).toBeLessThan(1_000);
      const run = db.prepare("SELECT end_reason FROM runs ORDER BY id DESC LIMIT 1").get() as { end_reason: string };
      expect(run.end_reason).toBe('stopped');
      expect((db.prepare('SELECT count(*) AS n FROM gaps').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});
