/**
 * `hub` benchmark: the warehouse hub's search at 1,000,000 clips from 20 stations, and its ingest
 * with 20 stations each closing a clip every 10 s.
 *
 * Search: the hub's own embedded PostgreSQL (startEmbeddedPostgres, as `packwitness hub` starts it)
 * with the hub's migrations, so the real `clips` table, its `clip_grams` (hub migration 007) and the
 * pg_trgm GIN index are measured. The clips are inserted in batches of multi-row INSERTs (unnest of
 * arrays) with both search indexes dropped and the gram trigger off; then the grams are written by
 * one INSERT … SELECT through the migration's own clip_grams_of, the indexes made again from their
 * own definitions (pg_get_indexdef) and the tables vacuumed and analysed, as a months-old hub table
 * would be. Fragments of 4, 6 and 10 characters go through searchHubClips (the code GET /api/clips
 * runs). The baseline is LIKE '%fragment%' on `clips`, the same columns and order, from a second
 * pool whose sessions have enable_bitmapscan, enable_indexscan and enable_indexonlyscan off:
 * PostgreSQL must scan the table (it may use its parallel workers). Both answers are compared, id
 * by id. BENCH_HUB_CLIPS sets a smaller table for trying things out.
 *
 * Ingest: the real hub process (`packwitness hub`, the built CLI) on the same data folder, so its
 * table holds the million clips. 20 simulated stations, each with its own Ed25519 station key
 * (loadOrCreateStationKeys) and SQLite settings, pair through HubLink (the station's hub link: join,
 * heartbeat, signed requests), and each closes a clip every 10 s: a signed evidence manifest (the
 * hub checks it against the key it paired), the record by HubLink.postSigned and the video by
 * HubLink.putSigned, the calls the station's uploader makes. Measured: clip end → the hub's search
 * API finds the clip by its waybill, and clip end → video stored. Not included: the station's own
 * work before the upload (the uploader's bundle export of the clip), which does not run here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hubRoutes, normalizeCode, type HubClipUpload, type HubClipUploadResponse } from '../shared/api.js';
import { hubRouteTable } from '../shared/hub-route-table.js';
import { startEmbeddedPostgres } from '../electron/hub/db/embedded-postgres.js';
import { migrateHub, openHubPool, type HubPool } from '../electron/hub/db/hub-database.js';
import { searchText } from '../electron/hub/ingest.js';
import { HUB_SUMMARY_COLUMNS, hubSearchQuery, searchHubClips } from '../electron/hub/library.js';
import { openDatabase } from '../electron/station/catalog/database.js';
import { canonicalJson, MANIFEST_FORMAT, type Manifest } from '../electron/station/evidence/manifest.js';
import { CHAIN_FORMAT } from '../electron/station/evidence/segment-chain.js';
import { loadOrCreateStationKeys, signBytes } from '../electron/station/evidence/station-keys.js';
import { HubLink } from '../electron/station/hub/hub-link.js';
import { SettingsStore } from '../electron/station/scans/settings-store.js';
import { clipCodes, digits, letters } from './hub-codes.js';
import { pickFragment, type QueryClass } from './search.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIPS = Number(process.env.BENCH_HUB_CLIPS ?? 1_000_000);
const STATIONS = 20;
const QUERIES_PER_CLASS = 60;
const BASELINE_QUERIES_PER_CLASS = 8;
const PAGE = 50;
const INGEST_SECONDS = Number(process.env.BENCH_HUB_INGEST_SECONDS ?? 90);
const CLIP_EVERY_MS = 10_000;
/** A 10 s clip at 1 Mbit/s (the order of the demo camera's H.264): the video each simulated clip uploads. */
const VIDEO_BYTES = 1_250_000;
const TARGETS = { searchP95Ms: 10, ingestP95Ms: 2_000 };

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const r2 = (n: number): number => Math.round(n * 100) / 100;

/** A hub data folder the embedded PostgreSQL can reach when run as root (it then runs as `postgres`). */
export function hubDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-hub-'));
  mkdirSync(join(dir, 'hub'));
  if (process.getuid?.() === 0) for (const d of [dir, join(dir, 'hub')]) chmodSync(d, 0o711);
  return dir;
}

