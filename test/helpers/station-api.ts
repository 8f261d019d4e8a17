/**
 * What the e2e tests ask a running station (or read from it) the way its screens do: a scan, a clip,
 * a clip recorded end to end, every camera recording.
 */
import { Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { waitFor, type StationProcess } from './station-process.js';

/** A code as the bench scanner sends it. */
export async function scan(station: StationProcess, code: string): Promise<ScanResponse> {
  const res = await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return ScanResponse.parse(await res.json());
}

export async function getClip(station: StationProcess, id: number): Promise<Clip> {
  return Clip.parse(await (await station.api(routes.clip(id))).json());
}

/** Until the station records (its main camera) and has more than `segments` segments indexed. */
export function stationRecording(station: StationProcess, segments = 0): Promise<StatusResponse> {
  return waitFor(
    async () => {
      const s = StatusResponse.parse(await (await station.api(routes.status)).json());
      return s.recording && s.segmentCount > segments ? s : undefined;
    },
    30_000,
    'the station to record',
  );
}

/** Until the station has `cameras` cameras, all recording, and more than `segments` segments. */
export function camerasRecording(station: StationProcess, cameras: number, segments = 3): Promise<StatusResponse> {
  return waitFor(
    async () => {
      const s = StatusResponse.parse(await (await station.api(routes.status)).json());
      return s.cameras?.length === cameras && s.cameras.every((c) => c.state === 'recording') && s.segmentCount > segments ? s : undefined;
    },
    30_000,
    `${cameras} camera(s) recording`,
  );
}

/** A clip of `code` recorded for `holdMs` and stopped; resolves once its MP4 is cut (every camera's: `cameras`). */
export async function recordClip(station: StationProcess, code: string, o: { holdMs?: number; cameras?: number; timeoutMs?: number } = {}): Promise<Clip> {
  const started = await scan(station, code);
  await new Promise((r) => setTimeout(r, o.holdMs ?? 2_500));
  await scan(station, 'PW-STOP');
  return waitFor(
    async () => {
      const c = await getClip(station, started.id!);
      return c.video && (o.cameras === undefined || (c.cameras?.length === o.cameras && c.cameras.every((k) => k.hasVideo))) ? c : undefined;
    },
    o.timeoutMs ?? 30_000,
    `clip ${code} to be cut`,
  );
}
