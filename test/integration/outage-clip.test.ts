/**
 * A clip recorded wholly inside a camera outage (the camera away before the pre-roll, the parcel
 * scanned and stopped, the camera back afterwards) has no footage, and says so: the clip API
 * (`footage: 'none'`), the export (refused in one sentence), the outage's gap (closed when recording
 * resumes), and the health page's problems (sentences, not raw ffmpeg output or JSON).
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ErrorResponse, GapsResponse, HealthReport, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { freePort, startTcpCamera } from '../helpers/tcp-camera.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('a clip recorded wholly inside a camera outage', () => {
  let station: StationProcess;
  let camera: ChildProcess | null = null;
  let port: number;
  let clipId: number;
  let killedAt = 0;
  let returnedAt = 0;
  const status = async () => StatusResponse.parse(await (await station.api(routes.status)).json());
  const scan = async (code: string) =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const clip = async () => Clip.parse(await (await station.api(routes.clip(clipId))).json());

  beforeAll(async () => {
    port = await freePort();
    camera = await startTcpCamera(port);
    station = await startStation({ camera: `tcp://127.0.0.1:${port}` });
    await waitFor(async () => ((await status()).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');
    killedAt = Date.now();
    camera.kill('SIGKILL');
    await waitFor(async () => ((await status()).recording ? undefined : true), 5_000, 'NOT RECORDING');
    // Longer than the 3 s pre-roll: the clip starts inside the outage.
    await sleep(4_000);
    const started = await scan('123456789012345678');
    clipId = started.id!;
    await sleep(1_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    await sleep(3_000); // past the post-roll
    returnedAt = Date.now();
    camera = await startTcpCamera(port);
    await waitFor(async () => ((await status()).recording ? true : undefined), 15_000, 'recording again');
  }, 90_000);
  afterAll(async () => {
    camera?.kill('SIGKILL');
    await station?.stop();
  });

  it('closes the outage gap when recording resumes', async () => {
    const gaps = await waitFor(async () => {
      const { gaps } = GapsResponse.parse(await (await station.api(routes.gaps)).json());
      return gaps.length && gaps.every((g) => g.endedAt) ? gaps : undefined;
    }, 10_000, 'the gap to close');
    // It starts at the last footage before the kill (frames already on their way are stamped a moment later).
    const outage = gaps.find((g) => Date.parse(g.startedAt) <= killedAt + 1_000 && Date.parse(g.endedAt!) >= returnedAt);
    expect(outage, JSON.stringify(gaps)).toBeDefined();
    const c = await clip();
    expect(c.gaps.map((g) => g.id)).toContain(outage!.id);
    expect(c.gaps.every((g) => g.endedAt !== null)).toBe(true);
  });

  it('says the clip has no footage, not that its video is being written', async () => {
    const c = await waitFor(async () => {
      const x = await clip();
      return x.footage === 'none' ? x : undefined;
    }, 20_000, 'footage: none');
    expect(c).toMatchObject({ status: 'closed', video: null, footage: 'none' });
  });

  it('refuses to export it in one sentence', async () => {
    const res = await station.api(routes.clipExport(clipId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'original' }) });
    expect(res.status).toBe(409);
    const { error } = ErrorResponse.parse(await res.json());
    expect(error).toMatch(/^Clip \d+ cannot be exported: it has no footage: the camera was not recording\.$/);
  });

  it('lists its problems on the health page as sentences, never raw ffmpeg output or JSON', async () => {
    const report = HealthReport.parse(await (await station.api(routes.healthReport)).json());
    expect(report.lastErrors.length).toBeGreaterThan(0);
    for (const e of report.lastErrors) {
      expect(e.message, e.message).not.toMatch(/[{}[\]]|ffmpeg exited|\bat \w+ \(|Error:/);
      expect(e.message, e.message).toMatch(/^[A-Z].*\.$/);
    }
    console.log(report.lastErrors.map((e) => `${e.level}: ${e.message}`).join('\n'));
  });
});

