/**
 * Rescanning the label of the parcel being packed (the packer was unsure it beeped)
 * must not stop its clip. By default it is "already recording"; the repeat-scan, double-scan window,
 * waybill-attach and duplicate-window choices are settings, validated, saved, applied from the next
 * scan, and kept across a restart (a saved "stop" stays "stop").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Clip, ScanResponse, ScanSettings, StatusResponse, routes } from '../../shared/api.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const A = '123456789012345678';
const B = '987654321098765432';

describe('repeat scans and the scan settings over HTTP', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  it('keeps recording when the same label is scanned again; the settings change that from the next scan and survive a restart', async () => {
    const dataDir = tempDataDir();
    station = await startStation({ dataDir });
    const api = () => station!;
    const scan = async (code: string) =>
      ScanResponse.parse(await (await api().api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const status = async () => StatusResponse.parse(await (await api().api(routes.status)).json());
    const settings = async () => ScanSettings.parse(await (await api().api(routes.scanSettings)).json());
    const put = (body: unknown) => api().api(routes.scanSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const defaults = await settings();
    expect(defaults).toMatchObject({ repeatScan: 'ignore', doubleScanMs: 2_000, attachWaybill: true, duplicateWindowDays: 30 });

    // Default: the same label 2.5 s later (past the double-scan window) is "already recording".
    const first = await scan(A);
    expect(first.action).toBe('started');
    await sleep(2_500);
    const again = await scan(A);
    expect(again).toMatchObject({ action: 'ignored', reason: 'already-on-clip', id: null });
    expect(again.message.en).toBe(`Already recording ${A}: the clip goes on`);
    expect(again.message['zh-CN']).toBe(`${A} 正在录制中，继续录制`);
    expect((await status()).activeClipId).toBe(first.id);
    expect(Clip.parse(await (await api().api(routes.clip(first.id!))).json()).status).toBe('recording');

    // Out-of-range values are refused with a sentence, and nothing is stored.
    for (const bad of [{ doubleScanMs: 20_000 }, { duplicateWindowDays: -1 }, { repeatScan: 'restart' }, { attachWaybill: 'yes' }]) {
      const res = await put({ ...defaults, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    }
    expect(await settings()).toEqual(defaults);

    // Stop on a repeat, a 500 ms double-scan window, waybills switch, no duplicate warnings.
    const changed = { ...defaults, repeatScan: 'stop', doubleScanMs: 500, attachWaybill: false, duplicateWindowDays: 0 } as const;
    expect((await put(changed)).status).toBe(200);
    expect(await settings()).toEqual(changed);
    const stop = await scan(A); // applied from this very scan
    expect(stop).toMatchObject({ action: 'stopped', reason: 'repeat-scan', id: first.id });
    await sleep(600);
    const restart = await scan(A);
    expect(restart).toMatchObject({ action: 'started', duplicateOf: [] }); // A is on the first clip, but the window is 0 days
    const waybill = await scan('SF1234567890123');
    expect(waybill).toMatchObject({ action: 'switched', endedId: restart.id });
    await sleep(600);
    expect((await scan('SF1234567890123')).action).toBe('stopped'); // after 600 ms: a repeat, not a double scan

    // A saved choice is the station's choice at the next start.
    await station.stop();
    station = await startStation({ dataDir });
    expect(await settings()).toEqual(changed);
    const b = await scan(B);
    await sleep(600);
    expect(await scan(B)).toMatchObject({ action: 'stopped', id: b.id });
    await waitFor(async () => ((await status()).activeClipId === null ? true : undefined), 5_000, 'no clip open');
  }, 90_000);
});
