/**
 * One appeal export of one clip: the video (the original bytes, or fitted to a platform's limits),
 * the key-frame evidence sheet, and the signed manifest that ties them to the station's hash-chained
 * footage. Everything goes into a bundle folder (and a zip of it) that `packwitness verify` and plain
 * sha256sum + openssl can check without us.
 *
 * Used by the HTTP export jobs and by `packwitness export`; neither needs the station to be running.
 */
import { existsSync, constants as fsConstants } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportRequest, type Clip, type ExportFileRole, type ExportPlan, type ExportPreset } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import { Segments } from '../catalog/segments.js';
import { sha256File } from '../catalog/hash.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import { relatedClips } from '../clips/related-clips.js';
import { sealBundle, zipBundle } from '../evidence/bundle.js';
import type { StationKeys } from '../evidence/station-keys.js';
import { log } from '../log.js';
import { probePackets, probeVideoFormat } from '../recorder/probe.js';
import { overlayFont } from '../resources.js';
import { bundleClaimFiles, bundleClaimSheets } from './claim-files.js';
import { writeClipStills } from './clip-stills.js';
import { ClaimsRepo } from '../claims/claims-repo.js';
import { renderEvidenceSheet } from './evidence-sheet.js';
import { LABELS, SHEET_MAX_RELATED } from './sheet-text.js';
import { planExport, planFit, planOriginal } from './fit-plan.js';
import { compositeLayout } from './composite.js';
import { ClipCamerasRepo, type CameraVideo } from '../clips/clip-cameras.js';
import { CAMERA_VIDEO_ROLE, cameraVideoName } from '../evidence/manifest.js';
import { findPreset, stillsFor } from './presets.js';
import { transcode, type TranscodeInput } from './transcode.js';
import { exportBaseName, exportFileNames } from './export-names.js';
import { HOW_TO_VERIFY_FILE, howToVerifyText } from '../evidence/how-to-verify.js';
import { SegmentFaults } from '../catalog/segment-faults.js';
import { videoExpiredText } from '../storage/expired.js';
import { msg, LocalizedError, type Message } from '../localized-error.js';
import { render, type MessageCode } from '../../../shared/messages/index.js';

export class ExportError extends LocalizedError {
  override name = 'ExportError';
}

/**
 * Why a clip cannot be exported at all, before any work (the route answers with it at once, the job
 * checks again): its video was deleted by retention (410), the camera recorded none of it (409), or
 * there is none yet (409). A closed clip whose main camera recorded nothing while another camera
 * (`otherVideos` of them cut) did is exported from those cameras' videos.
 */
export function exportRefusal(clip: Clip, otherVideos = 0): { status: 409 | 410; text: Message } | null {
  if (clip.videoExpiredAt) {
    const why = videoExpiredText(Date.parse(clip.videoExpiredAt));
    return { status: 410, text: msg('clipExport.cannotBeExported', { id: clip.id, why }) };
  }
  if (!clip.video && otherVideos > 0 && clip.status !== 'recording') return null;
  if (clip.footage === 'none' && clip.status !== 'recording') {
    return { status: 409, text: msg('clipExport.noFootage', { id: clip.id }) };
  }
  if (!clip.video) {
    return clip.status === 'recording'
      ? { status: 409, text: msg('clipExport.noVideoWhileRecording', { id: clip.id }) }
      : { status: 409, text: msg('clipExport.noVideoYet', { id: clip.id }) };
  }
  return null;
}

export interface ClipExportDeps {
  db: Db;
  dataDir: string;
  ffmpegPath: string;
  clips: ClipsRepo;
  keys: StationKeys;
  presets: readonly ExportPreset[];
  /** What the station calls a camera (the manifest's camera list, the sheet's rows); default its id. */
  cameraName?: (id: string) => string;
  /**
   * Wait (bounded) for the other cameras' MP4s of a clip that just ended, so a person's export right
   * after the clip has them. The hub upload does not: a camera cut later sends the clip again.
   */
  waitForCameras?: boolean;
}

export type ExportPhase = 'video' | 'sheet' | 'sealing';

