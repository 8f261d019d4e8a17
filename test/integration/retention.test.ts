/**
 * Retention on a synthetic index: a real migrated SQLite file, real small files, segments indexed and
 * chained through the normal Segments insert, times set in the past, and free space measured from
 * what is really left in the data folder (below an injected volume size).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { Gaps } from '../../electron/station/catalog/gaps.js';
import { reconcile } from '../../electron/station/catalog/reconcile.js';
import { Runs } from '../../electron/station/catalog/runs.js';
import { SegmentIndexer } from '../../electron/station/catalog/segment-indexer.js';
import { Segments } from '../../electron/station/catalog/segments.js';
import { searchClips } from '../../electron/station/clips/clip-search.js';
import { ClipCamerasRepo } from '../../electron/station/clips/clip-cameras.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';
import { ClipWriter } from '../../electron/station/clips/clip-writer.js';
import { checkStoredChain, SegmentChain } from '../../electron/station/evidence/segment-chain.js';
import { loadOrCreateStationKeys, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { ExportJobs } from '../../electron/station/export/export-jobs.js';
import { loadPresets } from '../../electron/station/export/presets.js';
import { markHubCopyConfirmed } from '../../electron/station/hub/hub-uploader.js';
import { Retention } from '../../electron/station/storage/retention.js';
import { DEFAULT_RETENTION_SETTINGS, loadRetentionSettings, RetentionSettingsError, saveRetentionSettings } from '../../electron/station/storage/retention-settings.js';
import { ffmpegBin } from '../helpers/media.js';
import { tempDataDir } from '../helpers/station-process.js';

const H = 3_600_000;
const D = 24 * H;
const GB = 1e9;
const SEG_BYTES = 4_000;
const CLIP_BYTES = 20_000;

describe('retention on a synthetic index', () => {
  const dataDir = tempDataDir('pw-retention-');
  const now = Date.now();
  let db: Db;
  let keys: StationKeys;
  let segments: Segments;
  let clips: ClipsRepo;
  let settings: SettingsStore;
  let runId: number;
  let n = 0;
  /** Free space: this volume size minus what the data folder really holds. */
  let volumeBytes = 1000 * GB;
  const seg: Record<string, number[]> = {};
  /** The three clips' ids, named for what the tests expect of them. */
  let clip: { old: number; protected: number; young: number };

  const du = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  const footage = (name: string, startMs: number, count: number): void => {
    seg[name] = [];
    for (let i = 0; i < count; i++) {
      const file = `runs/demo/20260101T000000000Z/${String(++n).padStart(5, '0')}.ts`;
      const bytes = randomBytes(SEG_BYTES);
      writeFileSync(join(dataDir, ...file.split('/')), bytes);
      const s = startMs + i * 2_000;
      seg[name]!.push(segments.insert({ runId, camera: 'demo', file, startMs: s, endMs: s + 2_000, bytes: SEG_BYTES, sha256: createHash('sha256').update(bytes).digest('hex'), status: 'ok' }));
    }
  };
  const makeClip = (code: string, startMs: number, lengthMs: number, opts: { protect?: boolean } = {}): number => {
    const id = clips.create({ station: 'Station 1', camera: 'demo', mode: 'pack', startMs });
    clips.addCode(id, code, 'waybill', startMs + 1_000);
    clips.end(id, startMs + lengthMs, 'closed', 'stop code');
    const rel = `clips/synthetic/${id}.mp4`;
    writeFileSync(join(dataDir, 'clips', 'synthetic', `${id}.mp4`), randomBytes(CLIP_BYTES));
    writeFileSync(join(dataDir, 'clips', 'synthetic', `${id}.jpg`), randomBytes(500));
    clips.setVideo(id, { file: rel, bytes: CLIP_BYTES, sha256: 'x'.repeat(64), durationMs: lengthMs });
    clips.setThumbnail(id, `clips/synthetic/${id}.jpg`);
    if (opts.protect) clips.setProtected(id, true);
    return id;
  };
  const onDisk = (id: number): boolean => {
    const row = db.prepare('SELECT file, file_deleted_ms FROM segments WHERE id = ?').get(id) as { file: string; file_deleted_ms: number | null };
    const exists = existsSync(join(dataDir, ...row.file.split('/')));
    expect(exists).toBe(row.file_deleted_ms === null); // the mark and the disk agree
    return exists;
  };
  const allOnDisk = (name: string): boolean[] => seg[name]!.map(onDisk);
  const retention = (): Retention =>
    new Retention({
      db,
      dataDir,
      settings: () => loadRetentionSettings(settings),
      preRollMs: () => 3_000,
      freeSpace: async () => ({ freeBytes: volumeBytes - du(dataDir), totalBytes: volumeBytes }),
      // The rules at the limit exactly: the synthetic files are far smaller than the real headroom
      // (its arithmetic is table-tested in test/unit/retention-plan.test.ts).
      headroomBytes: () => 0,
    });

  beforeAll(() => {
    mkdirSync(join(dataDir, 'runs', 'demo', '20260101T000000000Z'), { recursive: true });
    mkdirSync(join(dataDir, 'clips', 'synthetic'), { recursive: true });
    keys = loadOrCreateStationKeys(dataDir);
    db = openDatabase(join(dataDir, 'packwitness.db'));
    segments = new Segments(db, new SegmentChain(db, keys));
    clips = new ClipsRepo(db);
    settings = new SettingsStore(db);
    runId = new Runs(db).create({ camera: 'demo', dir: 'runs/demo/20260101T000000000Z', t0Ms: now - 200 * D });
    // Oldest first, as a station would have recorded them.
    footage('oldClip', now - 100 * D, 5);
    const old = makeClip('SF100000000001', now - 100 * D, 10_000);
    footage('oldProtected', now - 100 * D + H, 5);
    const protectedClip = makeClip('SF100000000002', now - 100 * D + H, 10_000, { protect: true });
    footage('youngClip', now - 5 * D, 5);
    const young = makeClip('SF100000000003', now - 5 * D, 10_000);
    clip = { old, protected: protectedClip, young };
    footage('orphanOld', now - 30 * H, 3);
    footage('orphanYoung', now - 2 * H, 3);
    footage('recent', now - 6_000, 3);
  });
  afterAll(() => db?.close());

  it('settings: defaults 90 days / 24 h / 10 GB / 10 %; a bad value is refused with one sentence and nothing changes', () => {
    expect(loadRetentionSettings(settings)).toEqual(DEFAULT_RETENTION_SETTINGS);
    expect(DEFAULT_RETENTION_SETTINGS).toEqual({ keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 10, keepExportsDays: 14, waitForHubCopy: true });
    expect(() => saveRetentionSettings(settings, { ...DEFAULT_RETENTION_SETTINGS, keepClipsDays: 0 })).toThrow(RetentionSettingsError);
    expect(() => saveRetentionSettings(settings, { ...DEFAULT_RETENTION_SETTINGS, keepClipsDays: 0 })).toThrow(/^Retention settings not saved: keepClipsDays: .*\.$/);
    expect(() => saveRetentionSettings(settings, { ...DEFAULT_RETENTION_SETTINGS, extra: 1 })).toThrow(/Retention settings not saved/);
    expect(loadRetentionSettings(settings)).toEqual(DEFAULT_RETENTION_SETTINGS);
  });

  it('age: the unprotected clip older than 90 days expires with its footage; orphan footage older than 24 h goes; rows stay', async () => {
    const rowsBefore = segments.count();
    const r = await retention().run();
    expect(r).toMatchObject({ state: 'ok', expiredClips: 1, deletedSegments: 5 + 3 });
    expect(allOnDisk('oldClip')).toEqual([false, false, false, false, false]);
    expect(allOnDisk('orphanOld')).toEqual([false, false, false]);
    expect([...allOnDisk('oldProtected'), ...allOnDisk('youngClip'), ...allOnDisk('orphanYoung'), ...allOnDisk('recent')].every(Boolean)).toBe(true);
    expect(existsSync(join(dataDir, 'clips', 'synthetic', `${clip.old}.mp4`))).toBe(false);
    expect(existsSync(join(dataDir, 'clips', 'synthetic', `${clip.old}.jpg`))).toBe(false);
    expect(existsSync(join(dataDir, 'clips', 'synthetic', `${clip.protected}.mp4`))).toBe(true);
    expect(r.freedBytes).toBe(8 * SEG_BYTES + CLIP_BYTES + 500);
    // Rows are never deleted, and the signed chain over them still checks.
    expect(segments.count()).toBe(rowsBefore);
    expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    const reasons = db.prepare('SELECT file_deleted_reason AS r, count(*) AS n FROM segments WHERE file_deleted_ms IS NOT NULL GROUP BY r ORDER BY r').all();
    expect(reasons).toEqual([
      { r: 'clip-age', n: 5 },
      { r: 'orphan-age', n: 3 },
    ]);
  });

  it('an expired clip is still found by search, and says when its video went', () => {
    const page = searchClips(db, { q: '00000001' }, undefined, 10);
    expect(page.items.map((c) => c.id)).toEqual([clip.old]);
    expect(page.items[0]).toMatchObject({ hasVideo: false, hasThumbnail: false });
    expect(Date.parse(page.items[0]!.videoExpiredAt!)).toBeGreaterThanOrEqual(now);
    const full = clips.get(clip.old)!;
    expect(full.videoExpiredAt).toBe(page.items[0]!.videoExpiredAt);
    expect(clips.get(clip.young)!.videoExpiredAt).toBeNull();
    // Readers that need bytes skip deleted footage; the index itself still lists it.
    const from = now - 100 * D;
    expect(segments.between(from, from + 10_000, 'demo')).toHaveLength(5);
    expect(segments.between(from, from + 10_000, 'demo', { onDisk: true })).toHaveLength(0);
  });

  it('start-up reconcile neither re-indexes nor reports the deleted files as missing', async () => {
    const before = segments.count();
    const report = await reconcile(dataDir, { runs: new Runs(db), segments, gaps: new Gaps(db), indexer: new SegmentIndexer(dataDir, await ffmpegBin(), segments) });
    expect(report.missingFiles).toEqual([]);
    expect(report.indexed).toBe(0);
    expect(segments.count()).toBe(before);
  });

  it('disk pressure: the oldest unprotected unit goes first, and only until free space is back above the limit', async () => {
    saveRetentionSettings(settings, { keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 0 });
    // Free space 1 byte under the 10 GB limit: one unit is enough. The oldest deletable one is the
    // 5-day-old clip (the orphan footage is 2 h old); the protected clip is older but never a candidate.
    volumeBytes = 10 * GB + du(dataDir) - 1;
    const r = await retention().run();
    expect(r.state).toBe('ok'); // measured again after the deletion
    expect(r.expiredClips).toBe(1);
    expect(clips.get(clip.young)!.videoExpiredAt).not.toBeNull();
    expect(allOnDisk('youngClip').every((x) => !x)).toBe(true);
    expect(allOnDisk('orphanYoung').every(Boolean)).toBe(true);
    expect(db.prepare("SELECT count(*) AS n FROM segments WHERE file_deleted_reason = 'disk-pressure'").get()).toEqual({ n: 5 });
  });

  it('protected clips alone over the limit: everything else but the pre-roll goes, and the state says protected-only', async () => {
    volumeBytes = 10 * GB - 1; // nothing could ever be enough
    const r = retention();
    const report = await r.run();
    expect(report.state).toBe('protected-only');
    expect(r.state).toBe('protected-only');
    expect(r.freedTodayBytes).toBe(3 * SEG_BYTES);
    expect(allOnDisk('orphanYoung').every((x) => !x)).toBe(true);
    // Never: the protected clip's files and footage, the last seconds (pre-roll).
    expect(allOnDisk('oldProtected').every(Boolean)).toBe(true);
    expect(existsSync(join(dataDir, 'clips', 'synthetic', `${clip.protected}.mp4`))).toBe(true);
    expect(clips.get(clip.protected)!.videoExpiredAt).toBeNull();
    expect(allOnDisk('recent').every(Boolean)).toBe(true);
    // A second run finds nothing more to delete and stays loud.
    expect(await r.run()).toMatchObject({ state: 'protected-only', deletedSegments: 0, expiredClips: 0 });
  });
});

