/**
 * The cameras recording now: the main camera and the others (MAX_CAMERAS in all), each with its own
 * watchdog (runs, segments, gaps, restarts), overlay file and live preview; the codes schedule is
 * shared, so every camera's watermark switches at the same frame time. The main camera alone drives
 * `recording`, the idle stop's motion pictures and the clips' frame grid.
 *
 * A new camera list (the settings, or an encoder change with the cameras in use) is applied here,
 * camera by camera (camera-plan.ts), one change at a time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CameraEntry, CameraSettings, CameraStatus } from '../../../shared/api.js';
import { maskCredentials, maskCredentialsOrNull } from '../../../shared/credentials.js';
import type { Gaps } from '../catalog/gaps.js';
import type { Runs } from '../catalog/runs.js';
import type { SegmentIndexer } from '../catalog/segment-indexer.js';
import type { Segments } from '../catalog/segments.js';
import type { FfmpegInfo } from '../ffmpeg/locate.js';
import { log } from '../log.js';
import { overlayFont } from '../resources.js';
import type { SettingsStore } from '../scans/settings-store.js';
import type { DiskGuard } from '../storage/disk-guard.js';
import { cameraRun, resolveCameras, type ResolvedCamera } from './camera-resolve.js';
import { cameraChanges } from './camera-plan.js';
import type { CameraSource } from './camera-spec.js';
import { CameraWatchdog } from './camera-watchdog.js';
import { overlayFontSize, type EncoderPresetName } from './ffmpeg-command.js';
import type { MotionMeter } from './motion.js';
import type { OverlayFiles } from './overlay-files.js';
import { OverlayTimeline } from './overlay-timeline.js';
import type { PreviewTap } from './preview-tap.js';
import { PreviewTaps } from './preview-taps.js';
import { chooseRecordingEncoder } from './recording-encoder.js';

/** After a clip's end, long enough for its last frame to be stamped and drawn before the run stops. */
const FRAME_SLACK_MS = 150;

/** A camera recording: its settings, its source, its overlay file and the watchdog that keeps it recording. */
export interface RecordingCamera {
  /** Its settings (spec as saved or given on the command line, unresolved; name; size, rate, quality; id). */
  entry: CameraEntry;
  source: CameraSource;
  overlayFile: string;
  watchdog: CameraWatchdog;
}

export interface CameraSetDeps {
  dataDir: string;
  ffmpeg: FfmpegInfo;
  runs: Runs;
  segments: Segments;
  gaps: Gaps;
  indexer: SegmentIndexer;
  /** Where the hardware encoder setting and the encoder tests' results are read (recording-encoder.ts). */
  settings: SettingsStore;
  /** The CLI's --encoder: wins over every camera's saved quality. */
  encoder?: EncoderPresetName;
  /** The idle stop's meter: fed by the main camera's motion pictures only. */
  motion: MotionMeter;
  disk: Pick<DiskGuard, 'roomToWrite' | 'pauseForDiskFull'>;
  overlayFiles: OverlayFiles;
  /** The cameras saved in the settings: their ids stay with their specs. */
  savedCameras: () => readonly CameraEntry[];
  /** The station is shutting down: a change under way starts nothing more. */
  stopping: () => boolean;
  /** A new main camera ends the clip being recorded: the clip's end (ms), or null when none was open. */
  endClip: (why: string) => number | null;
}

/** spec → id of the cameras saved with one and of those recording (which win): ids that must not move. */
export function knownCameraIds(saved: readonly CameraEntry[], recording: readonly { entry: CameraEntry; source: CameraSource }[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const c of saved) if (c.id) known.set(c.spec, c.id);
  for (const c of recording) known.set(c.entry.spec, c.source.id);
  return known;
}

export class CameraSet {
  /**
   * The main camera's settings and source as it records (the CLI's --camera included); they stay
   * while a change restarts it, and its watchdog is null between the two runs.
   */
  private mainEntry: CameraEntry;
  private mainSource: CameraSource;
  private mainOverlayFile: string;
  private mainWatchdog: CameraWatchdog | null = null;
  /** The other cameras, in the order given; each keeps recording whatever the main camera does. */
  private others: RecordingCamera[] = [];
  /** The burned-in codes line's schedule: every run starts from it (see overlay-timeline.ts). */
  private readonly overlay = new OverlayTimeline();
  /** Each camera's live preview, made at its first viewer. */
  private readonly previewTaps: PreviewTaps;
  /** Camera changes one at a time: each waits for the previous restart. */
  private change: Promise<void> = Promise.resolve();

