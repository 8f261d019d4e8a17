/**
 * `hub-catchup` benchmark: a station that was away from its hub for a shift (8 hours of clips at the
 * demo camera's bitrate in its outbox) joins a real hub over loopback and sends the lot, while it
 * keeps recording. Measured: seconds until the outbox is empty, and × real time (hours of clips sent
 * per hour taken). Target ≥ 50×.
 *
 * Real parts: the built `packwitness hub` (embedded PostgreSQL, footage on disk) and the built
 * `packwitness station` on the demo camera, recording throughout, whose HubUploader does the work:
 * per clip the sealed bundle (copy of the MP4 + hash check, chain re-check and segment re-hash, the
 * signed manifest), the signed record, the video, the hub's SHA-256 confirmation.
 *
 * Simulated: the shift itself. The station records one real clip (BENCH_CATCHUP_CLIP_SECONDS, 40 s
 * by default: a parcel's packing), is stopped, and that clip's row is copied in its SQLite until the
 * copies add up to BENCH_CATCHUP_HOURS (8) of clip time, each queued in the outbox as the station's
 * trigger queues a clip whose MP4 is written. The copies share the real clip's MP4 and segments: each
 * is sealed, signed, sent and stored on the hub as a clip of its own (the hub keys videos by station
 * and clip), so every byte of 8 hours goes over the wire and onto the hub's disk, but the station
 * reads one clip's footage from its page cache rather than 8 hours from its disk.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clip, hubRoutes, routes, StatusResponse } from '../shared/api.js';
import { openDatabase } from '../electron/station/catalog/database.js';
import { DB_FILE } from '../electron/station/catalog/lost-database.js';
import { hubDataDir, startHubProcess } from './hub.js';
import { api, postScan, root, startStation, stopStation, type Station } from './station.js';

const HOURS = Number(process.env.BENCH_CATCHUP_HOURS ?? 8);
const CLIP_SECONDS = Number(process.env.BENCH_CATCHUP_CLIP_SECONDS ?? 40);
/** The demo camera at the resolution a bench camera is set to (as the recording benchmark's 720p30). */
const CAMERA = 'demo:1280x720@30';
const TARGET_X_REALTIME = 50;
const DRAIN_TIMEOUT_MS = 60 * 60_000;

const r2 = (n: number): number => Math.round(n * 100) / 100;

async function status(s: Station): Promise<StatusResponse> {
  return StatusResponse.parse(await (await api(s, routes.status)).json());
}

/** One real clip on the demo camera; its id once its MP4 is written. */
async function recordClip(s: Station): Promise<number> {
  await sleep(3_000);
  const a = await postScan(s, `SF${Date.now()}`);
  await sleep(CLIP_SECONDS * 1000);
  await postScan(s, 'PW-STOP');
  for (let i = 0; ; i++) {
    const c = Clip.parse(await (await api(s, routes.clip(a.id!))).json());
    if (c.video) return a.id!;
    if (i > 600) throw new Error(`clip ${a.id} has no video after 60 s`);
    await sleep(100);
  }
}

/** Copies of the clip's row (and its codes) until the outbox holds `hours` of clip time, queued as the outbox trigger queues them. */
function fillOutbox(stationDir: string, clipId: number, hours: number): { clips: number; videoSeconds: number; videoBytes: number; clipBytes: number; clipSeconds: number } {
  const db = openDatabase(join(stationDir, DB_FILE));
  try {
    const cols = (db.prepare('PRAGMA table_info(clips)').all() as Array<{ name: string }>).map((c) => c.name).filter((n) => n !== 'id');
    const codeCols = (db.prepare('PRAGMA table_info(clip_codes)').all() as Array<{ name: string }>).map((c) => c.name).filter((n) => n !== 'clip_id');
    const src = db.prepare('SELECT bytes, video_duration_ms FROM clips WHERE id = ?').get(clipId) as { bytes: number; video_duration_ms: number };
    const count = Math.ceil((hours * 3_600_000) / src.video_duration_ms);
    const copyClip = db.prepare(`INSERT INTO clips (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM clips WHERE id = ?`);
    const copyCodes = db.prepare(`INSERT INTO clip_codes (clip_id, ${codeCols.join(', ')}) SELECT ?, ${codeCols.join(', ')} FROM clip_codes WHERE clip_id = ?`);
    const queue = db.prepare('INSERT INTO hub_outbox (clip_id, queued_ms) VALUES (?, ?) ON CONFLICT(clip_id) DO NOTHING');
    db.transaction(() => {
      queue.run(clipId, Date.now());
      for (let i = 1; i < count; i++) {
        const id = Number(copyClip.run(clipId).lastInsertRowid);
        copyCodes.run(id, clipId);
        queue.run(id, Date.now());
      }
    })();
    const sum = db.prepare('SELECT count(*) AS n, sum(c.video_duration_ms) AS ms, sum(c.bytes) AS bytes FROM hub_outbox o JOIN clips c ON c.id = o.clip_id WHERE o.uploaded_ms IS NULL').get() as { n: number; ms: number; bytes: number };
    return { clips: sum.n, videoSeconds: sum.ms / 1000, videoBytes: sum.bytes, clipBytes: src.bytes, clipSeconds: src.video_duration_ms / 1000 };
  } finally {
    db.close();
  }
}

/** Outbox rows the hub confirmed with the clip's own SHA-256, read after the station stopped. */
function confirmedCount(stationDir: string): { confirmed: number; pending: number } {
  const db = openDatabase(join(stationDir, DB_FILE), { readonly: true });
  try {
    const r = db.prepare('SELECT sum(o.hub_sha256 = c.sha256) AS confirmed, sum(o.uploaded_ms IS NULL) AS pending FROM hub_outbox o JOIN clips c ON c.id = o.clip_id').get() as { confirmed: number; pending: number };
    return { confirmed: r.confirmed ?? 0, pending: r.pending ?? 0 };
  } finally {
    db.close();
  }
}