async function generate(pool: HubPool): Promise<{ seconds: number; indexSeconds: number; sample: string[]; tableMB: number; indexMB: number; gramRows: number; gramTableMB: number; gramIndexMB: number }> {
  const t = performance.now();
  const stationIds: number[] = [];
  for (let s = 1; s <= STATIONS; s++) {
    const r = await pool.query<{ id: string }>('INSERT INTO stations (name, public_key_pem, fingerprint) VALUES ($1, $2, $3) RETURNING id', [`Bench ${s}`, 'bench', createHash('sha256').update(`bench-${s}`).digest('hex')]);
    stationIds.push(Number(r.rows[0]!.id));
  }
  // Both search indexes are made after the rows, from their own definitions; the gram rows are
  // written by one INSERT … SELECT through the migration's clip_grams_of rather than row by row.
  const indexDefs = (await pool.query<{ def: string }>("SELECT pg_get_indexdef(i::regclass) AS def FROM unnest(ARRAY['clips_search_trgm', 'clip_grams_walk']) AS i")).rows.map((r) => r.def);
  await pool.query('DROP INDEX clips_search_trgm; DROP INDEX clip_grams_walk; ALTER TABLE clips DISABLE TRIGGER clip_grams_insert');
  const sample: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  const stepMs = Math.floor((180 * 86_400_000) / CLIPS); // 180 days of packing over 20 benches
  const BATCH = 5_000;
  const sha = createHash('sha256').update('bench video').digest('hex');
  const bundle = JSON.stringify({ videoName: 'clip.mp4', files: {} });
  for (let b = 0; b < CLIPS; b += BATCH) {
    const cols: unknown[][] = Array.from({ length: 9 }, () => []);
    for (let i = b; i < Math.min(CLIPS, b + BATCH); i++) {
      const at = start + i * stepMs;
      const codes = clipCodes(at);
      const s = i % STATIONS;
      for (const c of codes) if (randomInt(1500) === 0) sample.push(normalizeCode(c.code));
      cols[0]!.push(stationIds[s]);
      cols[1]!.push(Math.floor(i / STATIONS) + 1);
      cols[2]!.push(`Bench ${s + 1}`);
      cols[3]!.push(i % 10 === 0 ? 'return' : 'pack');
      cols[4]!.push(codes.map((c) => c.code).join('\n'));
      cols[5]!.push(JSON.stringify(codes.map((c, k) => ({ ...c, scannedAt: new Date(at + k * 5_000).toISOString() }))));
      cols[6]!.push(searchText(codes.map((c) => c.code)));
      cols[7]!.push(new Date(at));
      cols[8]!.push(new Date(at + 40_000));
    }
    await pool.query(
      `INSERT INTO clips (station_id, station_clip_id, station_name, camera, mode, status, codes, code_details, search_text, started_at, ended_at, end_reason,
                          video_bytes, video_sha256, video_duration_ms, video_fps, video_stored_at, bundle)
       SELECT sid, scid, sname, 'cam', mode, 'closed', string_to_array(codes, E'\\n'), details::jsonb, st, sa, ea, 'next-scan',
              5000000, $10, 40000, 25, ea, $11::jsonb
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
           AS u(sid, scid, sname, mode, codes, details, st, sa, ea)`,
      [...cols, sha, bundle],
    );
    if ((b / BATCH) % 40 === 0) console.log(`hub: ${b.toLocaleString()} clips inserted`);
  }
  const seconds = (performance.now() - t) / 1000;
  const ti = performance.now();
  // Building the index over a million rows outlasts the hub pool's 30 s statement time-out: a session of its own.
  const c = await pool.connect();
  try {
    await c.query("SET statement_timeout = 0; SET maintenance_work_mem = '256MB'");
    await c.query('INSERT INTO clip_grams (gram, started_at, clip_id, line) SELECT o.gram, c.started_at, c.id, o.line FROM clips c, clip_grams_of(c.search_text) o');
    for (const def of indexDefs) await c.query(def);
    await c.query('ALTER TABLE clips ENABLE TRIGGER clip_grams_insert');
    await c.query('VACUUM ANALYZE clips');
    await c.query('VACUUM ANALYZE clip_grams');
  } finally {
    c.release(true);
  }
  const indexSeconds = (performance.now() - ti) / 1000;
  const size = (
    await pool.query<{ t: string; i: string; gt: string; gi: string; gn: string }>(
      "SELECT pg_table_size('clips') AS t, pg_relation_size('clips_search_trgm') AS i, pg_table_size('clip_grams') AS gt, pg_relation_size('clip_grams_walk') AS gi, (SELECT reltuples::bigint FROM pg_class WHERE relname = 'clip_grams') AS gn",
    )
  ).rows[0]!;
  const mb = (x: string): number => r2(Number(x) / 1e6);
  return { seconds, indexSeconds, sample, tableMB: mb(size.t), indexMB: mb(size.i), gramRows: Number(size.gn), gramTableMB: mb(size.gt), gramIndexMB: mb(size.gi) };
}

