import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashLogResponse } from '../../shared/api.js';
import { recordCrash } from '../../electron/station/crash-log.js';
import { startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

describe('GET /api/logs/crash', () => {
  let st: StationProcess;
  beforeAll(async () => {
    const dataDir = tempDataDir();
    // Crashes of earlier runs, as main.ts and the CLI record them.
    recordCrash(dataDir, 'station', new Error('disk vanished'));
    recordCrash(dataDir, 'renderer', 'render process gone', { reason: 'oom' });
    st = await startStation({ dataDir });
  });
  afterAll(async () => {
    await st?.stop();
  });

  it('returns the newest entries first to the operator', async () => {
    const res = await st.api('/api/logs/crash');
    expect(res.status).toBe(200);
    const body = CrashLogResponse.parse(await res.json());
    expect(body.entries.map((e) => [e.source, e.message])).toEqual([
      ['renderer', 'render process gone'],
      ['station', 'Error: disk vanished'],
    ]);
    expect(body.entries[1]!.stack).toMatch(/Error: disk vanished/);
  });

  it('takes a limit and refuses a bad one with one sentence', async () => {
    const one = CrashLogResponse.parse(await (await st.api('/api/logs/crash?limit=1')).json());
    expect(one.entries).toHaveLength(1);
    // The count is of the whole file, not of the page; the path is where support finds it on this PC.
    expect(one.total).toBe(2);
    expect(one.file).toBe(join(st.dataDir, 'logs', 'crash.log'));
    const bad = await st.api('/api/logs/crash?limit=zero');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'limit is a whole number from 1 to 1000', code: 'crashLog.limitWhole', message: { 'zh-CN': 'limit 须为 1 到 1000 之间的整数' } });
  });

  it('is refused without the token (stacks name files on this PC)', async () => {
    const res = await fetch(`${st.origin}/api/logs/crash`);
    expect(res.status).toBe(401);
  });
});
