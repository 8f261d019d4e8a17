/**
 * The hardware encoder setting over real HTTP on a real station (built CLI, demo camera, real
 * ffmpeg): what GET reports on this machine (no GPU: h264_vaapi is compiled in but fails its test
 * encode, so libx264 records), that a bad name is refused with one sentence and stores nothing, that
 * choosing h264_vaapi restarts the run, falls back and keeps recording, and that 'off' survives a restart.
 */
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTIGUITY_TOLERANCE_MS } from '../../electron/station/limits.js';
import { EncoderSettingsResponse, ErrorResponse, GapsResponse, SegmentsResponse, StatusResponse, routes } from '../../shared/api.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const json = { 'content-type': 'application/json' };

describe('hardware encoder setting on a real station', () => {
  const stations: StationProcess[] = [];
  afterAll(async () => {
    for (const s of stations) await s.stop();
  });

  const getEncoder = async (st: StationProcess): Promise<EncoderSettingsResponse> => {
    const res = await st.api(routes.encoderSettings);
    expect(res.status).toBe(200);
    return EncoderSettingsResponse.parse(await res.json());
  };
  const putEncoder = (st: StationProcess, hardwareEncoder: unknown) =>
    st.api(routes.encoderSettings, { method: 'PUT', headers: json, body: JSON.stringify({ hardwareEncoder }) });
  const status = async (st: StationProcess) => StatusResponse.parse(await (await st.api(routes.status)).json());

  it('GET: auto by default, libx264 in use, and the test encodes of this machine', async () => {
    const st = await startStation();
    stations.push(st);
    const g = await getEncoder(st);
    expect(g.hardwareEncoder).toBe('auto');
    expect(g.inUse).toBe('libx264');
    expect(g.tests).not.toBeNull();
    expect(g.tests!.map((t) => t.encoder)).toEqual(['h264_nvenc', 'h264_qsv', 'h264_amf', 'h264_videotoolbox', 'h264_vaapi']);
    // This ffmpeg has VAAPI compiled in, and this PC has no GPU: it fails, and says why in ffmpeg's words.
    const vaapi = g.tests!.find((t) => t.encoder === 'h264_vaapi')!;
    expect(vaapi).toMatchObject({ compiled: true, ok: false });
    expect(vaapi.error).toMatch(/\S/);
    expect(g.tests!.find((t) => t.encoder === 'h264_nvenc')).toMatchObject({ compiled: false, ok: false, error: 'not in this ffmpeg build' });
  });

  it('PUT an unknown encoder: 400 with one sentence, nothing stored, the run untouched', async () => {
    const st = stations[0]!;
    const pidBefore = (await status(st)).camera.pid;
    const res = await putEncoder(st, 'h265_magic');
    expect(res.status).toBe(400);
    const { error } = ErrorResponse.parse(await res.json());
    expect(error).toBe('"h265_magic" is not a hardware encoder setting: choose auto, off or one of h264_nvenc, h264_qsv, h264_amf, h264_videotoolbox, h264_vaapi.');
    const shape = await st.api(routes.encoderSettings, { method: 'PUT', headers: json, body: JSON.stringify('off') });
    expect(shape.status).toBe(400);
    expect(ErrorResponse.parse(await shape.json()).error).toMatch(/^The body is \{"hardwareEncoder"/);
    expect((await getEncoder(st)).hardwareEncoder).toBe('auto');
    expect((await status(st)).camera.pid).toBe(pidBefore);
  });

  it('PUT h264_vaapi: the run restarts with it, falls back to libx264 at start, and records again', async () => {
    const st = stations[0]!;
    const pidBefore = (await status(st)).camera.pid;
    const res = await putEncoder(st, 'h264_vaapi');
    expect(res.status).toBe(200);
    expect(EncoderSettingsResponse.parse(await res.json()).hardwareEncoder).toBe('h264_vaapi');
    const putAt = Date.now();
    // The new run tried VAAPI, fell back, and closes segments again.
    const after = await waitFor(async () => {
      const s = await status(st);
      const g = await getEncoder(st);
      return s.recording && s.camera.pid !== pidBefore && g.inUse === 'libx264' ? { s, g } : undefined;
    }, 30_000, 'recording again with libx264');
    expect(after.g.hardwareEncoder).toBe('h264_vaapi');
    expect(st.stderr()).toMatch(/recording encoder chosen.*"encoder":"h264_vaapi"/);
    expect(st.stderr()).toMatch(/hardware encoder failed at start; recording with libx264 from now on .*"encoder":"h264_vaapi"/);
    const fresh = await waitFor(async () => {
      const segs = SegmentsResponse.parse(await (await st.api(`${routes.segments}?from=${new Date(putAt).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`)).json()).segments;
      return segs.length > 0 ? segs : undefined;
    }, 30_000, 'a segment recorded after the change');
    expect(fresh.length).toBeGreaterThan(0);
    // The hole between the old run's last footage and the new run's first, from the station's own
    // segment times: a closed gap covering exactly it that says why, or, under the contiguity
    // tolerance (an idle machine restarting ffmpeg quickly), continuous footage and no gap at all.
    const around = SegmentsResponse.parse(await (await st.api(`${routes.segments}?from=${new Date(putAt - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`)).json()).segments;
    const firstNew = around.findIndex((s, i) => i > 0 && dirname(s.file) !== dirname(around[i - 1]!.file));
    expect(firstNew).toBeGreaterThan(0);
    const lastOfOld = around[firstNew - 1]!;
    const firstOfNew = around[firstNew]!;
    const holeMs = Date.parse(firstOfNew.startedAt) - Date.parse(lastOfOld.endedAt);
    expect(holeMs).toBeGreaterThanOrEqual(0);
    expect(holeMs).toBeLessThan(5_000);
    const gaps = GapsResponse.parse(await (await st.api(routes.gaps)).json()).gaps.filter((g) => g.reason === 'encoder setting changed');
    if (holeMs < CONTIGUITY_TOLERANCE_MS) expect(gaps).toEqual([]);
    else expect(gaps).toEqual([{ id: expect.any(Number), camera: firstOfNew.camera, startedAt: lastOfOld.endedAt, endedAt: firstOfNew.startedAt, reason: 'encoder setting changed' }]);
  });

  it("PUT off: round-trips, records with libx264, and is still 'off' after a restart", async () => {
    const st = stations[0]!;
    const res = await putEncoder(st, 'off');
    expect(res.status).toBe(200);
    expect(EncoderSettingsResponse.parse(await res.json())).toMatchObject({ hardwareEncoder: 'off' });
    await waitFor(async () => (await status(st)).recording && (await getEncoder(st)).inUse === 'libx264', 30_000, 'recording with libx264');
    await st.stop();

    const again = await startStation({ dataDir: st.dataDir });
    stations.push(again);
    const g = await getEncoder(again);
    expect(g).toMatchObject({ hardwareEncoder: 'off', inUse: 'libx264' });
    expect(again.stderr()).toMatch(/recording encoder chosen.*hardware encoding is off in settings/);
  });
});