async function makeQueries(codes: string[], pool: HubPool): Promise<QueryClass[]> {
  const classes: QueryClass[] = [];
  const pickHit = (len: number, where: 'end' | 'middle'): string => pickFragment(codes, len, where);
  const pickMiss = async (len: number): Promise<string> => {
    for (;;) {
      // Letters mixed with digits in an order no generated code has: plausible typos.
      const q = `${letters(Math.ceil(len / 2), 'QWXZ')}${digits(Math.floor(len / 2))}`.slice(0, len);
      if ((await searchHubClips(pool, { q, limit: 1 })).items.length === 0) return q;
    }
  };
  for (const length of [4, 6, 10]) {
    for (const where of ['end', 'middle'] as const) {
      classes.push({ name: `${length} chars, hit (${where})`, length, hit: true, queries: Array.from({ length: QUERIES_PER_CLASS }, () => pickHit(length, where)) });
    }
    const misses: string[] = [];
    for (let i = 0; i < QUERIES_PER_CLASS; i++) misses.push(await pickMiss(length));
    classes.push({ name: `${length} chars, miss`, length, hit: false, queries: misses });
  }
  return classes;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measureSearch(connectionString: string, pool: HubPool, sample: string[]) {
  // LIKE '%fragment%' on clips, the same columns and order as searchHubClips, with the planner kept
  // from every index: a scan of the table.
  const scan = new pg.Pool({ connectionString, max: 2, options: '-c enable_bitmapscan=off -c enable_indexscan=off -c enable_indexonlyscan=off' });
  const scanSql = `SELECT ${HUB_SUMMARY_COLUMNS.join(', ')} FROM clips WHERE search_text LIKE $1 ORDER BY started_at DESC, id DESC LIMIT ${PAGE + 1}`;
  const likeScan = async (q: string): Promise<number[]> => (await scan.query<{ id: string }>(scanSql, [`%${normalizeCode(q).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`])).rows.map((x) => Number(x.id));
  try {
    const classes = await makeQueries(sample, pool);
    for (const c of classes) for (const q of c.queries.slice(0, 5)) await searchHubClips(pool, { q, limit: PAGE });
    const plan = async (p: HubPool, q: string): Promise<string> => {
      const { sql, args } = hubSearchQuery({ q, limit: PAGE });
      const r = await p.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, args);
      return r.rows
        .map((x) => x['QUERY PLAN'].replace(/\s+\(cost=.*$/, '').replace(/^\s*(->\s*)?/, ''))
        .filter((l) => /^(Limit|Sort|Incremental Sort|Unique|Nested Loop|Hash Join|Merge Join|Gather Merge|Gather|Seq Scan|Parallel Seq Scan|Bitmap|Index Scan|Index Only Scan|BitmapAnd|BitmapOr)\b/.test(l))
        .join(' ← ');
    };
    const loadBefore = loadavg()[0]!;
    const rows = [];
    for (const c of classes) {
      const indexed: number[] = [];
      for (const q of c.queries) indexed.push(await time(() => searchHubClips(pool, { q, limit: PAGE })));
      const baseline: number[] = [];
      for (const q of c.queries.slice(0, BASELINE_QUERIES_PER_CLASS)) {
        baseline.push(await time(() => likeScan(q)));
        const page = await searchHubClips(pool, { q, limit: PAGE });
        const a = [...page.items.map((x) => x.id), ...(page.nextCursor ? ['more'] : [])];
        const b = (await likeScan(q)).map((id, i) => (i < PAGE ? id : 'more'));
        if (c.hit && a.length === 0) throw new Error(`hit query "${q}" found nothing`);
        if (!c.hit && a.length !== 0) throw new Error(`miss query "${q}" found ${a.length}`);
        if (a.join() !== b.join()) throw new Error(`"${q}": the index found ${a.join()}, the scan ${b.join()}`);
      }
      rows.push({
        class: c.name,
        examples: c.queries.slice(0, 3),
        plan: await plan(pool, c.queries[0]!),
        indexedMs: { n: indexed.length, p50: r2(pct(indexed, 50)), p95: r2(pct(indexed, 95)), max: r2(Math.max(...indexed)) },
        baselineScanMs: { n: baseline.length, p50: r2(pct(baseline, 50)), p95: r2(pct(baseline, 95)) },
        speedupP95: r2(pct(baseline, 95) / pct(indexed, 95)),
        meetsTarget: pct(indexed, 95) <= TARGETS.searchP95Ms,
      });
    }
    const baselinePlan = (await scan.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${scanSql}`, [`%${classes[0]!.queries[0]!}%`])).rows
      .map((x) => x['QUERY PLAN'].replace(/\s+\(cost=.*$/, '').replace(/^\s*(->\s*)?/, ''))
      .filter((l) => /^(Limit|Sort|Gather Merge|Gather|Seq Scan|Parallel Seq Scan)\b/.test(l))
      .join(' ← ');
    return { rows, loadAverage: { before: r2(loadBefore), after: r2(loadavg()[0]!) }, baselinePlan };
  } finally {
    await scan.end();
  }
}

export interface RunningHub {
  origin: string;
  token: string;
  proc: ChildProcess;
  stop: () => Promise<void>;
}

export async function startHubProcess(dataDir: string): Promise<RunningHub> {
  const token = randomBytes(16).toString('hex');
  const proc = spawn(process.execPath, [join(root, 'bin', 'packwitness.js'), 'hub', '--data', dataDir, '--port', '0', '--token', token], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<void>((ok) => proc.on('exit', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the hub did not print READY within 60 s\n${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the hub exited (${code}) before READY\n${err}`));
    });
  });
  return {
    origin: new URL(url).origin,
    token,
    proc,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

interface SimStation {
  name: string;
  link: HubLink;
  keys: ReturnType<typeof loadOrCreateStationKeys>;
  close: () => void;
}

async function pairStations(hub: RunningHub, dir: string): Promise<SimStation[]> {
  const stations: SimStation[] = [];
  for (let s = 1; s <= STATIONS; s++) {
    const sdir = join(dir, `station-${s}`);
    mkdirSync(sdir, { recursive: true });
    const keys = loadOrCreateStationKeys(sdir);
    const db = openDatabase(join(sdir, 'packwitness.db'));
    const name = `Ingest ${s}`;
    const link = new HubLink({
      settings: new SettingsStore(db),
      keys,
      stationName: () => name,
      report: () => Promise.resolve({ recording: true, backlog: 0, freeDiskBytes: null, diskDaysLeft: null }),
      backlog: () => 0,
    });
    const token = ((await (await fetch(`${hub.origin}${hubRoutes.pairings}`, { method: 'POST', headers: { authorization: `Bearer ${hub.token}` } })).json()) as { token: string }).token;
    await link.join(hub.origin, token);
    stations.push({
      name,
      link,
      keys,
      close: () => {
        link.stop();
        db.close();
      },
    });
  }
  return stations;
}

/** The record and manifest a station sends for a closed clip, the manifest signed with its key. */
function clipUpload(st: SimStation, clipId: number, startMs: number, endMs: number, video: Buffer): { upload: HubClipUpload; waybill: string } {
  const codes = clipCodes(startMs).map((c, k) => ({ ...c, scannedAt: new Date(startMs + k * 2_000).toISOString() }));
  const sha256 = createHash('sha256').update(video).digest('hex');
  const videoName = `clip-${clipId}.mp4`;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date(endMs).toISOString(),
    station: { name: st.name, publicKeyPem: st.keys.publicKeyPem, fingerprint: st.keys.fingerprint },
    clip: {
      id: clipId,
      camera: 'cam',
      mode: 'pack',
      status: 'closed',
      codes,
      startedAt: new Date(startMs).toISOString(),
      endedAt: new Date(endMs).toISOString(),
      endReason: 'next-scan',
      recordedVideo: { bytes: video.length, sha256, durationMs: endMs - startMs },
      gaps: [],
    },
    segments: [],
    chain: { format: CHAIN_FORMAT, entries: [] },
    export: { kind: 'original' },
    files: [{ path: videoName, role: 'video', bytes: video.length, sha256 }],
  };
  const bytes = canonicalJson(manifest);
  return {
    waybill: codes.find((c) => c.kind === 'waybill')!.code,
    upload: {
      clip: {
        id: clipId,
        stationName: st.name,
        camera: 'cam',
        mode: 'pack',
        status: 'closed',
        codeDetails: codes,
        startedAt: manifest.clip.startedAt,
        endedAt: manifest.clip.endedAt,
        endReason: 'next-scan',
        protected: false,
        note: null,
        order: null,
        packer: null,
        packingMs: endMs - startMs,
        duplicateScan: false,
        packerName: null,
        video: { bytes: video.length, sha256, durationMs: endMs - startMs, fps: 25 },
      },
      bundle: { videoName, files: { 'manifest.json': bytes.toString('base64'), 'manifest.sig': signBytes(st.keys, bytes).toString('base64') } },
    },
  };
}