export async function run(): Promise<{ meetsTarget: boolean | null; failed: boolean }> {
  const dir = hubDataDir();
  const stationDir = join(dir, 'station');
  mkdirSync(stationDir);
  const hub = await startHubProcess(join(dir, 'hub'));
  try {
    console.log(`hub-catchup: recording one ${CLIP_SECONDS} s clip on ${CAMERA}…`);
    const first = await startStation(CAMERA, { dataDir: stationDir });
    let clipId: number;
    try {
      clipId = await recordClip(first);
    } finally {
      await stopStation(first, { keepData: true });
    }
    const backlog = fillOutbox(stationDir, clipId, HOURS);
    console.log(`hub-catchup: outbox of ${backlog.clips} clips, ${r2(backlog.videoSeconds / 3600)} h, ${r2(backlog.videoBytes / 1e9)} GB; joining the hub…`);

    const pairing = (await (await fetch(`${hub.origin}${hubRoutes.pairings}`, { method: 'POST', headers: { authorization: `Bearer ${hub.token}` } })).json()) as { token: string };
    const loadBefore = loadavg()[0]!;
    const t0 = performance.now();
    const station = await startStation(CAMERA, { dataDir: stationDir, args: ['--hub', hub.origin, '--hub-token', pairing.token] });
    const readyS = (performance.now() - t0) / 1000;
    const samples: Array<{ s: number; backlog: number; recording: boolean; segments: number }> = [];
    let drainedS: number | null = null;
    try {
      for (;;) {
        const st = await status(station);
        const s = (performance.now() - t0) / 1000;
        samples.push({ s: r2(s), backlog: st.hub?.backlog ?? -1, recording: st.recording, segments: st.segmentCount });
        if (st.hub?.backlog === 0) {
          drainedS = s;
          break;
        }
        if (s * 1000 > DRAIN_TIMEOUT_MS) break;
        await sleep(250);
      }
    } finally {
      await stopStation(station, { keepData: true });
    }
    const loadAfter = loadavg()[0]!;
    const { confirmed, pending } = confirmedCount(stationDir);
    const recordingShare = samples.filter((x) => x.recording).length / samples.length;
    const segmentsAdded = samples.at(-1)!.segments - samples[0]!.segments;
    const xRealtime = drainedS === null ? null : r2(backlog.videoSeconds / drainedS);
    const meetsTarget = xRealtime !== null && xRealtime >= TARGET_X_REALTIME && confirmed === backlog.clips;
    const result = {
      benchmark: 'hub-catchup',
      description: `A station's ${HOURS}-hour backlog (${backlog.clips} clips of ${r2(backlog.clipSeconds)} s at the demo camera's bitrate, ${CAMERA}) uploaded over loopback to the real hub by the station's HubUploader while the station records`,
      date: new Date().toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, node: process.version, loadAverage1m: { before: r2(loadBefore), after: r2(loadAfter) }, nice: getPriority() },
      method:
        'The built `packwitness hub` (embedded PostgreSQL, footage on local disk) and the built `packwitness station` on the demo camera. One real clip is recorded, the station stopped, and the clip row (with its codes) copied in its SQLite until the copies add up to the backlog, each queued in hub_outbox. The station is started again with --hub and a pairing token; the clock runs from that start (its READY, join and the first heartbeat included) until GET /api/status says the hub backlog is 0. Every clip goes through the uploader: sealed bundle (MP4 copy + hash check, chain and segment re-check, signed manifest), signed record, video PUT, the hub\'s SHA-256 confirmation; no upload rate limit. After the stop, the station\'s outbox rows are checked: each confirmed with the clip\'s own SHA-256.',
      simulated:
        'The shift: the backlog is copies of one real recorded clip (same MP4 and segments, own clip ids). Every copy is sealed, signed, sent and stored on the hub as its own clip, so the bytes on the wire and on the hub\'s disk are those of the whole backlog; the station reads the same footage each time, from its page cache.',
      backlog: {
        hours: r2(backlog.videoSeconds / 3600),
        clips: backlog.clips,
        clipSeconds: r2(backlog.clipSeconds),
        clipBytes: backlog.clipBytes,
        cameraMbps: r2((backlog.clipBytes * 8) / backlog.clipSeconds / 1e6),
        totalGB: r2(backlog.videoBytes / 1e9),
      },
      catchUp: {
        seconds: drainedS === null ? null : r2(drainedS),
        stationReadySeconds: r2(readyS),
        xRealtime,
        throughputMBps: drainedS === null ? null : r2(backlog.videoBytes / 1e6 / drainedS),
        confirmedByHub: confirmed,
        stillPending: pending,
        stationRecordingShareOfSamples: r2(recordingShare),
        segmentsRecordedMeanwhile: segmentsAdded,
        statusSamples: samples.length,
      },
      target: { xRealtime: TARGET_X_REALTIME },
      meetsTarget,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'hub-catchup.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `hub-catchup: ${backlog.clips} clips (${r2(backlog.videoSeconds / 3600)} h, ${r2(backlog.videoBytes / 1e9)} GB) in ${drainedS === null ? 'not drained' : `${r2(drainedS)} s`}: ${xRealtime ?? '-'}× real time (target ≥ ${TARGET_X_REALTIME}×); ${confirmed} confirmed; recording in ${Math.round(recordingShare * 100)}% of samples, ${segmentsAdded} segments meanwhile`,
    );
    return { meetsTarget, failed: drainedS === null || confirmed !== backlog.clips };
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