  private constructor(
    private readonly d: CameraSetDeps,
    main: ResolvedCamera,
  ) {
    this.mainEntry = main.entry;
    this.mainSource = main.source;
    this.mainOverlayFile = d.overlayFiles.prepare(main.source.id);
    this.previewTaps = new PreviewTaps(d.ffmpeg.path, (id) => this.watchdogOf(id));
  }

  /** The cameras of a resolved list (the main one first), each with its overlay file written and its watchdog made; start() starts them. */
  static async open(d: CameraSetDeps, resolved: readonly ResolvedCamera[]): Promise<CameraSet> {
    const set = new CameraSet(d, resolved[0]!);
    const others = resolved.slice(1).map(({ entry, source }) => ({ entry, source, overlayFile: d.overlayFiles.prepare(source.id) }));
    set.mainWatchdog = await set.newWatchdog(set.mainEntry, { source: set.mainSource, overlayFile: set.mainOverlayFile }, true);
    for (const cam of others) set.others.push({ ...cam, watchdog: await set.newWatchdog(cam.entry, cam, false) });
    return set;
  }

  /** The main camera first, then the others, each once its ffmpeg has been launched. */
  async start(): Promise<void> {
    await this.mainWatchdog?.start();
    for (const o of this.others) await o.watchdog.start();
  }

  /** The main camera: settings, source, and its watchdog (null between two runs of a camera change). */
  get main(): { entry: CameraEntry; source: CameraSource; watchdog: CameraWatchdog | null } {
    return { entry: this.mainEntry, source: this.mainSource, watchdog: this.mainWatchdog };
  }

  /** The cameras beside the main one, in order. */
  get otherCameras(): readonly RecordingCamera[] {
    return this.others;
  }

  /** Every camera's watchdog, the main one first; none between two runs of the main camera (disk-guard.ts reads the first as the main one). */
  recordings(): CameraWatchdog[] {
    return this.mainWatchdog ? [this.mainWatchdog, ...this.others.map((o) => o.watchdog)] : [];
  }

  /** The watchdog recording `camera` (the main one or another), if it runs. */
  watchdogOf(camera: string): CameraWatchdog | null {
    if (this.mainWatchdog?.cameraId === camera) return this.mainWatchdog;
    return this.others.find((o) => o.source.id === camera)?.watchdog ?? null;
  }

  /** A camera's live preview: the main camera's without an id, any camera recording now by its id; null: no such camera. */
  preview(camera: string | undefined): PreviewTap | null {
    return this.previewTaps.of(camera ?? this.mainSource.id);
  }

  /**
   * What the clip page calls a camera: the name given in the settings, else its spec with any password
   * removed; a camera no longer recording by its saved name, else its id.
   */
  nameOf(camera: string): string {
    const running = this.inUse().find((c) => c.source.id === camera);
    if (running) return running.entry.name || maskCredentials(running.source.display);
    return this.d.savedCameras().find((c) => c.id === camera)?.name || camera;
  }

  /** Every camera's status, the main one first. Between two runs of a camera change the main one says restarting. */
  statuses(): CameraStatus[] {
    const watched = this.mainWatchdog?.status() ?? {
      id: this.mainSource.id,
      spec: this.mainSource.display,
      state: 'restarting' as const,
      pid: null,
      restarts: 0,
      lastError: null,
      lastGap: this.d.gaps.last(this.mainSource.id),
    };
    // lastError is often ffmpeg's own line, which quotes the camera URL: LAN viewers read the status.
    const main = { ...watched, name: this.mainEntry.name, lastError: maskCredentialsOrNull(watched.lastError) };
    const others = this.others.map((o) => {
      const st = o.watchdog.status();
      return { ...st, name: o.entry.name, lastError: maskCredentialsOrNull(st.lastError) };
    });
    return [main, ...others];
  }

