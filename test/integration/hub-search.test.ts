/**
 * The hub's search by fragment against the hub's own PostgreSQL (embedded, as `packwitness hub`
 * starts it): every page searchHubClips gives, newest first and paged by its cursor, equals
 * LIKE '%fragment%' on the clips table, with and without the library's filters. The clips include
 * a piece repeated in one code and across codes, codes shorter than a piece, LIKE's own wildcard
 * characters, clips whose codes are changed or that are deleted after they were indexed, and clips
 * that were in the table before the gram migration ran.
 */
import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../electron/hub/db/embedded-postgres.js';
import { migrateHub, openHubPool, type HubPool } from '../../electron/hub/db/hub-database.js';
import { hubMigrations } from '../../electron/hub/db/migrations/index.js';
import { searchText } from '../../electron/hub/ingest.js';
import { searchHubClips, type HubSearch } from '../../electron/hub/library.js';
import { tempHubDir } from '../helpers/hub-process.js';

let pg: EmbeddedPostgres;
let pool: HubPool;
const stations: number[] = [];
let nextClipId = 1;
const T0 = Date.UTC(2026, 2, 1, 8);

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => String(randomInt(10))).join('');

/** Codes from a small alphabet, so fragments hit many clips and pages run out mid-walk. */
function someCodes(): string[] {
  const kinds = [
    () => `SF${digits(9)}`,
    () => `12${digits(4)}12${digits(2)}`, // a piece twice in one code
    () => digits(3), // shorter than a piece
    () => `A%B_${digits(4)}`, // LIKE's wildcards, as typed
    () => `jd-${digits(6)}`, // normalised to JD…
    () => '1212',
  ];
  return Array.from({ length: 1 + randomInt(3) }, () => pick(kinds)());
}

async function insertClip(stationIdx: number, at: number, codes: string[], packer: string | null = null): Promise<number> {
  const r = await pool.query<{ id: string }>(
    `INSERT INTO clips (station_id, station_clip_id, station_name, camera, mode, status, codes, code_details, search_text, started_at,
                        video_bytes, video_sha256, video_duration_ms, bundle, packer, packer_name)
     VALUES ($1, $2, $3, 'cam', 'pack', 'closed', $4, '[]', $5, $6, 1, 'x', 1000, '{"videoName":"v.mp4","files":{}}', $7, $7) RETURNING id`,
    [stations[stationIdx], nextClipId++, `Bench ${stationIdx + 1}`, codes, searchText(codes), new Date(at), packer],
  );
  return Number(r.rows[0]!.id);
}