export interface ClipExportResult {
  bundleDir: string;
  zip: string;
  plan: ExportPlan;
  files: Array<{ role: ExportFileRole; name: string; path: string; bytes: number; sha256: string }>;
  /** The other cameras' videos (role camera-video in the manifest), one per camera; `cameraName` is what the station calls it. */
  cameraVideos: Array<{ camera: string; cameraName: string; name: string; path: string; bytes: number; sha256: string }>;
  /** A clip filmed by several cameras: each, the main one first, by its name, with its video's file name in the bundle (null: none). Empty for one camera. */
  cameras: Array<{ id: string; name: string; main: boolean; file: string | null }>;
}

/**
 * Seconds left, extrapolated from the time spent so far; null below 3 %, where the first percent is
 * mostly start-up and the estimate would be noise.
 */
export function etaSeconds(startedMs: number, percent: number): number | null {
  return percent >= 3 ? Math.round((((Date.now() - startedMs) / 1000) * (100 - percent)) / percent) : null;
}

/** Longer than a segment (2 s) plus its hashing; after this, sealing says what is missing. */
const FOOTAGE_INDEX_WAIT_MS = 10_000;

/** Share of the progress bar each phase gets, for an encode and for a plain copy. */
const WEIGHTS = { fit: { video: 0.85, sheet: 0.12, sealing: 0.03 }, original: { video: 0.05, sheet: 0.8, sealing: 0.15 } } as const;

/**
 * `bundle` is the bundle folder to create (its zip goes beside it as `<folder>.zip`), or
 * `{ inside }`: a folder in which the bundle takes its own name (export-names.ts), as the HTTP jobs do.
 */