  /** The codes shown in the burned-in overlay (the active clip's order and waybill) from the frame time `atMs` on, on every camera. */
  scheduleOverlay(atMs: number, codes: readonly string[]): void {
    const at = this.overlay.schedule(atMs, codes);
    this.mainWatchdog?.overlaySwitch({ atMs: at, codes });
    for (const o of this.others) o.watchdog.overlaySwitch({ atMs: at, codes });
  }

  /** The station line again in every camera's file: drawtext reads it on the next frame. Resolves once written. */
  writeOverlayFiles(): Promise<void> {
    return this.d.overlayFiles.write(this.overlayFilePaths());
  }

  /** As writeOverlayFiles(), for events nobody waits on (a packer signed in or out, or renamed). */
  refreshOverlayFiles(): void {
    this.d.overlayFiles.refresh(this.overlayFilePaths());
  }

  /** A new run on every camera (the wall clock jumped): its frames are stamped on the new clock. */
  restartRuns(reason: string): void {
    this.mainWatchdog?.restartRun(reason);
    for (const o of this.others) o.watchdog.restartRun(reason);
  }

  /** spec → id of the saved cameras and of those recording now: what a new list must keep. */
  knownIds(): Map<string, string> {
    return knownCameraIds(this.d.savedCameras(), this.mainWatchdog || this.others.length ? this.inUse() : []);
  }

  /** The cameras recording now, the main one first, as settings entries (the CLI's included). */
  entriesInUse(): CameraEntry[] {
    return this.inUse().map((c) => c.entry);
  }

