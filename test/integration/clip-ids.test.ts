/**
 * A clip id has one spelling, plain digits (`42`), on every way in: the HTTP routes that take one in
 * their path or query string, and the CLI's `--clip`. Any other spelling (`0x1`, `+1`, `01`, `1e3`,
 * …) is refused with one sentence, never read as a number that happens to name a clip.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Clip, ErrorResponse, ScanResponse, routes } from '../../shared/api.js';
import { cliPath, repoRoot, startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

/** Each of these is a number to `Number()` (the last one rounds to 2^53), and none is an id. */
const BAD_IDS = ['0x1', '+1', '01', '1e3', '1.0', ' 1', '9007199254740993'];
const SENTENCE = 'the clip id must be a whole number from 1 to 9007199254740991 written in plain digits, e.g. 42';

const json = { 'content-type': 'application/json' };
const CLIP_ROUTES: Array<{ method: string; path: (id: string) => string; body?: string }> = [
  { method: 'GET', path: (id) => `/api/clips/${id}` },
  { method: 'GET', path: (id) => `/api/clips/${id}/audit` },
  { method: 'GET', path: (id) => `/api/clips/${id}/thumbnail.jpg` },
  { method: 'GET', path: (id) => `/api/clips/${id}/video` },
  { method: 'PATCH', path: (id) => `/api/clips/${id}`, body: '{"note":"x"}' },
  { method: 'POST', path: (id) => `/api/clips/${id}/export`, body: '{}' },
  { method: 'GET', path: (id) => `/api/exports?clip=${id}` },
];

describe('a clip id over HTTP', () => {
  let station: StationProcess;
  let clipId: number;
  beforeAll(async () => {
    station = await startStation();
    const scan = ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code: 'SF1000000000001' }) })).json());
    expect(scan.id).toBe(1); // so every bad spelling below would name a clip that exists
    clipId = scan.id!;
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('in plain digits opens the clip', async () => {
    expect(Clip.parse(await (await station.api(routes.clip(clipId))).json()).id).toBe(clipId);
    expect(AuditResponse.parse(await (await station.api(`/api/clips/${clipId}/audit`)).json()).entries).toBeDefined();
    const list = await station.api(`/api/exports?clip=${clipId}`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ jobs: [] });
    // The largest id there can be is well-formed: it names no clip.
    expect((await station.api(routes.clip(Number.MAX_SAFE_INTEGER))).status).toBe(404);
  });

  it(`spelt any other way (${BAD_IDS.join(', ')}) is a 400 with one sentence on every route that takes one`, async () => {
    for (const r of CLIP_ROUTES) {
      for (const id of BAD_IDS) {
        const path = r.path(encodeURIComponent(id));
        const res = await station.api(path, { method: r.method, headers: r.body ? json : {}, body: r.body });
        expect(res.status, `${r.method} ${path}`).toBe(400);
        const body = ErrorResponse.parse(await res.json());
        expect(body.error, `${r.method} ${path}`).toBe(SENTENCE);
        expect(body.message?.['zh-CN'], `${r.method} ${path}`).toMatch(/^片段编号必须是/);
      }
    }
    // An empty or repeated ?clip= is not an id either.
    for (const q of ['clip=', 'clip=1&clip=2']) expect((await station.api(`/api/exports?${q}`)).status, q).toBe(400);
    // Nothing the refused requests named was touched: no note, no export.
    expect(Clip.parse(await (await station.api(routes.clip(clipId))).json()).note).toBeNull();
    expect(await (await station.api('/api/exports')).json()).toEqual({ jobs: [] });
  });
});

describe('a clip id on the command line', () => {
  const exportClip = (id: string) => {
    const r = spawnSync(process.execPath, [cliPath, 'export', '--data', tempDataDir(), '--clip', id, '--out', tempDataDir('pw-out-')], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stderr: r.stderr };
  };

  it(`spelt any other way than plain digits is a usage error naming the rule`, () => {
    for (const id of [...BAD_IDS, '0', '-1', 'abc', '']) {
      const r = exportClip(id);
      expect(r.status, id).not.toBe(0);
      expect(r.stderr, id).toContain('a clip id is a whole number from 1 to 9007199254740991 written in plain digits, e.g. 42');
      expect(r.stderr, id).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    }
  });

  it('in plain digits gets past the option check to the data folder', () => {
    const r = exportClip('1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toContain('a clip id is');
    expect(r.stderr).toMatch(/^packwitness: /m);
  });
});
