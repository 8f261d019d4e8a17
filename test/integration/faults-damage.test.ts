/**
 * Fault: a segment file is corrupted or truncated on disk after it was indexed.
 * - The background scrub finds it (real files, a real SQLite index), at its bounded rate, and flags
 *   only what is damaged (a file retention deleted is not damage).
 * - On a real station, exporting a clip over a truncated segment fails with one sentence naming the
 *   segment; the clip's API shows the damage; another clip still exports; the server keeps serving.
 */
import { renderKnown } from '../../shared/messages/index.js';
import { chmodSync, readFileSync, truncateSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { Runs } from '../../electron/station/catalog/runs.js';
import { SegmentFaults, damageWithin } from '../../electron/station/catalog/segment-faults.js';
import { SegmentScrubber } from '../../electron/station/catalog/segment-scrub.js';
import { Segments } from '../../electron/station/catalog/segments.js';
import { sha256Of } from '../helpers/media.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('fault: damaged segment files, found by the background scrub', () => {
  let db: Db;
  let scrubber: SegmentScrubber | null = null;
  afterEach(async () => {
    await scrubber?.stop();
    db?.close();
  });

  it('flags a truncated and an altered file, not intact or deleted ones, reading at its bounded rate', async () => {
    const dataDir = tempDataDir('pw-scrub-');
    db = openDatabase(join(dataDir, 'packwitness.db'));
    const runs = new Runs(db);
    const segments = new Segments(db);
    const t0 = Date.parse('2026-11-23T08:00:00Z');
    const runId = runs.create({ camera: 'demo', dir: 'runs/demo/r1', t0Ms: t0 });
    mkdirSync(join(dataDir, 'runs', 'demo', 'r1'), { recursive: true });
    const SIZE = 64 * 1024;
    const files: string[] = [];
    for (let i = 0; i < 6; i++) {
      const rel = `runs/demo/r1/${String(i).padStart(6, '0')}.ts`;
      writeFileSync(join(dataDir, rel), randomBytes(SIZE));
      segments.insert({ runId, camera: 'demo', file: rel, startMs: t0 + i * 2000, endMs: t0 + (i + 1) * 2000, bytes: SIZE, sha256: sha256Of(join(dataDir, rel)), status: 'ok' });
      files.push(rel);
    }
    truncateSync(join(dataDir, files[1]!), SIZE / 2);
    const altered = readFileSync(join(dataDir, files[3]!));
    altered.writeUInt8(altered.readUInt8(1000) ^ 0xff, 1000);
    writeFileSync(join(dataDir, files[3]!), altered);
    unlinkSync(join(dataDir, files[5]!)); // retention's doing: not damage

    const faults = new SegmentFaults(db);
    const RATE = 192 * 1024; // bytes/s: 6 files of 64 KB should take about 2 s
    scrubber = new SegmentScrubber(db, dataDir, faults, RATE);
    const startedAt = performance.now();
    scrubber.start();
    await waitFor(() => (scrubber!.checked >= 6 ? true : undefined), 20_000, 'one scrub pass');
    const passMs = performance.now() - startedAt;
    console.log(`scrub: 6 segments of 64 KB at ${RATE / 1024} KB/s in ${Math.round(passMs)} ms; ${faults.count()} damaged`);
    // Bounded: five pauses of 64 KB / RATE (the sixth follows the last check) can only make it slower, never faster.
    expect(passMs).toBeGreaterThanOrEqual(((5 * SIZE) / RATE) * 1000 - 50);

    const damage = damageWithin(db, 'demo', t0, t0 + 12_000);
    expect(damage.map((d) => [d.file, d.kind])).toEqual([
      [files[1], 'truncated'],
      [files[3], 'altered'],
    ]);
    expect(damage[0]!.detail).toBe(`it has ${SIZE / 2} of its ${SIZE} bytes`);
    // Nothing was rewritten: the evidence stays as found.
    expect(readFileSync(join(dataDir, files[1]!)).length).toBe(SIZE / 2);
  });
});

describe('fault: a truncated segment under a clip, on a real station', () => {
  let station: StationProcess;
  let clipA: Clip;
  let clipB: Clip;
  const scan = async (code: string) =>
    ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
  const clip = async (id: number) => Clip.parse(await (await station.api(routes.clip(id))).json());
  const exportJob = async (id: number): Promise<ExportJob> => {
    const res = await station.api(routes.clipExport(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'original' }) });
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    return waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      return j.state === 'queued' || j.state === 'running' ? undefined : j;
    }, 60_000, 'the export job');
  };

  beforeAll(async () => {
    station = await startStation();
    await waitFor(async () => (StatusResponse.parse(await (await station.api(routes.status)).json()).segmentCount >= 2 ? true : undefined), 20_000, 'footage');
    const a = await scan('123456789012345678');
    await sleep(4_000);
    const b = await scan('987654321098765432');
    await sleep(3_000);
    await scan('PW-STOP');
    clipA = await waitFor(async () => ((await clip(a.id!)).video ? clip(a.id!) : undefined), 30_000, 'clip A');
    clipB = await waitFor(async () => ((await clip(b.id!)).video ? clip(b.id!) : undefined), 30_000, 'clip B');
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('fails the export with one sentence naming the segment, flags the clip, and still exports another clip', async () => {
    expect(clipA.damage).toEqual([]);
    // The first segment of A's footage lies before B starts: damage it (as root or owner: it is read-only).
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    const seg = db
      .prepare('SELECT id, file, bytes FROM segments WHERE camera = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms LIMIT 1')
      .get('demo', Date.parse(clipA.endedAt!) - 2_500, Date.parse(clipA.startedAt)) as { id: number; file: string; bytes: number };
    db.close();
    expect(Date.parse(clipB.startedAt)).toBeGreaterThan(Date.parse(clipA.startedAt) + 2_000);
    const abs = join(station.dataDir, seg.file);
    chmodSync(abs, 0o644);
    truncateSync(abs, Math.floor(seg.bytes / 3));

    const failed = await exportJob(clipA.id);
    console.log(`export of the damaged clip: ${failed.state}: ${failed.error}`);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe(`Clip ${clipA.id} cannot be exported: its segment ${seg.file} is damaged on disk (it has ${Math.floor(seg.bytes / 3)} of its ${seg.bytes} bytes).`);
    // The UI words it from its message: the same English, and Chinese.
    expect(renderKnown(failed.errorMessage!, 'en')).toBe(failed.error);
    expect(renderKnown(failed.errorMessage!, 'zh-CN')).toBe(`片段 ${clipA.id} 无法导出：其分段 ${seg.file} 在磁盘上已损坏（it has ${Math.floor(seg.bytes / 3)} of its ${seg.bytes} bytes）。`);

    const flagged = await clip(clipA.id);
    expect(flagged.damage).toHaveLength(1);
    expect(flagged.damage[0]).toMatchObject({ segmentId: seg.id, file: seg.file, kind: 'truncated' });
    // The other clip does not share the segment: it exports, and the server never stopped answering.
    expect((await clip(clipB.id)).damage).toEqual([]);
    const ok = await exportJob(clipB.id);
    expect(ok.state, ok.error ?? '').toBe('done');
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).recording).toBe(true);
  });
});
