import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Clip, ClipSearchResponse, ScanResponse, routes } from '../../shared/api.js';
import { cliPath, repoRoot, startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const WAYBILL = 'SF3141592653589';

describe('the clip library over HTTP and the CLI, on a live station', () => {
  let station: StationProcess;
  let clipId: number;
  const json = async <T>(res: Response, schema: { parse: (v: unknown) => T }): Promise<T> => schema.parse(await res.json());

  beforeAll(async () => {
    station = await startStation();
    await sleep(1_000);
    const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const started = await json(await post(WAYBILL), ScanResponse);
    clipId = started.id!;
    await sleep(2_500);
    await post('PW-STOP');
    await waitFor(async () => {
      const c = await json(await station.api(routes.clip(clipId)), Clip);
      return c.video && c.hasThumbnail ? c : undefined;
    }, 15_000, 'video and thumbnail');
  });
  afterAll(async () => {
    await station?.stop();
  });

  it('finds the clip by the last 5 digits of its waybill, typed with a space', async () => {
    const r = await json(await station.api(`${routes.clips}?q=${encodeURIComponent('53 589')}`), ClipSearchResponse);
    expect(r.items.map((c) => c.id)).toEqual([clipId]);
    expect(r.items[0]).toMatchObject({ codes: [WAYBILL], mode: 'pack', status: 'closed', protected: false, hasVideo: true, hasThumbnail: true, station: 'Station 1' });
    const none = await json(await station.api(`${routes.clips}?q=00000999`), ClipSearchResponse);
    expect(none.items).toEqual([]);
    expect((await station.api(`${routes.clips}?mode=sideways`)).status).toBe(400);
    expect((await station.api(`${routes.clips}?from=yesterday`)).status).toBe(400);
  });

  it('serves the poster frame as a JPEG', async () => {
    const res = await station.api(routes.clipThumbnail(clipId));
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('protects a clip and keeps a note, writing who did it to the audit log', async () => {
    const patched = await json(
      await station.api(routes.clip(clipId), { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-packwitness-actor': 'cs-agent-li' }, body: JSON.stringify({ protected: true, note: 'buyer claims broken mug' }) }),
      Clip,
    );
    expect(patched).toMatchObject({ protected: true, note: 'buyer claims broken mug' });
    await station.api(routes.clipVideo(clipId), { headers: { range: 'bytes=0-' } });
    const { entries } = await json(await station.api(routes.clipAudit(clipId)), AuditResponse);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['view', 'station:Station 1'],
      ['note', 'cs-agent-li'],
      ['protect', 'cs-agent-li'],
    ]);
    expect(entries[1]!.detail).toBe('buyer claims broken mug');
    const protectedOnly = await json(await station.api(`${routes.clips}?protected=true`), ClipSearchResponse);
    expect(protectedOnly.items.map((c) => c.id)).toEqual([clipId]);
    expect((await station.api(routes.clip(clipId), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    expect((await station.api(routes.clip(987654), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"protected":true}' })).status).toBe(404);
  });

  it('`packwitness find` reads the same folder while the station records', () => {
    const r = spawnSync(process.execPath, [cliPath, 'find', '--data', station.dataDir, '92653'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${clipId}\\t\\S+Z\\t\\S+Z\\tpack\\tclosed protected\\tStation 1\\t${WAYBILL}$`));
    const miss = spawnSync(process.execPath, [cliPath, 'find', '--data', station.dataDir, 'QQQQQQ'], { cwd: repoRoot, encoding: 'utf8' });
    expect(miss.status).toBe(3);
    expect(miss.stderr).toMatch(/no clip has a code containing "QQQQQQ"/);
    const noDb = spawnSync(process.execPath, [cliPath, 'find', '--data', '/nonexistent-folder', '123'], { cwd: repoRoot, encoding: 'utf8' });
    expect(noDb.status).toBe(1);
    expect(noDb.stderr).toMatch(/There is no PackWitness database in \/nonexistent-folder/);
  });
});
