import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

/** A small deterministic PRNG, so a failing run can be replayed with the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const COUNT = 10_000;

function randomScan(rnd: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  // Mostly noise; a few per cent real codes and commands, so clips start, switch, attach and stop too.
  if (r < 0.02) return `SF${String(Math.floor(rnd() * 1e13)).padStart(13, '0')}`;
  if (r < 0.035) return String(Math.floor(rnd() * 1e18)).padStart(18, '1');
  if (r < 0.045) return pick(['PW-STOP', 'PW-CANCEL', 'PW-PACK', 'PW-RETURN', 'pw-stop', ' PW-STOP\r\n', ']C1PW-STOP']);
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
    '\u0000\u0001\u0007\b\t\n\r\u001b\u007f\u0085',
    '订单号运单快递顺丰中通é€😀\u200b\u202e\ufeff',
  ];
  const len = pick([0, 1, 3, 12, 20, 64, 128, 129, 300, 2000]);
  let s = '';
  for (let i = 0; i < len; i++) s += pick(pick(alphabets).split(''));
  return s;
}

describe('10,000 random scans against a live station', () => {
  let station: StationProcess;
  beforeAll(async () => {
    station = await startStation();
  });
  afterAll(async () => {
    await station?.stop();
  });

  it('never crashes and never leaves a clip inconsistent', async () => {
    const rnd = mulberry32(SEED);
    const actions = new Map<string, number>();
    for (let i = 0; i < COUNT; i++) {
      const code = randomScan(rnd);
      const res = await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      expect(res.status, `scan #${i} ${JSON.stringify(code)} (seed ${SEED})`).toBe(200);
      const r = ScanResponse.parse(await res.json());
      actions.set(r.action, (actions.get(r.action) ?? 0) + 1);
    }
    // Every kind of outcome was exercised.
    for (const a of ['started', 'switched', 'attached', 'stopped', 'ignored', 'rejected', 'mode']) expect(actions.get(a) ?? 0, a).toBeGreaterThan(0);

    const st = StatusResponse.parse(await (await station.api(routes.status)).json());
    expect(st.recording).toBe(true);
    expect(st.lastScanId).toBe(COUNT);

    const db = openDatabase(join(station.dataDir, 'packwitness.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM clips WHERE status = 'recording'").get()).toEqual({ n: st.activeClipId === null ? 0 : 1 });
      expect(db.prepare('SELECT count(*) AS n FROM clips WHERE end_ms < start_ms').get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM clips WHERE status != 'recording' AND end_ms IS NULL").get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM clips c WHERE NOT EXISTS (SELECT 1 FROM clip_codes cc WHERE cc.clip_id = c.id)').get()).toEqual({ n: 0 });
      // No control character or over-long code ever reached a clip.
      const codes = db.prepare('SELECT code FROM clip_codes').all() as Array<{ code: string }>;
      for (const { code } of codes) {
        expect(code.length).toBeLessThanOrEqual(128);
        // eslint-disable-next-line no-control-regex
        expect(code).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }
      // Every scan is in the log, with what it did.
      expect(db.prepare('SELECT count(*) AS n FROM scans').get()).toEqual({ n: COUNT });
      expect(db.prepare("SELECT count(*) AS n FROM scans WHERE action NOT IN ('started','switched','attached','stopped','ignored','rejected','mode')").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect((await fetch(station.origin + routes.health)).status).toBe(200);
  }, 240_000);
});