/** What LIKE '%fragment%' answers, newest first, under the same filters. */
async function likeScan(q: string, f: Omit<HubSearch, 'q' | 'limit' | 'cursor'>): Promise<number[]> {
  const where = ['search_text LIKE $1'];
  const args: unknown[] = [`%${q.toUpperCase().replace(/[\s-]/g, '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
  if (f.station) where.push(`station_name = $${args.push(f.station)}`);
  if (f.packer) where.push(`packer = $${args.push(f.packer)}`);
  if (f.fromMs !== undefined) where.push(`started_at >= $${args.push(new Date(f.fromMs))}`);
  if (f.toMs !== undefined) where.push(`started_at < $${args.push(new Date(f.toMs))}`);
  const r = await pool.query<{ id: string }>(`SELECT id FROM clips WHERE ${where.join(' AND ')} ORDER BY started_at DESC, id DESC`, args);
  return r.rows.map((x) => Number(x.id));
}

/** Every page searchHubClips gives, following nextCursor. */
async function allPages(q: string, f: Omit<HubSearch, 'q' | 'limit' | 'cursor'>, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: HubSearch['cursor'];
  for (let page = 0; page < 1000; page++) {
    const r = await searchHubClips(pool, { ...f, q, limit, cursor });
    ids.push(...r.items.map((x) => x.id));
    if (!r.nextCursor) return ids;
    expect(r.items).toHaveLength(limit);
    const last = r.items.at(-1)!;
    cursor = { startedAt: last.startedAt, id: last.id };
  }
  throw new Error('the pages did not end');
}

beforeAll(async () => {
  const hubDir = tempHubDir();
  mkdirSync(hubDir);
  // Run as root, the server runs as `postgres`, who must enter the folder.
  chmodSync(hubDir, 0o711);
  pg = await startEmbeddedPostgres(hubDir);
  pool = openHubPool(pg.connectionString);
  // The clips before the gram migration: it must index what is already there. (The migrations before
  // it only: a later one applied now would leave the schema past it, and the gram migration skipped.)
  await migrateHub(
    pool,
    hubMigrations.slice(0, hubMigrations.findIndex((m) => m.name === 'clip grams')),
  );
  for (let s = 1; s <= 3; s++) {
    const r = await pool.query<{ id: string }>('INSERT INTO stations (name, public_key_pem, fingerprint) VALUES ($1, $2, $3) RETURNING id', [`Bench ${s}`, 'k', `fp-${s}`]);
    stations.push(Number(r.rows[0]!.id));
  }
  for (let i = 0; i < 150; i++) await insertClip(i % 3, T0 + i * 60_000, someCodes(), i % 4 === 0 ? 'P01' : null);
  await migrateHub(pool);
  // Several clips at the same second, so the cursor's id breaks ties.
  for (let i = 0; i < 250; i++) await insertClip(i % 3, T0 + 150 * 60_000 + Math.floor(i / 5) * 60_000, someCodes(), i % 4 === 0 ? 'P01' : null);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await pg?.stop();
});

describe('hub search by fragment', () => {
  const fragments = ['1212', '212', 'SF1', 'A%B_', '%B_1', 'B_12', 'JD12', 'jd-1', '21212', '12121212', '0000', 'QQQQ', '%', '_'];

  it('gives the pages LIKE gives, for fragments of every length, with and without filters', async () => {
    const codes = (await pool.query<{ codes: string[] }>('SELECT codes FROM clips')).rows.flatMap((r) => r.codes).map((c) => c.toUpperCase().replace(/[\s-]/g, ''));
    const picked = [...fragments];
    for (let i = 0; i < 30; i++) {
      const c = pick(codes.filter((x) => x.length >= 4));
      const len = 4 + randomInt(Math.min(7, c.length - 3));
      const at = randomInt(c.length - len + 1);
      picked.push(c.slice(at, at + len));
    }
    const filters: Array<Omit<HubSearch, 'q' | 'limit' | 'cursor'>> = [{}, { station: 'Bench 2' }, { packer: 'P01' }, { fromMs: T0 + 100 * 60_000, toMs: T0 + 200 * 60_000 }];
    let nonEmpty = 0;
    for (const q of picked) {
      for (const f of filters) {
        const want = await likeScan(q, f);
        if (want.length) nonEmpty++;
        expect(await allPages(q, f, 7), `"${q}" ${JSON.stringify(f)}`).toEqual(want);
      }
    }
    expect(nonEmpty).toBeGreaterThan(picked.length);
  }, 120_000);

  it('follows a clip whose codes change and forgets a deleted clip', async () => {
    const id = await insertClip(0, T0 + 10_000 * 60_000, ['ZZYY1234']);
    expect((await searchHubClips(pool, { q: 'ZZYY', limit: 10 })).items.map((x) => x.id)).toEqual([id]);
    // A record sent again with other codes (as ingest's ON CONFLICT … DO UPDATE) and a later start.
    await pool.query('UPDATE clips SET search_text = $2, codes = $3, started_at = started_at + interval \'1 minute\' WHERE id = $1', [id, searchText(['XXWW5678']), ['XXWW5678']]);
    expect((await searchHubClips(pool, { q: 'ZZYY', limit: 10 })).items).toEqual([]);
    const moved = (await searchHubClips(pool, { q: 'XXWW56', limit: 10 })).items;
    expect(moved.map((x) => x.id)).toEqual([id]);
    expect(moved[0]!.startedAt).toBe(new Date(T0 + 10_001 * 60_000).toISOString());
    // A change that is not to the codes leaves the grams as they were.
    await pool.query('UPDATE clips SET protected = true WHERE id = $1', [id]);
    expect((await pool.query('SELECT count(*)::int AS n FROM clip_grams WHERE clip_id = $1', [id])).rows[0]).toEqual({ n: 5 });
    await pool.query('DELETE FROM clips WHERE id = $1', [id]);
    expect((await searchHubClips(pool, { q: 'XXWW', limit: 10 })).items).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM clip_grams WHERE clip_id = $1', [id])).rows[0]).toEqual({ n: 0 });
  });
});
