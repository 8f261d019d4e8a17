/**
 * The cameras recording, with real ffmpeg and a real index: each camera its own watchdog and overlay
 * file, the live preview by camera id, names, and a new camera list applied camera by camera (a kept
 * camera records on untouched, a removed one stops without a gap, a restarted one runs a new ffmpeg,
 * a new main camera ends the clip first), then every ffmpeg stopped.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CameraEntry } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { Gaps } from '../../electron/station/catalog/gaps.js';
import { Runs } from '../../electron/station/catalog/runs.js';
import { SegmentIndexer } from '../../electron/station/catalog/segment-indexer.js';
import { Segments } from '../../electron/station/catalog/segments.js';
import { ChainReserve } from '../../electron/station/evidence/chain-reserve.js';
import { SegmentChain } from '../../electron/station/evidence/segment-chain.js';
import { loadOrCreateStationKeys } from '../../electron/station/evidence/station-keys.js';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';
import { resolveCameras } from '../../electron/station/recorder/camera-resolve.js';
import { CameraSet } from '../../electron/station/recorder/camera-set.js';
import { MotionMeter } from '../../electron/station/recorder/motion.js';
import { OverlayFiles } from '../../electron/station/recorder/overlay-files.js';
import { overlayText, type OverlayContent } from '../../electron/station/recorder/overlay.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { DiskGuard } from '../../electron/station/storage/disk-guard.js';
import { alive } from '../helpers/processes.js';

const entry = (spec: string, over: Partial<CameraEntry> = {}): CameraEntry => ({ spec, name: '', resolution: 'auto', fps: null, quality: 'economy', ...over });

async function until<T>(what: string, get: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the cameras recording', () => {
  const dataDir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-camera-set-'));
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  const stopping = { now: false };
  let cameras: CameraSet | null = null;
  afterAll(async () => {
    stopping.now = true;
    await cameras?.stop();
    db.close();
  });

  it('records each camera on its own, applies a new list camera by camera, and stops them all', { timeout: 180_000 }, async () => {
    const ffmpeg = await locateFfmpeg();
    const segments = new Segments(db, new SegmentChain(db, loadOrCreateStationKeys(dataDir), new ChainReserve(dataDir)));
    const gaps = new Gaps(db);
    const disk = new DiskGuard({ dataDir, recordings: () => cameras?.recordings() ?? [], retention: () => null, runRetention: () => undefined });
    await disk.measure();
    const content: OverlayContent = { station: 'Bench 1', operator: '', packer: null };
    const saved = [entry('demo:160x120@10', { id: 'demo-3', name: 'Old side' })];
    const clipsEnded: string[] = [];
    const list = [entry('demo:320x240@10'), entry('demo:256x144@10', { name: 'Side' })];
    cameras = await CameraSet.open(
      {
        dataDir,
        ffmpeg,
        runs: new Runs(db),
        segments,
        gaps,
        indexer: new SegmentIndexer(dataDir, ffmpeg.path, segments),
        settings: new SettingsStore(db),
        motion: new MotionMeter(),
        disk,
        overlayFiles: new OverlayFiles(dataDir, () => ({ ...content })),
        savedCameras: () => saved,
        stopping: () => stopping.now,
        endClip: (why) => {
          clipsEnded.push(why);
          return null;
        },
      },
      await resolveCameras(ffmpeg, list, new Map(), false),
    );
    const set = cameras;
    // Each camera's overlay file is there before its ffmpeg starts.
    for (const id of ['demo', 'demo-2']) expect(readFileSync(join(dataDir, 'overlay', `${id}.txt`), 'utf8')).toBe(overlayText(content));
    expect(set.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped']);

    await set.start();
    const recording = () => set.statuses().every((s) => s.state === 'recording') && set.statuses();
    const first = await until('both cameras recording', recording);
    expect(first.map((s) => [s.id, s.name])).toEqual([['demo', ''], ['demo-2', 'Side']]);
    expect(set.recordings().map((w) => w.cameraId)).toEqual(['demo', 'demo-2']);
    expect(set.watchdogOf('demo-2')).toBe(set.otherCameras[0]!.watchdog);
    // The main camera's preview without an id; none for a camera that is not recording.
    expect(set.preview(undefined)).toBe(set.preview('demo'));
    expect(set.preview('demo-2')).not.toBe(set.preview('demo'));
    expect(set.preview('demo-3')).toBeNull();
    // Names: the settings' name, else the spec; a camera no longer recording by its saved name, else its id.
    expect(set.nameOf('demo-2')).toBe('Side');
    expect(set.nameOf('demo')).toBe(set.main.source.display);
    expect(set.nameOf('demo-3')).toBe('Old side');
    expect(set.nameOf('gone')).toBe('gone');

    // A rename reaches every camera's file.
    content.station = 'Bench 2';
    await set.writeOverlayFiles();
    for (const id of ['demo', 'demo-2']) expect(readFileSync(join(dataDir, 'overlay', `${id}.txt`), 'utf8')).toBe(overlayText(content));

    // The side camera is replaced: the main camera records on in the same ffmpeg, the removed one stops without a gap.
    const mainPid = first[0]!.pid!;
    const sidePid = first[1]!.pid!;
    const applied = await set.apply([entry('demo:320x240@10'), entry('demo:160x120@10', { name: 'Top' })], 'camera settings changed');
    // The saved camera keeps its id.
    expect(applied.map((e) => e.id)).toEqual(['demo', 'demo-3']);
    const replaced = await until('the new camera recording', recording);
    expect(replaced.map((s) => [s.id, s.name])).toEqual([['demo', ''], ['demo-3', 'Top']]);
    expect(replaced[0]!.pid).toBe(mainPid);
    expect(alive(sidePid)).toBe(false);
    expect(gaps.all().filter((g) => g.camera === 'demo-2')).toEqual([]);
    expect(readFileSync(join(dataDir, 'overlay', 'demo-3.txt'), 'utf8')).toBe(overlayText(content));

    // An encoder change restarts every camera in a new ffmpeg (the hole between two runs the station
    // asked for is kept as a gap only from the contiguity tolerance up: see camera-watchdog.ts).
    await set.apply(set.entriesInUse(), 'encoder setting changed', true);
    const restarted = await until('both cameras recording again', recording);
    expect(restarted.map((s) => s.id)).toEqual(['demo', 'demo-3']);
    for (const [i, s] of restarted.entries()) {
      expect(s.pid).not.toBe(replaced[i]!.pid);
      expect(alive(replaced[i]!.pid!)).toBe(false);
    }
    expect(clipsEnded).toEqual([]);

    // A new main camera: the clip being recorded ends first, and the new main camera is what main() says.
    await set.apply([entry('demo:160x120@10'), entry('demo:320x240@10')], 'camera settings changed');
    expect(clipsEnded).toEqual(['camera changed']);
    expect(set.main.source.id).toBe('demo-3');
    const swapped = await until('the cameras recording in their new roles', recording);
    expect(swapped.map((s) => s.id)).toEqual(['demo-3', 'demo']);

    const pids = swapped.map((s) => s.pid!);
    stopping.now = true;
    await set.stop();
    expect(set.recordings()).toEqual([]);
    expect(set.otherCameras.map((o) => o.watchdog.state)).toEqual(['stopped']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