export async function exportClip(
  d: ClipExportDeps,
  clipId: number,
  request: ExportRequest,
  bundle: string | { inside: string },
  opts: { signal?: AbortSignal; onProgress?: (percent: number, phase: ExportPhase) => void } = {},
): Promise<ClipExportResult> {
  const req = ExportRequest.parse(request);
  const clip = d.clips.get(clipId);
  if (!clip) throw new ExportError(msg('clipExport.noClip', { clipId }));
  const refused = exportRefusal(clip, d.clips.otherCameraVideos(clipId));
  if (refused) throw new ExportError(refused.text);
  const videoRel = d.clips.videoFile(clipId);
  // The other cameras' MP4s are cut just after the main one: an export right after the clip waits for them.
  const cameras = await camerasCut(d, clip, d.waitForCameras === true, opts.signal);
  // The main camera's video; when it recorded none of the clip, the first other camera's leads (the
  // plan, the sheet's frames, the stills) and the bundle holds only the cameras' own videos (no file
  // with role `video`; the manifest's camera list says the main camera has none).
  const main = clip.video && videoRel ? { camera: clip.camera, video: clip.video, file: videoRel } : null;
  const lead = main ?? (cameras[0] ? { camera: cameras[0].camera, video: cameras[0].video, file: cameras[0].video.file } : null);
  if (!lead) throw new ExportError(exportRefusal({ ...clip, video: null })!.text);
  const source = join(d.dataDir, ...lead.file.split('/'));
  if (req.composite && (main ? 1 : 0) + cameras.length < 2) {
    throw new ExportError(msg('clipExport.sideBySideNeedsTwo', { id: clip.id }));
  }
  // Damaged footage is never exported as evidence: say which segment, before any work is done.
  const segs = [clip.camera, ...cameras.map((c) => c.camera)].flatMap((camera) => new Segments(d.db).between(Date.parse(clip.startedAt), Date.parse(clip.endedAt ?? clip.startedAt), camera));
  const damaged = await new SegmentFaults(d.db).verify(d.dataDir, segs, 'export');
  if (damaged.length) {
    const more = damaged.length > 1 ? msg('clipExport.andMore', { count: damaged.length - 1 }) : '';
    throw new ExportError(msg('clipExport.segmentDamaged', { id: clip.id, file: damaged[0]!.file, more, detail: damaged[0]!.detail }));
  }

  const preset = req.preset ? findPreset(d.presets, req.preset) : null;
  const maxMb = req.maxMb ?? preset?.maxMb ?? null;
  const maxSeconds = req.maxSeconds ?? preset?.maxSeconds ?? null;
  // An images-only platform gets the sheet; the bundle keeps the untouched video beside it.
  const fit = !preset?.imagesOnly && (maxMb !== null || maxSeconds !== null || req.banner);

  const startMs = Date.parse(clip.startedAt);
  const durationSec = lead.video.durationMs / 1000;
  const format = await probeVideoFormat(d.ffmpegPath, source);
  const src = { ...format, durationSec };
  const firstScanMs = clip.codeDetails.length ? Date.parse(clip.codeDetails[0]!.scannedAt) : startMs;
  const endScanMs = d.clips.endingScanMs(clipId) ?? Date.parse(clip.endedAt ?? clip.startedAt);
  const core = { fromSec: (firstScanMs - startMs) / 1000, toSec: (endScanMs - startMs) / 1000 };
  const limits = { maxBytes: maxMb === null ? null : Math.floor(maxMb * 1e6), maxSeconds, banner: req.banner };
  let plan = fit ? planExport({ ...src, bytes: lead.video.bytes }, core, limits) : planOriginal(src);

  // Named for the reviewer: order code, clip time and id; a re-encode also says for what (export-names.ts).
  const names = exportFileNames(exportBaseName(clip, plan.kind === 'fit' ? (preset && !preset.imagesOnly ? preset.id : 'fit') : null));
  const bundleDir = typeof bundle === 'string' ? bundle : join(bundle.inside, names.bundle);
  if (typeof bundle !== 'string' && (existsSync(bundleDir) || existsSync(`${bundleDir}.zip`))) {
    throw new ExportError(msg('clipExport.bundleExists', { bundleDir }));
  }

  const weights = WEIGHTS[plan.kind === 'fit' || req.composite ? 'fit' : 'original'];
  // The video phase is shared by the videos: the main one, each other camera's, the composite.
  const videoCount = (main ? 1 : 0) + cameras.length + (req.composite ? 1 : 0);
  let videoIndex = 0;
  const videoProgress = (f: number): void => report('video', (videoIndex + f) / videoCount);
  const report = (phase: ExportPhase, fraction: number): void => {
    const before = phase === 'video' ? 0 : phase === 'sheet' ? weights.video : weights.video + weights.sheet;
    opts.onProgress?.(Math.round((before + weights[phase] * fraction) * 1000) / 10, phase);
  };

  // Built in a hidden folder and renamed into place: a cancelled or failed export leaves no half bundle.
  const building = `${bundleDir}.partial`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  try {
    report('video', 0);
    const videoName = names.video;
    const videoPath = join(building, videoName);
    const encodeDeps = { ffmpegPath: d.ffmpegPath, clip, locale: req.locale, signal: opts.signal, onProgress: videoProgress };
    let videoSha: string | null = null;
    if (main && plan.kind === 'original') {
      videoSha = await copyRecording(source, videoPath, main.video.sha256, msg('clipExport.videoChanged', { clipId }));
    } else if (main) {
      plan = await encodeWithinLimit(encodeDeps, source, videoPath, plan, bannerLines(clip, req.locale));
      videoSha = await sha256File(videoPath);
    } else {
      videoIndex--; // no main video: the first other camera's is the first of the phase
    }
    opts.signal?.throwIfAborted();

    // Every other camera's view, beside the main one: its clip MP4 as cut, or fitted to the same
    // limits (each file on its own: platforms limit each uploaded file). Its length decisions are the
    // main video's (same duration, window and speed-up), so the views stay in step; its picture and
    // rate cap are its own.
    const cameraFiles: Array<{ path: string; role: string; camera: string; cameraName: string; sha256: string }> = [];
    for (const cam of cameras) {
      videoIndex++;
      const camSource = join(d.dataDir, ...cam.video.file.split('/'));
      const camName = cameraVideoName(videoName, cam.camera);
      const camPath = join(building, camName);
      let camPlan = fit ? planExport({ ...(await probeVideoFormat(d.ffmpegPath, camSource)), durationSec, bytes: cam.video.bytes }, core, limits) : null;
      // The same window of wall-clock time, on the timeline of a video that begins later.
      const late = cam.startOffsetMs / 1000;
      if (camPlan?.kind === 'fit' && late > 0) camPlan = { ...camPlan, fromSec: Math.max(0, camPlan.fromSec - late), toSec: Math.max(0.1, camPlan.toSec - late) };
      let sha: string;
      if (!camPlan || camPlan.kind === 'original') {
        sha = await copyRecording(camSource, camPath, cam.video.sha256, msg('clipExport.cameraVideoChanged', { clipId, camera: cam.camera }));
      } else {
        await encodeWithinLimit(encodeDeps, camSource, camPath, camPlan, bannerLines(clip, req.locale, { id: cam.camera, sha256: cam.video.sha256 }));
        sha = await sha256File(camPath);
      }
      cameraFiles.push({ path: camName, role: CAMERA_VIDEO_ROLE, camera: cam.camera, cameraName: cam.name, sha256: sha });
      opts.signal?.throwIfAborted();
    }

    // One MP4 with every view, for platforms that take one file: always an encode, to the same limits.
    let compositeFile: { path: string; role: ExportFileRole; sha256: string } | null = null;
    if (req.composite) {
      videoIndex++;
      // Without a main video the first other camera's is the base the rest are placed against.
      const others = main ? cameras : cameras.slice(1);
      const baseOffsetMs = main ? 0 : (cameras[0]?.startOffsetMs ?? 0);
      const sources = [source, ...others.map((c) => join(d.dataDir, ...c.video.file.split('/')))];
      const views = [format, ...(await Promise.all(sources.slice(1).map((f) => probeVideoFormat(d.ffmpegPath, f))))];
      const layout = compositeLayout(views);
      const compositePlan = planFit({ ...layout.source, durationSec }, core, limits);
      const name = `${videoName.replace(/\.mp4$/i, '')}_composite.mp4`;
      const path = join(building, name);
      // Each view's gaps (a camera killed mid-clip and restarted): it stands still there, marked, in step with the rest.
      const gaps = clipGaps(d, clip);
      const viewIds = [lead.camera, ...others.map((c) => c.camera)];
      const gapsSec = viewIds.map((id) => gaps.filter((g) => g.cameraId === id).map((g) => ({ fromSec: (g.fromMs - startMs) / 1000, toSec: ((g.toMs ?? Date.parse(clip.endedAt ?? clip.startedAt)) - startMs) / 1000 })));
      await encodeWithinLimit(encodeDeps, source, path, compositePlan, bannerLines(clip, req.locale), {
        others: sources.slice(1),
        othersStartSec: others.map((c) => Math.max(0, c.startOffsetMs - baseOffsetMs) / 1000),
        columns: layout.columns,
        rows: layout.rows,
        cellWidth: layout.cellWidth,
        cellHeight: layout.cellHeight,
        gapsSec,
        gapLabel: LABELS[req.locale].gap,
      });
      compositeFile = { path: name, role: 'composite', sha256: await sha256File(path) };
      opts.signal?.throwIfAborted();
    }

    const files: Array<{ path: string; role: ExportFileRole; sha256?: string }> = [...(videoSha !== null ? [{ path: videoName, role: 'video' as const, sha256: videoSha }] : []), ...(compositeFile ? [compositeFile] : [])];
    if (req.sheet || preset?.imagesOnly) {
      report('sheet', 0);
      const sheet = await renderEvidenceSheet(
        {
          ffmpegPath: d.ffmpegPath,
          videoPath: source,
          clipStartMs: startMs,
          frameTimesMs: undefined,
          scans: clip.codeDetails.map((c) => ({ atMs: Date.parse(c.scannedAt), code: c.code, kind: c.kind })),
          title: { codes: clip.codes, station: clip.station, mode: clip.mode, startIso: clip.startedAt, endIso: clip.endedAt ?? clip.startedAt, clipId: clip.id },
          hashes: { clipSha256: lead.video.sha256, exportSha256: videoSha ?? cameraFiles[0]!.sha256, keyFingerprint: d.keys.fingerprint },
          related: relatedClips(d.db, clip).slice(0, SHEET_MAX_RELATED).map((r) => ({ mode: r.mode, station: r.station, startIso: r.startedAt, clipId: r.id, sha256: d.clips.get(r.id)?.video?.sha256 ?? null })),
          order: clip.order ?? null,
          packer: clip.packer ? { code: clip.packer, name: clip.packerName ?? clip.packer } : null,
          locale: req.locale,
          // Key frames from every camera: a row of each at the same moments, from the recordings themselves.
          // Without a main video, the first other camera's frames lead the sheet.
          mainCamera: main ? { id: clip.camera, name: d.cameraName?.(clip.camera) ?? clip.camera } : { id: cameras[0]!.camera, name: cameras[0]!.name },
          cameras: (main ? cameras : cameras.slice(1)).map((c) => ({ id: c.camera, name: c.name, videoPath: join(d.dataDir, ...c.video.file.split('/')), startOffsetMs: c.startOffsetMs })),
          // Every camera's gaps inside the clip, by the camera's name: where its frames stop or stand still.
          gaps: clipGaps(d, clip).map(({ cameraId: _id, ...g }) => g),
        },
        building,
        names.sheetBase,
      );
      files.push({ path: basename(sheet.png), role: 'sheet-png' }, { path: basename(sheet.jpg), role: 'sheet-jpg' }, { path: basename(sheet.pdf), role: 'sheet-pdf' });
      opts.signal?.throwIfAborted();
    }

    // The clip's claims: the buyer's files as received and what the station read in them, signed with the rest.
    const claimFiles: Array<{ path: string; role: string; sha256?: string }> = await bundleClaimFiles(d.db, d.dataDir, clipId, building);
    opts.signal?.throwIfAborted();
    // With the sheets, a claim sheet per claim photo: the photo beside the frames matched to it.
    if (req.sheet || preset?.imagesOnly) {
      claimFiles.push(...(await bundleClaimSheets({ db: d.db, dataDir: d.dataDir, ffmpegPath: d.ffmpegPath, keyFingerprint: d.keys.fingerprint }, { ...clip, video: lead.video }, source, req.locale, building)));
      opts.signal?.throwIfAborted();
    }
    // A pictures-only platform gets still frames from the recording (time and codes burned in).
    const stillCount = stillsFor(preset);
    if (stillCount > 0) {
      const stills = await writeClipStills({ ffmpegPath: d.ffmpegPath, videoPath: source, clipStartMs: startMs, claims: new ClaimsRepo(d.db).forClip(clipId), count: stillCount }, building, names.bundle);
      claimFiles.push(...stills.map((f) => ({ path: basename(f.file), role: 'still' })));
      opts.signal?.throwIfAborted();
    }

    // For whoever receives the bundle without docs/VERIFY.md: listed and hashed like every other file.
    await writeFile(join(building, HOW_TO_VERIFY_FILE), howToVerifyText(basename(bundleDir)));
    files.push({ path: HOW_TO_VERIFY_FILE, role: 'how-to-verify' });

    report('sealing', 0);
    await footageIndexed(d.db, clip, lead.camera, opts.signal);
    const sealed = await sealBundle({
      db: d.db,
      dataDir: d.dataDir,
      clipId,
      bundleDir: building,
      files: [...files, ...cameraFiles.map(({ cameraName: _name, ...f }) => f), ...claimFiles],
      exportSettings: { ...plan, preset: preset?.id ?? null, locale: req.locale, sheet: req.sheet, ...(cameras.length ? { cameras: cameras.length + 1, composite: req.composite } : {}) },
      keys: d.keys,
      cameraName: d.cameraName,
    });
    await rm(bundleDir, { recursive: true, force: true });
    await rename(building, bundleDir);
    const zip = `${bundleDir}.zip`;
    const zipDigest = await zipBundle(bundleDir, zip);
    report('sealing', 1);

    // Sizes and hashes as the signed manifest lists them (sealing just computed them); the manifest,
    // its signature and the zip are not in it.
    const listed = files.map((f) => {
      const m = sealed.manifest.files.find((x) => x.path === f.path)!;
      return { role: f.role, name: f.path, path: join(bundleDir, f.path), bytes: m.bytes, sha256: m.sha256 };
    });
    const unlisted: ClipExportResult['files'] = await Promise.all(
      [
        { name: 'manifest.json', role: 'manifest' as const, path: join(bundleDir, 'manifest.json') },
        { name: 'manifest.sig', role: 'signature' as const, path: join(bundleDir, 'manifest.sig') },
      ].map(async (f) => ({ ...f, bytes: (await stat(f.path)).size, sha256: await sha256File(f.path) })),
    );
    unlisted.push({ name: basename(zip), role: 'zip', path: zip, ...zipDigest });
    const cameraVideos = cameraFiles.map((f) => {
      const m = sealed.manifest.files.find((x) => x.path === f.path)!;
      return { camera: f.camera, cameraName: f.cameraName, name: f.path, path: join(bundleDir, f.path), bytes: m.bytes, sha256: m.sha256 };
    });
    const listedCameras = (sealed.manifest.clip.cameras ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      main: c.main,
      file: c.main ? (videoSha !== null ? videoName : null) : (cameraFiles.find((f) => f.camera === c.id)?.path ?? null),
    }));
    return { bundleDir, zip, plan, files: [...listed, ...unlisted], cameraVideos, cameras: listedCameras };
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    throw err;
  }
}