  /**
   * A new camera list: ffmpeg takes its input and encoder once, so each camera whose run would start
   * differently (source, size, rate, quality, or its role as the main camera) stops cleanly (its last
   * segment indexed) and starts again, the seconds between recorded as its own gap; the others record
   * on untouched. `restartAll` (a new encoder setting) restarts every camera. An added camera starts,
   * a removed one stops (its footage and clips stay under its id). A new main camera ends the clip
   * being recorded (clips are cut along the main camera's frames).
   * Changes run one at a time; `store` runs once the list is known to be good, before any camera
   * stops. Resolves with the list as resolved (ids set) once every camera that starts has been launched.
   */
  apply(list: readonly CameraEntry[], why: string, restartAll = false, store?: (entries: CameraEntry[]) => void): Promise<CameraEntry[]> {
    const next = this.change.then(async () => {
      const resolved = await resolveCameras(this.d.ffmpeg, list, this.knownIds(), true);
      const entries = resolved.map((r) => r.entry);
      store?.(entries);
      if (this.d.stopping() || !this.mainWatchdog) return entries;
      const now = [{ entry: this.mainEntry, source: this.mainSource, overlayFile: this.mainOverlayFile, watchdog: this.mainWatchdog }, ...this.others];
      const plan = cameraChanges(
        now.map((c, i) => ({ id: c.source.id, run: cameraRun(c, i === 0) })),
        resolved.map((c, i) => ({ id: c.source.id, run: cameraRun(c, i === 0) })),
        restartAll,
      );
      const newMain = resolved[0]!;
      if (newMain.source.id !== this.mainSource.id) {
        // The clip ends the overlay's lead from now: the old camera records up to that end (and the
        // codes clear on its frame), so the clip's last frames exist and none carries a stale code.
        const endMs = this.d.endClip('camera changed');
        if (endMs !== null) await sleep(Math.max(0, endMs + FRAME_SLACK_MS - Date.now()));
      }
      const stopped = new Set<string>();
      const out: RecordingCamera[] = [];
      // Stopped half-way (the station is shutting down): whatever still runs is left where stop() stops it.
      const settle = () => {
        const rest = now.filter((c) => !stopped.has(c.source.id) && !out.some((o) => o.source.id === c.source.id));
        this.others = [...out, ...rest].filter((c) => c.watchdog !== this.mainWatchdog);
        return entries;
      };
      const stop = async (c: RecordingCamera, gap: boolean) => {
        if (c.watchdog === this.mainWatchdog) this.mainWatchdog = null;
        await c.watchdog.stop();
        stopped.add(c.source.id);
        if (gap && !this.d.stopping()) this.d.gaps.open(c.source.id, this.d.segments.lastEndMs(c.source.id) ?? Date.now(), why);
      };
      for (const id of plan.stop) {
        await stop(now.find((c) => c.source.id === id)!, false);
        log.info('camera removed from the settings; it stops', { camera: id });
      }
      // The main camera alone feeds the idle stop's motion: the old one stops before the new one starts.
      if (plan.restart.includes(now[0]!.source.id)) await stop(now[0]!, true);
      for (const [i, r] of resolved.entries()) {
        if (this.d.stopping()) return settle();
        const old = now.find((c) => c.source.id === r.source.id);
        if (old && plan.keep.includes(r.source.id)) {
          out.push({ ...old, entry: r.entry });
          continue;
        }
        if (old && !stopped.has(old.source.id)) await stop(old, true);
        if (this.d.stopping()) return settle();
        const cam = { entry: r.entry, source: r.source, overlayFile: this.d.overlayFiles.prepare(r.source.id) };
        const watchdog = await this.newWatchdog(r.entry, cam, i === 0);
        out.push({ ...cam, watchdog });
        if (i === 0) {
          this.mainSource = r.source;
          this.mainEntry = r.entry;
          this.mainOverlayFile = cam.overlayFile;
          this.mainWatchdog = watchdog;
        }
        log.info(old ? 'camera settings applied; its recording restarts' : 'camera added in the settings; it starts', { camera: maskCredentials(r.source.display), id: r.source.id });
        await watchdog.start();
      }
      const main = out[0]!;
      this.mainSource = main.source;
      this.mainEntry = main.entry;
      this.mainOverlayFile = main.overlayFile;
      this.mainWatchdog = main.watchdog;
      this.others = out.slice(1);
      return entries;
    });
    this.change = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** No live preview ffmpeg outlives the station (they only read the segment files). */
  closePreviews(): void {
    this.previewTaps.closeAll();
  }

  /**
   * Every camera stops, each after its last segment is indexed. Each watchdog is marked stopping at
   * once (an ffmpeg a Ctrl-C reached first is not restarted); a change under way stops its old run
   * and then sees `stopping`, so nothing new starts, and whatever it left running is stopped here.
   */
  async stop(): Promise<void> {
    await Promise.all([this.mainWatchdog?.stop(), ...this.others.map((o) => o.watchdog.stop())]);
    await this.change;
    await this.mainWatchdog?.stop();
    this.mainWatchdog = null;
    await Promise.all(this.others.map((o) => o.watchdog.stop()));
  }

  private inUse(): { entry: CameraEntry; source: CameraSource }[] {
    return [{ entry: this.mainEntry, source: this.mainSource }, ...this.others];
  }

  private overlayFilePaths(): string[] {
    return [this.mainOverlayFile, ...this.others.map((o) => o.overlayFile)];
  }

  /** A camera's watchdog; the main camera's feeds the idle stop's motion pictures. */
  private async newWatchdog(c: CameraSettings, cam: Pick<RecordingCamera, 'source' | 'overlayFile'>, main: boolean): Promise<CameraWatchdog> {
    const source = cam.source;
    // The hardware encoder setting, the cached encoder tests, libx264 as the fallback.
    const recordingEncoder = await chooseRecordingEncoder({ dataDir: this.d.dataDir, ffmpeg: this.d.ffmpeg, settings: this.d.settings, quality: this.d.encoder ?? c.quality });
    const watchdog = new CameraWatchdog({
      dataDir: this.d.dataDir,
      ffmpegPath: this.d.ffmpeg.path,
      source,
      encoder: recordingEncoder.preset,
      fallbackEncoder: recordingEncoder.fallback,
      onEncoderFallback: recordingEncoder.onFallback,
      overlayFile: cam.overlayFile,
      overlay: this.overlay,
      fontFile: overlayFont(),
      fontSize: overlayFontSize(source.height),
      runs: this.d.runs,
      segments: this.d.segments,
      gaps: this.d.gaps,
      indexer: this.d.indexer,
      // The idle stop watches the bench through the main camera only.
      motion: main ? this.d.motion : undefined,
      roomToWrite: (full) => this.d.disk.roomToWrite(full),
    });
    // Here, not at start: a camera change makes a new watchdog, which must pause on a full disk too.
    watchdog.on('diskFull', (why) => {
      log.error('the disk is full (ENOSPC); recording pauses', { error: why });
      void this.d.disk.pauseForDiskFull();
    });
    return watchdog;
  }
}