/** A fresh data folder with a migrated database, for the tests below that build their own small index. */
async function withIndex(prefix: string, test: (x: { dataDir: string; db: Db; keys: StationKeys; segments: Segments; runs: Runs }) => Promise<void>): Promise<void> {
  const dataDir = tempDataDir(prefix);
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  try {
    const keys = loadOrCreateStationKeys(dataDir);
    await test({ dataDir, db, keys, segments: new Segments(db, new SegmentChain(db, keys)), runs: new Runs(db) });
  } finally {
    db.close();
  }
}

/** A run folder as ffmpeg leaves it: `count` small segments 2 s apart from `startMs`, indexed, and its segments.csv. */
function makeRun(x: { dataDir: string; segments: Segments; runs: Runs }, stamp: string, startMs: number, count: number): { id: number; dir: string } {
  const dir = `runs/demo/${stamp}`;
  mkdirSync(join(x.dataDir, ...dir.split('/')), { recursive: true });
  const id = x.runs.create({ camera: 'demo', dir, t0Ms: startMs });
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${String(i).padStart(6, '0')}.ts`;
    const bytes = randomBytes(SEG_BYTES);
    writeFileSync(join(x.dataDir, ...dir.split('/'), name), bytes);
    const s = startMs + i * 2_000;
    x.segments.insert({ runId: id, camera: 'demo', file: `${dir}/${name}`, startMs: s, endMs: s + 2_000, bytes: SEG_BYTES, sha256: createHash('sha256').update(bytes).digest('hex'), status: 'ok' });
    list.push(`${name},${i * 2}.000000,${i * 2 + 2}.000000`);
  }
  writeFileSync(join(x.dataDir, ...dir.split('/'), 'segments.csv'), list.join('\n') + '\n');
  return { id, dir };
}

describe('run folders retention emptied', () => {
  it('an ended run whose footage all went loses its folder; an open run, or one holding a stranger file, keeps it; rows stay', () =>
    withIndex('pw-retention-runs-', async (x) => {
      const { dataDir, db, segments, runs } = x;
      const now = Date.now();
      const ended = makeRun(x, '20260101T000000000Z', now - 50 * H, 3);
      const stranger = makeRun(x, '20260101T010000000Z', now - 49 * H, 2);
      const open = makeRun(x, '20260101T020000000Z', now - 48 * H, 2);
      runs.end(ended.id, 'stopped');
      runs.end(stranger.id, 'stopped');
      writeFileSync(join(dataDir, ...stranger.dir.split('/'), 'notes.txt'), 'someone put this here');

      const r = await new Retention({
        db,
        dataDir,
        settings: () => ({ keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 0, minFreePercent: 0, keepExportsDays: 14, waitForHubCopy: true }),
        preRollMs: () => 3_000,
        freeSpace: async () => ({ freeBytes: 1000 * GB, totalBytes: 1000 * GB }),
      }).run();
      expect(r.deletedSegments).toBe(7);

      const dirExists = (dir: string) => existsSync(join(dataDir, ...dir.split('/')));
      expect(dirExists(ended.dir)).toBe(false);
      // The stranger file stays, so does its folder; the list (ours) is gone.
      expect(readdirSync(join(dataDir, ...stranger.dir.split('/')))).toEqual(['notes.txt']);
      // ffmpeg may still write into an open run's folder: untouched but for the segments.
      expect(readdirSync(join(dataDir, ...open.dir.split('/')))).toEqual(['segments.csv']);
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 3 });
      expect(db.prepare('SELECT count(*) AS n FROM segments WHERE file_deleted_ms IS NOT NULL').get()).toEqual({ n: 7 });

      // A restart finds nothing missing and re-creates nothing.
      const report = await reconcile(dataDir, { runs, segments, gaps: new Gaps(db), indexer: new SegmentIndexer(dataDir, await ffmpegBin(), segments) });
      expect(report.missingFiles).toEqual([]);
      expect(report.runsFoundOnDisk).toBe(0);
      expect(dirExists(ended.dir)).toBe(false);
    }));
});

/** Default limits on a roomy disk: only age decides, and `inUse` clips are kept whatever their age. */
/** A 6-s clip 100 days old over a run of 3 segments, its MP4 on disk (SHA-256 recorded as 'a'×64): expired by age. */
function expiredClipWithVideo(x: { dataDir: string; segments: Segments; runs: Runs }, clips: ClipsRepo, now: number): number {
  mkdirSync(join(x.dataDir, 'clips', 'synthetic'), { recursive: true });
  makeRun(x, '20260101T000000000Z', now - 100 * D, 3);
  const id = clips.create({ station: 'Station 1', camera: 'demo', mode: 'pack', startMs: now - 100 * D });
  clips.end(id, now - 100 * D + 6_000, 'closed', 'stop code');
  writeFileSync(join(x.dataDir, 'clips', 'synthetic', `${id}.mp4`), randomBytes(CLIP_BYTES));
  clips.setVideo(id, { file: `clips/synthetic/${id}.mp4`, bytes: CLIP_BYTES, sha256: 'a'.repeat(64), durationMs: 6_000 });
  return id;
}

function retentionWithRoom(db: Db, dataDir: string, inUse: () => ReadonlySet<number>): Retention {
  return new Retention({
    db,
    dataDir,
    settings: () => DEFAULT_RETENTION_SETTINGS,
    preRollMs: () => 3_000,
    freeSpace: async () => ({ freeBytes: 1000 * GB, totalBytes: 1000 * GB }),
    inUse,
  });
}

describe('clips an export is working on', () => {
  it('are kept past their age while the export is queued or running, and expire once it is done', () =>
    withIndex('pw-retention-export-', async (x) => {
      const { dataDir, db, keys } = x;
      const now = Date.now();
      const clips = new ClipsRepo(db);
      makeRun(x, '20260101T000000000Z', now - 100 * D, 3);
      const id = clips.create({ station: 'Station 1', camera: 'demo', mode: 'pack', startMs: now - 100 * D });
      clips.end(id, now - 100 * D + 6_000, 'closed', 'stop code');

      // The real job list: a job is busy from the moment it is queued. (This one fails at once: the
      // clip has no video to export; what matters is what the list says before and after.)
      const jobs = new ExportJobs(() => ({ db, dataDir, ffmpegPath: 'ffmpeg', clips, keys, presets: loadPresets(new SettingsStore(db)) }));
      const retention = retentionWithRoom(db, dataDir, () => jobs.busyClipIds());
      jobs.start(id, {}, 'operator');
      expect(jobs.busyClipIds()).toEqual(new Set([id]));
      expect(await retention.run()).toMatchObject({ expiredClips: 0, deletedSegments: 0 });
      expect(clips.get(id)!.videoExpiredAt).toBeNull();

      await jobs.idle();
      expect(jobs.busyClipIds().size).toBe(0);
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect(clips.get(id)!.videoExpiredAt).not.toBeNull();
    }));
});

describe('clips whose video is still to be written', () => {
  it('keep their footage while queued or being cut, and expire once the writer is done with them', () =>
    withIndex('pw-retention-writer-', async (x) => {
      const { dataDir, db } = x;
      const now = Date.now();
      const clips = new ClipsRepo(db);
      makeRun(x, '20260102T000000000Z', now - 100 * D, 3);
      const id = clips.create({ station: 'Station 1', camera: 'demo', mode: 'pack', startMs: now - 100 * D });
      clips.end(id, now - 100 * D + 6_000, 'closed', 'stop code');

      // The real writer, held at its first look for footage until the test lets it go.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const writer = new ClipWriter({ dataDir, ffmpegPath: await ffmpegBin(), segments: new Segments(db), clips, unindexedSegments: async () => held.then(() => null) });
      writer.on('failed', () => undefined); // the test's segments are not video: the cut fails, which is fine here
      const retention = retentionWithRoom(db, dataDir, () => writer.busyClipIds());
      writer.enqueue(id);
      expect(writer.busyClipIds()).toEqual(new Set([id]));
      expect(await retention.run()).toMatchObject({ expiredClips: 0, deletedSegments: 0 });
      expect(clips.get(id)!.videoExpiredAt).toBeNull();

      release();
      await writer.idle();
      expect(writer.busyClipIds().size).toBe(0);
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect(clips.get(id)!.videoExpiredAt).not.toBeNull();
    }));
});

describe('a station joined to a hub', () => {
  it('deletes a clip only after the hub confirmed its copy; a copy of other bytes does not count; pressure waits too; leaving the hub ends waiting', () =>
    withIndex('pw-retention-hub-', async (x) => {
      const { dataDir, db } = x;
      const now = Date.now();
      const clips = new ClipsRepo(db);
      mkdirSync(join(dataDir, 'clips', 'synthetic'), { recursive: true });
      // Three 100-day-old clips, each over its own footage, each with a video (which queues it in the outbox).
      const made = ['SF200000000001', 'SF200000000002', 'SF200000000003'].map((code, i) => {
        const startMs = now - 100 * D + i * H;
        makeRun(x, `2026010${i + 1}T000000000Z`, startMs, 3);
        const id = clips.create({ station: 'Station 1', camera: 'demo', mode: 'pack', startMs });
        clips.addCode(id, code, 'waybill', startMs + 1_000);
        clips.end(id, startMs + 6_000, 'closed', 'stop code');
        writeFileSync(join(dataDir, 'clips', 'synthetic', `${id}.mp4`), randomBytes(CLIP_BYTES));
        clips.setVideo(id, { file: `clips/synthetic/${id}.mp4`, bytes: CLIP_BYTES, sha256: String(i).repeat(64), durationMs: 6_000 });
        return id;
      });
      const [confirmed, pending, wrongCopy] = made as [number, number, number];
      expect(db.prepare('SELECT count(*) AS n FROM hub_outbox WHERE uploaded_ms IS NULL').get()).toEqual({ n: 3 });
      markHubCopyConfirmed(db, confirmed, '0'.repeat(64));
      markHubCopyConfirmed(db, wrongCopy, 'f'.repeat(64)); // the hub holds other bytes under this clip
      let joined = true;
      const retention = new Retention({
        db,
        dataDir,
        settings: () => DEFAULT_RETENTION_SETTINGS,
        preRollMs: () => 3_000,
        freeSpace: async () => ({ freeBytes: 1000 * GB, totalBytes: 1000 * GB }),
        hubCopyRequired: () => joined,
      });
      const expired = (id: number): boolean => clips.get(id)!.videoExpiredAt !== null;
      const footageLeft = (): number => (db.prepare('SELECT count(*) AS n FROM segments WHERE file_deleted_ms IS NULL').get() as { n: number }).n;

      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect([expired(confirmed), expired(pending), expired(wrongCopy)]).toEqual([true, false, false]);
      expect(existsSync(join(dataDir, 'clips', 'synthetic', `${pending}.mp4`))).toBe(true);
      expect(footageLeft()).toBe(6);

      // The hub confirms the pending clip: the next run lets it go.
      markHubCopyConfirmed(db, pending, '1'.repeat(64));
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect(expired(pending)).toBe(true);

      // Disk pressure does not take the unconfirmed clip either, and the state says why.
      const pressed = new Retention({
        db,
        dataDir,
        settings: () => ({ ...DEFAULT_RETENTION_SETTINGS, keepClipsDays: 3650 }),
        preRollMs: () => 3_000,
        freeSpace: async () => ({ freeBytes: 1 * GB, totalBytes: 1000 * GB }),
        hubCopyRequired: () => true,
      });
      expect(await pressed.run()).toMatchObject({ state: 'awaiting-hub', expiredClips: 0, deletedSegments: 0 });
      expect(expired(wrongCopy)).toBe(false);

      // A station that left its hub: retention as without a hub.
      joined = false;
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect(expired(wrongCopy)).toBe(true);
      expect(footageLeft()).toBe(0);
    }));

  it('counts every camera’s copy: a camera cut after the hub confirmed the clip holds it again until the hub confirms that camera’s video too', () =>
    withIndex('pw-retention-hub-cameras-', async (x) => {
      const { dataDir, db } = x;
      const now = Date.now();
      const clips = new ClipsRepo(db);
      const cameras = new ClipCamerasRepo(db);
      const id = expiredClipWithVideo(x, clips, now);
      cameras.prepare(id, [{ id: 'demo-2', name: 'side' }]);
      const retention = new Retention({
        db,
        dataDir,
        settings: () => DEFAULT_RETENTION_SETTINGS,
        preRollMs: () => 3_000,
        freeSpace: async () => ({ freeBytes: 1000 * GB, totalBytes: 1000 * GB }),
        hubCopyRequired: () => true,
      });
      const outbox = () => db.prepare('SELECT uploaded_ms IS NOT NULL AS done, hub_sha256 FROM hub_outbox WHERE clip_id = ?').get(id);
      // Sent while the other camera was still being cut: confirmed with the main video alone.
      expect(markHubCopyConfirmed(db, id, 'a'.repeat(64))).toBe(true);
      // Then that camera's MP4 is cut: the clip is queued again and its hub copy is not whole any more.
      writeFileSync(join(dataDir, 'clips', 'synthetic', `${id}.demo-2.mp4`), randomBytes(CLIP_BYTES));
      cameras.setVideo(id, 'demo-2', { file: `clips/synthetic/${id}.demo-2.mp4`, bytes: CLIP_BYTES, sha256: 'b'.repeat(64), durationMs: 6_000, fps: null });
      expect(outbox()).toEqual({ done: 0, hub_sha256: null });
      expect(await retention.run()).toMatchObject({ expiredClips: 0, deletedSegments: 0 });
      // A send that did not carry that camera's video (or carried other bytes) does not complete it.
      expect(markHubCopyConfirmed(db, id, 'a'.repeat(64))).toBe(false);
      expect(markHubCopyConfirmed(db, id, 'a'.repeat(64), { 'demo-2': 'c'.repeat(64) })).toBe(false);
      expect(outbox()).toEqual({ done: 0, hub_sha256: null });
      expect(await retention.run()).toMatchObject({ expiredClips: 0, deletedSegments: 0 });
      // The hub confirmed both: the clip may go, with both cameras' files.
      expect(markHubCopyConfirmed(db, id, 'a'.repeat(64), { 'demo-2': 'b'.repeat(64) })).toBe(true);
      expect(outbox()).toEqual({ done: 1, hub_sha256: 'a'.repeat(64) });
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
      expect(existsSync(join(dataDir, 'clips', 'synthetic', `${id}.demo-2.mp4`))).toBe(false);
    }));

  it('waitForHubCopy alone turns waiting off on a joined station', () =>
    withIndex('pw-retention-hub-off-', async (x) => {
      const { dataDir, db } = x;
      const now = Date.now();
      const clips = new ClipsRepo(db);
      expiredClipWithVideo(x, clips, now);
      let wait = true;
      const retention = new Retention({
        db,
        dataDir,
        settings: () => ({ ...DEFAULT_RETENTION_SETTINGS, waitForHubCopy: wait }),
        preRollMs: () => 3_000,
        freeSpace: async () => ({ freeBytes: 1000 * GB, totalBytes: 1000 * GB }),
        hubCopyRequired: () => true,
      });
      expect(await retention.run()).toMatchObject({ expiredClips: 0, deletedSegments: 0 });
      wait = false;
      expect(await retention.run()).toMatchObject({ expiredClips: 1, deletedSegments: 3 });
    }));
});