/** A re-encode within the plan's limits (see the loop); the plan as finally used. */
async function encodeWithinLimit(
  e: { ffmpegPath: string; clip: Clip; locale: 'zh-CN' | 'en'; signal: AbortSignal | undefined; onProgress: (f: number) => void },
  input: string,
  output: string,
  first: ExportPlan,
  banner: string[],
  grid?: TranscodeInput['grid'],
): Promise<ExportPlan> {
  let plan = first;
  // The rate cap bounds the size by arithmetic (fit-plan.ts); the file on disk is what counts, so it
  // is checked, and a rare overshoot (VBV is not exact at the very start) is re-encoded once tighter.
  for (let attempt = 1; ; attempt++) {
    await transcode({
      ffmpegPath: e.ffmpegPath,
      fontFile: overlayFont(),
      input,
      output,
      plan,
      bannerLines: banner,
      speedLabel: render(msg('banner.speed', { speed: plan.speed }), e.locale),
      signal: e.signal,
      onProgress: e.onProgress,
      grid,
    });
    const { size } = await stat(output);
    if (plan.maxBytes === null || plan.maxrate === null || size <= plan.maxBytes) return plan;
    if (attempt === 2) throw new ExportError(msg('clipExport.overSizeLimit', { output: basename(output), size, maxBytes: plan.maxBytes }));
    log.warn('an export came out over its size limit; encoding again with a lower rate cap', { clipId: e.clip.id, file: basename(output), size, limit: plan.maxBytes });
    plan = { ...plan, maxrate: Math.floor(plan.maxrate * (plan.maxBytes / size) * 0.95) };
  }
}

