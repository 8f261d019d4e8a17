/**
 * A classification rule cannot stall the station. `^([A-Z0-9]+-?)+$` against a
 * 28-character code that does not match blocked the old station for ~5 s per classification
 * (JavaScript's backtracking engine), and with it the HTTP API and the recorder. On the linear-time
 * engine the rule tester, a saved rule and real scans answer at once, and the station answers
 * /api/health asked at the same moment.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { routes, ScanResponse, ScanSettings, ScanTestResult, StatusResponse } from '../../shared/api.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const CATASTROPHIC = { name: 'dashed code', kind: 'order' as const, pattern: '^([A-Z0-9]+-?)+$' };
/** 27 letters and digits, then a character the rule refuses: 2^27 ways for a backtracking engine to try. */
const NO_MATCH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ1!';
/** Generous for a request on a loaded 2-core machine; the old station took ~5 s per classification, and several are asked for. */
const HEALTH_WITHIN_MS = 3_000;

describe('a catastrophic classification rule', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    const s = station;
    station = null;
    if (!s) return;
    const code = await Promise.race([s.stop(), sleep(60_000).then(() => 'hung' as const)]);
    if (code === 'hung') {
      s.proc.kill('SIGKILL');
      await s.exited;
    }
  });

  it('is tested, saved and used for scans while the station goes on answering', async () => {
    station = await startStation();
    const s = station;
    const json = { 'content-type': 'application/json' };
    const post = (path: string, body: unknown) => s.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
    const health = () => s.api('/api/health', { signal: AbortSignal.timeout(HEALTH_WITHIN_MS) });
    const saved = ScanSettings.parse(await (await s.api(routes.scanSettings)).json());
    const settings = { ...saved, rules: [CATASTROPHIC, ...saved.rules] };

    // The rule tester: three classifications at once, and a health check right behind them.
    const tests = [1, 2, 3].map(() => post(routes.scanTest, { code: NO_MATCH, settings }));
    await sleep(50);
    expect((await health()).status).toBe(200);
    for (const r of await Promise.all(tests)) {
      expect(r.status).toBe(200);
      expect(ScanTestResult.parse(await r.json())).toMatchObject({ kind: 'invalid', rule: null, reason: 'no rule matches it' });
    }
    const good = ScanTestResult.parse(await (await post(routes.scanTest, { code: 'AB12-CD34', settings })).json());
    expect(good).toMatchObject({ kind: 'order', rule: 'dashed code' });

    // Saved, the rule classifies real scans the same way.
    const put = await s.api(routes.scanSettings, { method: 'PUT', headers: json, body: JSON.stringify(settings) });
    expect(put.status).toBe(200);
    const scans = [1, 2, 3].map(() => post(routes.scans, { code: NO_MATCH }));
    await sleep(50);
    expect((await health()).status).toBe(200);
    for (const r of await Promise.all(scans)) expect(ScanResponse.parse(await r.json()).action).toBe('rejected');

    // And the recording never noticed.
    const st = StatusResponse.parse(await (await s.api(routes.status)).json());
    expect(st.camera.restarts).toBe(0);
    await waitFor(async () => (StatusResponse.parse(await (await s.api(routes.status)).json()).recording ? true : undefined), 10_000, 'recording');
  });
});