async function* once(buf: Buffer): AsyncGenerator<Uint8Array> {
  yield buf;
}

async function measureIngest(hub: RunningHub, dir: string) {
  const stations = await pairStations(hub, dir);
  const searchable: number[] = [];
  const stored: number[] = [];
  const failures: string[] = [];
  const search = async (q: string): Promise<Array<{ stationClipId: number; station: string }>> =>
    ((await (await fetch(`${hub.origin}/api/clips?q=${encodeURIComponent(q)}&limit=50`, { headers: { authorization: `Bearer ${hub.token}` } })).json()) as { items: Array<{ stationClipId: number; station: string }> }).items;
  const loadBefore = loadavg()[0]!;
  const until = Date.now() + INGEST_SECONDS * 1000;
  try {
    await Promise.all(
      stations.map(async (st, k) => {
        // Benches do not close their clips in step: spread the first over the 10 s.
        await sleep(Math.floor((k * CLIP_EVERY_MS) / STATIONS));
        const video = randomBytes(VIDEO_BYTES);
        for (let clipId = 1; Date.now() < until; clipId++) {
          const endMs = Date.now();
          video.writeUInt32BE(clipId, 0); // another video each clip
          const { upload, waybill } = clipUpload(st, clipId, endMs - CLIP_EVERY_MS, endMs, video);
          try {
            const r = await st.link.postSigned(hubRouteTable.uploadClip, upload);
            if (!r.ok) throw new Error(`record: HTTP ${r.status} ${await r.text()}`);
            const ans = (await r.json()) as HubClipUploadResponse;
            // Searchable: the office's search API finds it by its waybill.
            for (;;) {
              if ((await search(waybill)).some((c) => c.stationClipId === clipId && c.station === st.name)) break;
              if (Date.now() - endMs > 30_000) throw new Error(`clip ${clipId} of ${st.name} not found by ${waybill}`);
              await sleep(20);
            }
            searchable.push(Date.now() - endMs);
            if (ans.videoSha256 === null) {
              const put = await st.link.putSigned(hubRouteTable.uploadVideo, { stationClipId: clipId }, once(video), upload.clip.video!.sha256);
              if (!put.ok) throw new Error(`video: HTTP ${put.status} ${await put.text()}`);
              await put.arrayBuffer();
            }
            stored.push(Date.now() - endMs);
          } catch (err) {
            failures.push(`${st.name}: ${(err as Error).message}`.slice(0, 300));
          }
          const next = endMs + CLIP_EVERY_MS - Date.now();
          if (next > 0) await sleep(next);
        }
      }),
    );
  } finally {
    for (const st of stations) st.close();
  }
  return {
    stations: STATIONS,
    clipEverySeconds: CLIP_EVERY_MS / 1000,
    seconds: INGEST_SECONDS,
    videoBytesPerClip: VIDEO_BYTES,
    clips: searchable.length,
    failures: failures.length,
    failureExamples: failures.slice(0, 5),
    clipEndToSearchableMs: { p50: r2(pct(searchable, 50)), p95: r2(pct(searchable, 95)), max: r2(Math.max(...searchable)) },
    clipEndToVideoStoredMs: { p50: r2(pct(stored, 50)), p95: r2(pct(stored, 95)), max: r2(Math.max(...stored)) },
    loadAverage: { before: r2(loadBefore), after: r2(loadavg()[0]!) },
    meetsTarget: failures.length === 0 && pct(searchable, 95) <= TARGETS.ingestP95Ms,
  };
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const dir = hubDataDir();
  const hubDir = join(dir, 'hub');
  try {
    console.log(`hub: generating ${CLIPS.toLocaleString()} clips from ${STATIONS} stations in the hub's embedded PostgreSQL…`);
    const embedded = await startEmbeddedPostgres(hubDir);
    const pool = openHubPool(embedded.connectionString);
    let gen: Awaited<ReturnType<typeof generate>>;
    let search: Awaited<ReturnType<typeof measureSearch>>;
    let pgVersion: string;
    try {
      await migrateHub(pool);
      pgVersion = (await pool.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
      gen = await generate(pool);
      console.log(`hub: inserted in ${gen.seconds.toFixed(1)} s, grams + indexes + vacuum ${gen.indexSeconds.toFixed(1)} s, table ${gen.tableMB} MB, trigram index ${gen.indexMB} MB, ${gen.gramRows.toLocaleString()} grams: table ${gen.gramTableMB} MB, index ${gen.gramIndexMB} MB`);
      search = await measureSearch(embedded.connectionString, pool, gen.sample);
    } finally {
      await pool.end();
      await embedded.stop();
    }
    console.log('class                    indexed p50/p95 ms    scan p50/p95 ms       speed-up p95');
    for (const r of search.rows) {
      console.log(`${r.class.padEnd(24)} ${`${r.indexedMs.p50} / ${r.indexedMs.p95}`.padEnd(21)} ${`${r.baselineScanMs.p50} / ${r.baselineScanMs.p95}`.padEnd(21)} ${r.speedupP95}x${r.meetsTarget ? '' : '  target missed'}`);
    }

    console.log(`hub: ingest, ${STATIONS} stations each closing a clip every ${CLIP_EVERY_MS / 1000} s for ${INGEST_SECONDS} s, against the hub process…`);
    const hub = await startHubProcess(hubDir);
    let ingest: Awaited<ReturnType<typeof measureIngest>>;
    try {
      ingest = await measureIngest(hub, join(dir, 'stations'));
    } finally {
      await hub.stop();
    }
    console.log(`hub: ingest of ${ingest.clips} clips: clip end → searchable p50 ${ingest.clipEndToSearchableMs.p50} ms, p95 ${ingest.clipEndToSearchableMs.p95} ms; → video stored p95 ${ingest.clipEndToVideoStoredMs.p95} ms; ${ingest.failures} failures`);

    const worstSearchP95 = Math.max(...search.rows.map((r) => r.indexedMs.p95));
    const meetsTarget = worstSearchP95 <= TARGETS.searchP95Ms && ingest.meetsTarget;
    const notes: string[] = [];
    if (worstSearchP95 > TARGETS.searchP95Ms) notes.push(`Search target missed: the worst class p95 is ${worstSearchP95} ms (target ${TARGETS.searchP95Ms} ms): ${search.rows.filter((r) => !r.meetsTarget).map((r) => r.class).join(', ')}.`);
    if (!ingest.meetsTarget) notes.push(`Ingest target missed: p95 clip end → searchable ${ingest.clipEndToSearchableMs.p95} ms (target ${TARGETS.ingestP95Ms} ms), ${ingest.failures} failures.`);
    const load = Math.max(search.loadAverage.before, ingest.loadAverage.before);
    if (load > cpus().length) notes.push(`Recorded on a shared ${cpus().length}-core machine at a 1-minute load average of about ${Math.round(load)} (other jobs): p95s include waits for the CPU; they were not re-measured on an idle machine.`);
    notes.push('Catch-up (a station backlog uploaded over loopback while it records) is its own benchmark: bench/hub-catchup.ts → bench/results/hub-catchup.json.');
    notes.push('Ingest simulates the stations (20 keys, HubLink signing and transport, a signed manifest per clip, random video bytes), not 20 recording stations: the stations\' own CPU (ffmpeg, bundle export) would not fit this 2-core machine next to the hub.');
    const result = {
      benchmark: 'hub',
      description: `Hub search through searchHubClips (fragments of 4+ characters through the clip_grams btree, newest first, the hub's migrations) vs LIKE '%fragment%' on clips with index scans disabled (a table scan), ${CLIPS.toLocaleString()} clips from ${STATIONS} stations, page of ${PAGE}; and ingest from ${STATIONS} simulated stations (signed uploads through HubLink) to the real hub process`,
      date: new Date().toISOString(),
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cpuCount: cpus().length,
        node: process.version,
        postgres: pgVersion,
        // A shared 2-core machine: other work shows up in the p95s.
        loadAverage1m: { search: search.loadAverage, ingest: ingest.loadAverage },
        nice: getPriority(),
      },
      method: {
        search: 'Embedded PostgreSQL started by startEmbeddedPostgres, schema by migrateHub. Rows by multi-row INSERT (unnest, 5,000 a statement) with clips_search_trgm and clip_grams_walk dropped and the clip_grams insert trigger disabled; then clip_grams filled by one INSERT … SELECT through clip_grams_of (what the trigger writes per clip), both indexes recreated from pg_get_indexdef (maintenance_work_mem 256MB, in a session without the hub pool\'s 30 s statement time-out), the trigger enabled, VACUUM ANALYZE. Baseline: SELECT of the same columns FROM clips WHERE search_text LIKE \'%fragment%\' ORDER BY started_at DESC, id DESC LIMIT 51 from sessions with enable_bitmapscan, enable_indexscan and enable_indexonlyscan off (PostgreSQL then scans the table, with its parallel workers). Answers compared id by id (the page and whether a next page exists).',
        ingest: 'The built `packwitness hub` on the same data folder (the million clips in its table). Each simulated station: loadOrCreateStationKeys, SQLite settings, HubLink.join with a pairing token, heartbeats; per clip a manifest signed with signBytes, HubLink.postSigned(record) then HubLink.putSigned(video). Searchable = GET /api/clips?q=<waybill> (admin token) lists the clip, polled every 20 ms after the record is accepted. The station uploader\'s bundle export and its outbox poll are not part of the measured time.',
      },
      generation: { clips: CLIPS, stations: STATIONS, insertSeconds: r2(gen.seconds), gramsIndexAndVacuumSeconds: r2(gen.indexSeconds), tableMB: gen.tableMB, trigramIndexMB: gen.indexMB, gramRows: gen.gramRows, gramTableMB: gen.gramTableMB, gramIndexMB: gen.gramIndexMB },
      search: { results: search.rows, baselinePlan: search.baselinePlan, worstClassP95Ms: worstSearchP95 },
      ingest,
      catchUp: null,
      targets: TARGETS,
      meetsTarget,
      notes,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'hub.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`hub: worst search p95 ${worstSearchP95} ms (target <= ${TARGETS.searchP95Ms}); ingest p95 ${ingest.clipEndToSearchableMs.p95} ms (target <= ${TARGETS.ingestP95Ms})`);
    return { meetsTarget, failed: ingest.failures > 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