/** A recorded MP4 copied into the bundle and checked against the SHA-256 taken when it was cut. */
async function copyRecording(from: string, to: string, expectedSha: string, mismatch: Message): Promise<string> {
  await copyEvidenceFile(from, to);
  const sha = await sha256File(to);
  if (sha !== expectedSha) throw new ExportError(mismatch);
  return sha;
}

/** Each camera's recording gaps within the clip (the main camera's first), named as the station names the camera. */
function clipGaps(d: ClipExportDeps, clip: Clip): Array<{ camera: string; cameraId: string; fromMs: number; toMs: number | null; reason: string }> {
  const S = Date.parse(clip.startedAt);
  const E = Date.parse(clip.endedAt ?? clip.startedAt);
  const cams = [{ id: clip.camera, name: d.cameraName?.(clip.camera) ?? clip.camera }, ...new ClipCamerasRepo(d.db).rows(clip.id).map((r) => ({ id: r.camera, name: r.name }))];
  return cams.flatMap((c) =>
    d.clips.gapsWithin(c.id, S, E).map((g) => ({ camera: c.name, cameraId: c.id, fromMs: Math.max(S, Date.parse(g.startedAt)), toMs: g.endedAt === null ? null : Math.min(E, Date.parse(g.endedAt)), reason: g.reason })),
  );
}

/** Up to this long after a clip ends, an other camera's MP4 not cut yet is waited for (cut after the main one's). */
const CAMERA_CUT_WAIT_MS = 20_000;

/**
 * The clip's other cameras that have a video, once cut. Right after the clip, the clip writer is
 * still cutting them (the main one first); a camera that recorded none of the clip never gets one,
 * so the wait is bounded, and only for a clip that ended moments ago.
 */
async function camerasCut(d: ClipExportDeps, clip: Clip, wait: boolean, signal: AbortSignal | undefined): Promise<Array<{ camera: string; name: string; video: CameraVideo; startOffsetMs: number }>> {
  const db = d.db;
  const repo = new ClipCamerasRepo(db);
  const endMs = Date.parse(clip.endedAt ?? clip.startedAt);
  let rows = repo.rows(clip.id);
  while (wait && rows.some((r) => r.video === null) && Date.now() - endMs < CAMERA_CUT_WAIT_MS) {
    signal?.throwIfAborted();
    await sleep(250);
    rows = repo.rows(clip.id);
  }
  // A camera that started recording after the clip began has a video that begins later (its first
  // frame is its t=0, see clip-writer.ts): how much later, from its first segment's wall-clock start.
  // A video cut across a restart of its camera (a gap inside the clip: its runs joined by an ffconcat
  // list) keeps the clip's clock in its timestamps but may begin up to a keyframe interval after 0, and
  // ffmpeg and the sheet count from a file's first frame: that start is a lateness too, or every later
  // frame of the view (the gap with it) would be shown that much early beside the others.
  const segments = new Segments(db);
  const out: Array<{ camera: string; name: string; video: CameraVideo; startOffsetMs: number }> = [];
  for (const r of rows) {
    if (!r.video) continue;
    const first = segments.between(Date.parse(clip.startedAt), endMs, r.camera)[0];
    const lateMs = first ? Math.max(0, Date.parse(first.startedAt) - Date.parse(clip.startedAt)) : 0;
    const packets = await probePackets(d.ffmpegPath, join(d.dataDir, ...r.video.file.split('/')));
    const firstFrameMs = packets.pts.length ? Math.max(0, Math.round(Math.min(...packets.pts) * 1000)) : 0;
    out.push({ camera: r.camera, name: r.name, video: r.video, startOffsetMs: Math.max(lateMs, firstFrameMs) });
  }
  return out;
}

/**
 * The segment holding a clip's last frames is still being written for up to a segment's length after
 * the clip ends; the manifest needs it indexed and chained. Wait for it (bounded): exporting right
 * after a clip ends is normal.
 */
async function footageIndexed(db: Db, clip: Clip, camera: string, signal: AbortSignal | undefined): Promise<void> {
  const endMs = Date.parse(clip.endedAt ?? clip.startedAt);
  const segments = new Segments(db);
  const deadline = Date.now() + FOOTAGE_INDEX_WAIT_MS;
  while ((segments.lastEndMs(camera) ?? 0) < endMs && Date.now() < deadline) {
    signal?.throwIfAborted();
    await sleep(250);
  }
}

/**
 * The original video into the bundle, as a file of its own. Never a hard link: the export would share
 * the clip's inode, so appending to or chmod-ing the exported file (a recipient's tool, an upload
 * helper) would change the station's evidence, and the next export of the clip would fail its hash
 * check. COPYFILE_FICLONE makes a reflink where the file system has them (Btrfs, XFS, APFS, ReFS):
 * instant, blocks shared copy-on-write, so a write to either name still leaves the other intact;
 * elsewhere it is a plain copy. The copy is writable by its owner like the rest of the bundle; the
 * clip file stays read-only.
 */
async function copyEvidenceFile(from: string, to: string): Promise<void> {
  await copyFile(from, to, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
  await chmod(to, 0o644);
}

/** The strip under the picture: what a reviewer must match against the claim, in three lines (an other camera's video names it, with its own hash). */
export function bannerLines(clip: Clip, locale: 'zh-CN' | 'en', camera?: { id: string; sha256: string }): string[] {
  const say = (m: Message): string => render(m, locale);
  const mode = say(msg(BANNER_MODES[clip.mode]));
  return [
    clip.codes.join('  ·  ') || say(msg('banner.noCode')),
    `${clip.station}  ·  ${mode}  ·  ${localRange(clip.startedAt, clip.endedAt)}`,
    `${say(msg('banner.clip', { id: clip.id }))}${camera ? `  ·  ${say(msg('banner.camera', { id: camera.id }))}` : ''}  ·  SHA-256 ${(camera?.sha256 ?? clip.video?.sha256)?.slice(0, 16) ?? '-'}…  ·  PackWitness`,
  ];
}

const BANNER_MODES = { pack: 'banner.modePack', return: 'banner.modeReturn', ship: 'banner.modeShip' } as const satisfies Record<Clip['mode'], MessageCode>;

/** "2026-11-23 10:00:00 – 10:01:30 UTC+08:00", in the station's time zone, as the overlay shows it. */
export function localRange(startIso: string, endIso: string | null): string {
  const s = new Date(startIso);
  const e = endIso ? new Date(endIso) : null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const off = -s.getTimezoneOffset();
  const zone = `UTC${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  const end = e ? ` – ${day(e) === day(s) ? '' : `${day(e)} `}${time(e)}` : '';
  return `${day(s)} ${time(s)}${end} ${zone}`;
}
