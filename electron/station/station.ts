/**
 * The station core: everything a packing station does, with no Electron in sight. The CLI and the
 * Electron shell both build one of these and call start()/stop().
 *
 * Start-up order matters: lock the data folder, open and migrate the database, reconcile what a
 * crash left behind, then record, then serve. Shutdown runs it backwards, so the last segment is
 * closed and indexed before the database closes.
 */
import { randomBytes } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { maskCredentials, maskCredentialsOrNull } from '../../shared/credentials.js';
import type { CameraEntry, CameraSettings, ExportFileRole, LastMove, MoveCopying, SettingsInfo, StationIdentitySettings, StatusResponse } from '../../shared/api.js';
import { openDatabase, type Db } from './catalog/database.js';
import { BackupSchedule } from './catalog/backup-schedule.js';
import { Gaps } from './catalog/gaps.js';
import { DB_FILE, earlierLife, refuseNewDatabase } from './catalog/lost-database.js';
import { reconcile, type ReconcileReport } from './catalog/reconcile.js';
import { Runs } from './catalog/runs.js';
import { SegmentIndexer } from './catalog/segment-indexer.js';
import { Segments } from './catalog/segments.js';
import { toIso, toIsoOrNull } from './catalog/time.js';
import { prepareDataDir } from './data-dir.js';
import { locateFfmpeg, versionText, type FfmpegInfo } from './ffmpeg/locate.js';
import { DEFAULT_PORT, MAX_CAMERAS, OVERLAY_SWITCH_LEAD_MS } from './limits.js';
import { log } from './log.js';
import { appRoot, overlayFont } from './resources.js';
import { autoCameraSpec, listCameraSpecs } from './recorder/camera-discovery.js';
import { parseCameraSpec, type CameraSource } from './recorder/camera-spec.js';
import { CameraWatchdog } from './recorder/camera-watchdog.js';
import { stableCameraIds } from './recorder/camera-ids.js';
import { cameraChanges } from './recorder/camera-plan.js';
import { overlayFontSize, type EncoderPresetName } from './recorder/ffmpeg-command.js';
import { chooseRecordingEncoder } from './recorder/recording-encoder.js';
// Hardware encoder setting
import { cachedEncoderTests } from './recorder/encoder-tests.js';
import { DEFAULT_HARDWARE_ENCODER_SETTING, HARDWARE_ENCODER_SETTING_KEY, parseHardwareEncoderSetting } from './recorder/hardware-encoders.js';
import { writeOverlay, writeOverlaySync, type OverlayContent } from './recorder/overlay.js';
import { OverlayTimeline } from './recorder/overlay-timeline.js';
import { MotionMeter } from './recorder/motion.js';
import { PreviewTap } from './recorder/preview-tap.js';
import { createHttpServer } from './server/http-server.js';
import { securityConfig, viewerPasswordFrom, type SecurityConfig } from './server/security-config.js';
import type { ViewerPassword } from './server/viewer-password.js';
import { SettingsError, StationSettings } from './settings/station-settings.js';
import { msg } from './localized-error.js';
import { testCamera } from './recorder/camera-test.js';
import { acquireLock } from './station-lock.js';
import { ClipWriter } from './clips/clip-writer.js';
import { mergeSearchIndex } from './clips/clip-search.js';
import { OrdersRepo } from './orders/orders-repo.js';
import { PackersRepo } from './packers/packers-repo.js';
import { ClipsRepo } from './clips/clips-repo.js';
import { ClipCamerasRepo } from './clips/clip-cameras.js';
import { shownCodes } from './scans/clip-state-machine.js';
import { ScanService } from './scans/scan-service.js';
import { ExportJobs } from './export/export-jobs.js';
import { loadPresets } from './export/presets.js';
import { SegmentChain } from './evidence/segment-chain.js';
import { ChainReserve } from './evidence/chain-reserve.js';
import { groupedFingerprint, loadOrCreateStationKeys, shortFingerprint, type StationKeys } from './evidence/station-keys.js';
import { SettingsStore } from './scans/settings-store.js';
// Health page
import { FootageMeter } from './health/footage-meter.js';
import { diskForecast, healthReport } from './health/health-report.js';
import { reportedDaysLeft } from './health/forecast.js';
import { RecurringProblem } from './health/recurring-problem.js';
// Faults: damaged segment files.
import { SegmentFaults } from './catalog/segment-faults.js';
import { SegmentScrubber } from './catalog/segment-scrub.js';
// Faults: wall-clock jumps.
import { watchClock } from './clock-watch.js';
// ---- Storage: retention and disk full ----
import { DISK_RESERVE_BYTES, diskFloorBytes, diskResumeBytes, RETENTION_INTERVAL_MS, retentionHeadroomBytes, COMPACTION_INTERVAL_MS } from './limits.js';
import { DiskReserve } from './storage/disk-reserve.js';
import { Retention } from './storage/retention.js';
import { compactIndex } from './storage/compaction.js';
import { loadRetentionSettings } from './storage/retention-settings.js';
import { expireExports } from './storage/export-janitor.js';
import { ClaimIntake } from './claims/claim-intake.js';
import { closeMetadataReader } from './claims/metadata-reader.js';
// ---- Warehouse hub ----
import { HubLink, joinedToHub } from './hub/hub-link.js';
import { HUB_UPLOAD_SETTING_KEY, HubUploader } from './hub/hub-uploader.js';
import { HubUploadSettings } from '../../shared/api.js';

export interface StationOptions {
  dataDir: string;
  /**
   * A camera spec, or 'auto' for the first camera found (demo when there is none). Given (CLI
   * --camera), it wins over the saved camera setting at this start; not given, the saved one is used.
   */
  camera?: string;
  /**
   * The cameras beside the main one (CLI --camera given more than once; MAX_CAMERAS in all), in
   * order. Each records as its own run (own ffmpeg, segments, watchdog, gaps), with the size, rate and
   * quality saved for the same spec, else the saved main camera's.
   */
  extraCameras?: string[];
  port?: number;
  /** Given (CLI --host), it wins over the saved LAN viewing setting; not given: 0.0.0.0 when LAN viewing is on, else 127.0.0.1. */
  host?: string;
  /** API token; a random one when not given. */
  token?: string;
  /**
   * The viewer password (LAN mode: required when `host` is not a loopback address). Hashed at once;
   * the plain text is not kept.
   */
  viewerPassword?: string;
  /** Extra names the Host header may carry (`NAME` or `NAME:PORT`), e.g. the office's DNS name for this PC. */
  allowedHosts?: string[];
  /** Web origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins?: string[];
  /** Given (CLI --station), it wins over the saved station name at this start. */
  station?: string;
  ffmpegPath?: string;
  /** Given, it wins over the saved recording quality. */
  encoder?: EncoderPresetName;
  /** Folder of the built UI; defaults to dist/renderer in the app. */
  uiDir?: string;
  // ---- Storage folder move: see station-host.ts ----
  /**
   * Called (after the 202 went out) when the settings ask to move the data folder to `to`, already
   * checked. The host stops this station, moves, and starts a new one. Absent: the route refuses.
   */
  onMoveRequested?: (to: string, requestedAt: string) => void;
  /** The last move's outcome (kept by the host across restarts) and a move's copy in progress, shown in GET /api/settings/info. */
  moveState?: () => { lastMove: LastMove | null; copying: MoveCopying | null; busy: boolean };
  /** The CLI's viewer password as the previous Station hashed it, so a restart needs no plain text. */
  viewerPasswordHashed?: ViewerPassword;
  // ---- Warehouse hub ----
  /** --hub URL --hub-token TOKEN: join this hub at start (skipped when already joined to it). */
  hub?: { url: string; pairingToken: string };
}

/** After a clip's end, long enough for its last frame to be stamped and drawn before the run stops. */
const FRAME_SLACK_MS = 150;
/** At shutdown, wait this long for queued clip MP4s; the rest are cut at the next start. */
const SHUTDOWN_CLIP_WAIT_MS = 8_000;
/** How often a bounded merge step runs on the search index. */
const SEARCH_MERGE_INTERVAL_MS = 5 * 60_000;

/** A camera beside the main one: its own run, live preview and overlay file; the codes schedule is shared. */
interface OtherCamera {
  /** Its settings (spec as saved or given on the command line, unresolved; name; size, rate, quality; id). */
  entry: CameraEntry;
  source: CameraSource;
  overlayFile: string;
  watchdog: CameraWatchdog;
}

/** A camera of a list being applied: its settings and its source resolved, the id assigned. */
interface ResolvedCamera {
  entry: CameraEntry;
  source: CameraSource;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export class StationStoppedError extends Error {
  override name = 'StationStoppedError';
}

export class Station {
  readonly token: string;
  /** Also where a bad LAN set-up (no viewer password, a malformed host or origin) is refused, before anything records. */
  private security!: SecurityConfig;
  /** The CLI's viewer password, hashed at once (the plain text is not kept). */
  private readonly cliViewerPassword: ViewerPassword | undefined;
  /** Storage folder move: handed to the Station started after a move (station-host.ts). */
  get viewerPasswordHashed(): ViewerPassword | undefined {
    return this.cliViewerPassword;
  }
  stationName: string;
  operatorName = '';
  private settings!: StationSettings;
  /** Camera changes one at a time: each waits for the previous restart. */
  private cameraChange: Promise<void> = Promise.resolve();
  /** The main camera's settings as it records (the CLI's --camera included): an encoder change restarts with these. */
  private mainEntry!: CameraEntry;
  dataDir!: string;
  url = '';
  ffmpeg!: FfmpegInfo;
  source!: CameraSource;
  reconcileReport: ReconcileReport | null = null;
  /** The signing key for evidence (chain entries, export manifests). */
  keys!: StationKeys;
  private db: Db | null = null;
  private segments!: Segments;
  private runs!: Runs;
  private indexer!: SegmentIndexer;
  private gaps!: Gaps;
  private watchdog: CameraWatchdog | null = null;
  /** The other cameras, in the order given; each keeps recording whatever the main camera does. */
  private others: OtherCamera[] = [];
  private clips!: ClipsRepo;
  private clipCameras!: ClipCamerasRepo;
  private writer: ClipWriter | null = null;
  scans: ScanService | null = null;
  private server: FastifyInstance | null = null;
  private exports: ExportJobs | null = null;
  private releaseLock: (() => void) | null = null;
  /** Each camera's live preview by camera id, made at its first viewer (previewOf). */
  private readonly previewTaps = new Map<string, PreviewTap>();
  /** How much the bench moves, from every run's motion pictures: the idle stop reads it. */
  private readonly motion = new MotionMeter();
  private overlayFile = '';
  /** The burned-in codes line's schedule: every run starts from it (see overlay-timeline.ts). */
  private readonly overlay = new OverlayTimeline();
  private firstSegment: Promise<void> = new Promise(() => undefined);
  // Faults: segment files re-checked in the background and before cuts/exports.
  private segmentFaults: SegmentFaults | null = null;
  private scrubber: SegmentScrubber | null = null;
  private stopClockWatch: (() => void) | null = null;
  /** Warehouse hub: null until the database is open. */
  hubLink: HubLink | null = null;
  private hubUploader: HubUploader | null = null;

  private readonly opts: Omit<StationOptions, 'viewerPassword'>;

  constructor(opts: StationOptions) {
    const { viewerPassword, ...rest } = opts;
    this.opts = rest;
    this.token = opts.token ?? randomBytes(24).toString('base64url');
    this.stationName = opts.station ?? 'Station 1';
    this.cliViewerPassword = viewerPassword ? viewerPasswordFrom(viewerPassword) : opts.viewerPasswordHashed;
    // A bad --host, --allowed-host or --cors-origin fails here already; the saved LAN setting is checked at start.
    if (opts.host !== undefined) this.security = this.securityFor(opts.host, undefined);
  }

  private securityFor(host: string, saved: ViewerPassword | undefined): SecurityConfig {
    return securityConfig({
      host,
      token: this.token,
      viewerPasswordHash: this.cliViewerPassword ?? saved,
      allowedHosts: this.opts.allowedHosts,
      corsOrigins: this.opts.corsOrigins,
    });
  }

  /** Resolves once the API answers and ffmpeg has been started; see whenRecording(). */
  async start(): Promise<void> {
    this.startedAtMs = Date.now();
    this.dataDir = prepareDataDir(this.opts.dataDir);
    this.releaseLock = acquireLock(this.dataDir);
    this.starting = this.startInner();
    try {
      await this.starting;
    } catch (err) {
      // Stopped while starting: stop() tears down once this has settled. Any other failure: undo here.
      if (!this.stopping) await this.teardown().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Between the awaits of start-up: a stop() (a Ctrl-C, a logout) that came meanwhile ends start-up
   * here, so nothing is started after stop() has run (an ffmpeg and a server nobody would close).
   */
  private notStopping(): void {
    if (this.stopping) throw new StationStoppedError('The station was stopped while it was starting.');
  }

  private async startInner(): Promise<void> {
    this.ffmpeg = await locateFfmpeg(this.opts.ffmpegPath);
    this.notStopping();
    // Lost database: a missing or empty index beside an earlier station's files is refused
    // (proofs taken before this start creates anything, the key included); `packwitness recover` rebuilds it.
    const proofs = earlierLife(this.dataDir);
    // The key before anything is indexed: every segment is chained and signed as it is indexed.
    this.keys = loadOrCreateStationKeys(this.dataDir);
    this.db = openDatabase(join(this.dataDir, DB_FILE), { whenNew: refuseNewDatabase(this.dataDir, proofs) });
    const settings = new SettingsStore(this.db);
    this.settings = new StationSettings(settings);
    // Saved settings, unless the CLI said otherwise for this start.
    const identity = this.settings.identity();
    this.stationName = this.opts.station ?? identity.stationName;
    this.operatorName = identity.operatorName;
    const lan = this.settings.lan();
    this.security ??= this.securityFor(lan.enabled ? '0.0.0.0' : '127.0.0.1', lan.enabled ? (this.settings.lanPassword() ?? undefined) : undefined);
    const saved = this.settings.cameras().cameras;
    const list = this.opts.camera === undefined ? saved : this.cliCameras(saved);
    if (list.length > MAX_CAMERAS) throw new Error(`At most ${MAX_CAMERAS} cameras per station; ${list.length} were given.`);
    const resolved = await this.resolveCameras(list, this.knownCameraIds(), false);
    this.notStopping();
    this.source = resolved[0]!.source;
    this.mainEntry = resolved[0]!.entry;
    log.info('station starting', { dataDir: this.dataDir, camera: this.source.display, ffmpeg: this.ffmpeg.versionLine });
    // Which ffmpeg records and why (bundled, the PATH's, or configured: ffmpeg/locate.ts).
    log.info(`using ffmpeg ${versionText(this.ffmpeg)} (${this.ffmpeg.source}): ${this.ffmpeg.reason}`, { path: this.ffmpeg.path, source: this.ffmpeg.source });
    await this.refreshDisk();
    // A failure is a problem on the health page (once per distinct failure), never swallowed.
    this.diskTimer = setInterval(
      () =>
        void this.refreshDisk().then(
          () => this.diskCheckProblem.succeeded(),
          (err: unknown) => this.diskCheckProblem.failed(err),
        ),
      5_000,
    );
    const runs = new Runs(this.db);
    const chain = new SegmentChain(this.db, this.keys, new ChainReserve(this.dataDir));
    chain.catchUp();
    this.segments = new Segments(this.db, chain);
    this.gaps = new Gaps(this.db);
    const indexer = new SegmentIndexer(this.dataDir, this.ffmpeg.path, this.segments);
    this.reconcileReport = await reconcile(this.dataDir, { runs, segments: this.segments, gaps: this.gaps, indexer });
    this.notStopping();

    mkdirSync(join(this.dataDir, 'overlay'), { recursive: true });
    this.overlayFile = join(this.dataDir, 'overlay', `${this.source.id}.txt`);
    writeOverlaySync(this.overlayFile, this.overlayContent());
    const otherCams = resolved.slice(1).map(({ entry, source }) => {
      const overlayFile = join(this.dataDir, 'overlay', `${source.id}.txt`);
      writeOverlaySync(overlayFile, this.overlayContent());
      return { entry, source, overlayFile };
    });

    this.runs = runs;
    this.indexer = indexer;
    this.watchdog = await this.newWatchdog(this.mainEntry, { source: this.source, overlayFile: this.overlayFile }, true);
    for (const cam of otherCams) this.others.push({ ...cam, watchdog: await this.newWatchdog(cam.entry, cam, false) });
    this.notStopping();
    this.clips = new ClipsRepo(this.db);
    this.clipCameras = new ClipCamerasRepo(this.db);
    this.segmentFaults = new SegmentFaults(this.db);
    this.writer = new ClipWriter({
      dataDir: this.dataDir,
      ffmpegPath: this.ffmpeg.path,
      segments: this.segments,
      clips: this.clips,
      unindexedSegments: async (camera) => (await this.watchdogOf(camera)?.unindexedSegments()) ?? null,
      faults: this.segmentFaults,
      otherCameras: () => this.others.map((o) => ({ id: o.source.id, name: this.cameraName(o.source.id) })),
      clipCameras: this.clipCameras,
    });
    // Getters: a rename in the settings, or another camera, applies to the next clip and audit entry.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- an object literal's getters have their own `this`
    const self = this;
    const packers = new PackersRepo(this.db);
    this.scans = new ScanService({
      db: this.db,
      clips: this.clips,
      segments: this.segments,
      settings,
      writer: this.writer,
      get station() {
        return self.stationName;
      },
      get camera() {
        return self.source.id;
      },
      scheduleOverlay: (atMs, codes) => this.scheduleOverlay(atMs, codes),
      timing: { leadMs: OVERLAY_SWITCH_LEAD_MS, snap: (ms) => this.watchdog?.frameBoundary(ms) ?? ms },
      // The same rule as the status's `recording` (and so the NOT RECORDING banner); between two runs of a camera change there is no watchdog.
      notRecording: () => (this.watchdog?.pausedFor === 'disk-full' ? 'disk-full' : this.watchdog?.state === 'recording' ? null : 'camera-not-recording'),
      orders: new OrdersRepo(this.db),
      packers,
      packerChanged: () => this.refreshOverlayFile(),
      stillSince: () => this.motion.stillSince(),
    });
    this.scans.init();
    // A packer still signed in from before a restart is named from the first frames on.
    this.refreshOverlayFile();
    // ---- Retention: on a timer, and at once when the disk check sees pressure. ----
    const scans = this.scans;
    this.retention = new Retention({
      db: this.db,
      dataDir: this.dataDir,
      settings: () => loadRetentionSettings(settings),
      preRollMs: () => scans.scanSettings().preRollMs,
      freeSpace: () => this.measureDisk(),
      // A clip being exported, or whose video is still to be written from its segments, keeps them.
      inUse: () => new Set([...(this.exports?.busyClipIds() ?? []), ...(this.writer?.busyClipIds() ?? [])]),
      hubCopyRequired: () => joinedToHub(settings),
    });
    this.reserve = new DiskReserve(join(this.dataDir, 'disk-reserve.bin'), DISK_RESERVE_BYTES);
    if (this.freeDiskBytes - DISK_RESERVE_BYTES >= diskResumeBytes(this.totalDiskBytes)) this.reserve.create();
    this.retentionTimer = setInterval(() => {
      this.runRetention();
      this.runExportExpiry();
    }, RETENTION_INTERVAL_MS);
    this.retentionTimer.unref();
    const db = this.db;
    this.footage = new FootageMeter(this.dataDir);
    // Presets are read per job, so an edit in settings applies to the next export.
    this.exports = new ExportJobs(() => ({ db, dataDir: this.dataDir, ffmpegPath: this.ffmpeg.path, clips: this.clips, keys: this.keys, presets: loadPresets(settings), cameraName: (id) => this.cameraName(id), waitForCameras: true }));
    // A bounded merge step now and then keeps the search index in few segments as codes accumulate.
    this.maintenanceTimer = setInterval(() => {
      if (this.db) mergeSearchIndex(this.db);
    }, SEARCH_MERGE_INTERVAL_MS);
    this.maintenanceTimer.unref();

    // Bind the port before recording: a port in use fails fast, before ffmpeg is even started.
    this.server = await createHttpServer({
      security: this.security,
      uiDir: this.opts.uiDir ?? join(appRoot(), 'dist', 'renderer'),
      status: () => this.status(),
      segments: (from, to) => ({ segments: this.segments.between(from, to) }),
      gaps: () => ({ gaps: this.gaps.all() }),
      previews: (camera) => this.previewOf(camera),
      scanRoutes: {
        dataDir: this.dataDir,
        scans: this.scans,
        clips: this.clips,
        db: this.db,
        get station() {
          return self.stationName;
        },
        measureFps: (id) => this.writer?.measureFps(id) ?? Promise.resolve(null),
        clipCameras: this.clipCameras,
        cameraName: (id) => this.cameraName(id),
      },
      exportRoutes: {
        dataDir: this.dataDir,
        get station() {
          return self.stationName;
        },
        clips: this.clips,
        jobs: this.exports,
        settings,
      },
      settingsRoutes: {
        settings: this.settings,
        scans: this.scans,
        info: () => this.settingsInfo(),
        applyIdentity: (v) => this.applyIdentity(v),
        saveCameras: (list) => this.saveCameras(list),
        listCameras: async () => ({
          cameras: [...(await listCameraSpecs(this.ffmpeg.path).catch(() => [])), 'demo'].map((spec) => ({ spec, label: spec })),
        }),
        testCamera: (spec) => testCamera(this.ffmpeg.path, spec, this.ffmpeg.major),
      },
      packerRoutes: {
        packers,
        isBadge: (code) => {
          const c = this.scans!.classify(code);
          return c.kind === 'packer' && !c.logout;
        },
        // A rename of the packer signed in shows on the next frame, as a station rename does.
        changed: (code) => {
          if (this.scans?.packer === code) this.refreshOverlayFile();
        },
      },
      hubRoutes: { link: () => this.hubLink, settings, kick: () => this.hubUploader?.kick() },
      healthReport: async () => ({
        ...(await healthReport({ db, dataDir: this.dataDir, settings, footage: this.footage, startedAtMs: this.startedAtMs, ffmpegVersion: this.ffmpeg.versionLine })),
        hub: this.hubLink?.status(),
      }),
      storageRoutes: {
        settings,
        changed: () => {
          this.runRetention();
          this.runExportExpiry();
        },
        // Storage folder move
        move: { dataDir: () => this.dataDir, request: this.opts.onMoveRequested ?? null, busy: () => this.opts.moveState?.().busy ?? false },
      },
      // ---- Hardware encoder setting: stored, then applied as a camera change with the camera in use.
      encoderRoutes: {
        current: async () => ({
          hardwareEncoder: settings.get(HARDWARE_ENCODER_SETTING_KEY, DEFAULT_HARDWARE_ENCODER_SETTING, parseHardwareEncoderSetting),
          inUse: this.watchdog?.encoderCodec ?? null,
          tests: await cachedEncoderTests(this.dataDir, this.ffmpeg),
        }),
        apply: async (v) => {
          settings.set(HARDWARE_ENCODER_SETTING_KEY, v);
          await this.applyCameras(this.camerasInUse(), 'encoder setting changed', true);
        },
      },
      // Claim check: the buyer's photos on a clip.
      claimRoutes: {
        dataDir: this.dataDir,
        get station() {
          return self.stationName;
        },
        intake: new ClaimIntake({ db: this.db, dataDir: this.dataDir, clips: this.clips, ffmpegPath: this.ffmpeg.path }),
        clips: this.clips,
      },
    });
    const host = this.security.host;
    try {
      await this.server.listen({ port: this.opts.port ?? DEFAULT_PORT, host });
    } catch (err) {
      this.server = null;
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError(`Port ${this.opts.port ?? DEFAULT_PORT} on ${host} is already in use. Stop the other program or choose another port with --port N (0 picks a free one).`);
      }
      throw err;
    }
    const addr = this.server.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/?token=${encodeURIComponent(this.token)}`;
    if (this.security.lan) log.info('shared on the network: viewers open this address and log in with the viewer password', { host, port });

    this.firstSegment = new Promise<void>((resolve) => this.watchdog!.once('segment', () => resolve()));
    this.notStopping();
    await this.watchdog.start();
    for (const o of this.others) await o.watchdog.start();
    this.scrubber = new SegmentScrubber(this.db, this.dataDir, this.segmentFaults);
    this.scrubber.start();
    this.stopClockWatch = watchClock((jump) => {
      const reason = `the wall clock jumped ${jump.byMs > 0 ? 'forward' : 'back'} by ${(Math.abs(jump.byMs) / 1000).toFixed(1)} s`;
      log.warn('the wall clock jumped; restarting the recording on the new clock', { ...jump, wallBefore: toIso(jump.wallBefore), wallAfter: toIso(jump.wallAfter) });
      this.watchdog?.restartRun(reason);
      for (const o of this.others) o.watchdog.restartRun(reason);
    });
    this.runRetention();
    this.runExportExpiry();
    // Warehouse hub: in the background; recording never waits on the hub.
    this.hubLink = new HubLink({
      settings,
      keys: this.keys,
      stationName: () => this.stationName,
      // The health page's own forecast, so the hub's stations page and the bench agree.
      report: async () => ({
        recording: this.watchdog?.state === 'recording',
        backlog: this.hubUploader?.backlog() ?? 0,
        freeDiskBytes: this.freeDiskBytes,
        diskDaysLeft: await diskForecast(db, this.dataDir, settings).then(
          (d) => reportedDaysLeft(d.forecast),
          () => null, // a closing database or a vanished disk: the heartbeat still goes, without the forecast
        ),
      }),
      backlog: () => this.hubUploader?.backlog() ?? 0,
    });
    this.hubUploader = new HubUploader({
      db: this.db,
      dataDir: this.dataDir,
      link: this.hubLink,
      clips: this.clips,
      exportDeps: () => ({ db, dataDir: this.dataDir, ffmpegPath: this.ffmpeg.path, clips: this.clips, keys: this.keys, presets: loadPresets(settings), cameraName: (id) => this.cameraName(id) }),
      maxMbps: () => settings.get(HUB_UPLOAD_SETTING_KEY, { maxMbps: null }, (v) => HubUploadSettings.parse(v)).maxMbps,
      clipCameras: this.clipCameras,
      cameraName: (id) => this.cameraName(id),
    });
    this.hubLink.start(this.opts.hub);
    this.hubUploader.start();
    void this.firstSegment.then(() => this.hubLink?.nudge());
    // Lost database: rolling online backups, what `packwitness recover` restores from.
    this.backups = new BackupSchedule(this.db, this.dataDir);
    this.backups.start();
  }

  /** Absolute path of a finished export's file (for the desktop shell's drag-out and save dialog). */
  exportFilePath(jobId: string, role: ExportFileRole): string | null {
    const rel = this.exports?.file(jobId, role);
    return rel ? join(this.dataDir, ...rel.split('/')) : null;
  }

  // ---- Desktop app: the shell's settings (start on login, full screen) live with the station's.
  readSetting<T>(key: string, fallback: T, validate: (v: unknown) => T): T {
    return this.db ? new SettingsStore(this.db).get(key, fallback, validate) : fallback;
  }

  writeSetting(key: string, value: unknown): void {
    if (!this.db) throw new Error('the station is not running');
    new SettingsStore(this.db).set(key, value);
  }
  // ---- end desktop app

  /** Resolves when the camera has closed its first segment (the station is really recording). */
  whenRecording(): Promise<void> {
    return this.firstSegment;
  }

  /** The codes shown in the burned-in overlay (the active clip's order and waybill) from the frame time `atMs` on. */
  private scheduleOverlay(atMs: number, codes: readonly string[]): void {
    const at = this.overlay.schedule(atMs, codes);
    this.watchdog?.overlaySwitch({ atMs: at, codes });
    for (const o of this.others) o.watchdog.overlaySwitch({ atMs: at, codes });
  }

  /** The watchdog recording `camera` (the main one or another), if it runs. */
  private watchdogOf(camera: string): CameraWatchdog | null {
    if (this.watchdog?.cameraId === camera) return this.watchdog;
    return this.others.find((o) => o.source.id === camera)?.watchdog ?? null;
  }

  /**
   * A camera's live preview: the main camera's without an id, any camera recording now by its id; null:
   * no such camera. One tap per camera id, made at the first viewer; it reads whatever run records that
   * camera now, so it follows a restart, and the main camera's follows a new main camera.
   */
  private previewOf(camera: string | undefined): PreviewTap | null {
    const id = camera ?? this.source.id;
    if (!this.watchdogOf(id)) return null;
    let tap = this.previewTaps.get(id);
    if (!tap) {
      tap = new PreviewTap(this.ffmpeg.path, id, () => this.watchdogOf(id)?.currentRunDir() ?? null);
      this.previewTaps.set(id, tap);
    }
    return tap;
  }

  /**
   * What the clip page calls a camera: the name given in the settings, else its spec with any password
   * removed; a camera no longer recording by its saved name, else its id.
   */
  private cameraName(camera: string): string {
    const running = [{ entry: this.mainEntry, source: this.source }, ...this.others].find((c) => c.source.id === camera);
    if (running) return running.entry.name || maskCredentials(running.source.display);
    return this.settings.cameras().cameras.find((c) => c.id === camera)?.name || camera;
  }

  private overlayContent(): OverlayContent {
    const code = this.scans?.packer ?? null;
    return { station: this.stationName, operator: this.operatorName, packer: code === null ? null : { code, name: this.scans?.packerName ?? code } };
  }

  /** The station line again (a packer signed in or out, or was renamed): drawtext reads it on the next frame. */
  private refreshOverlayFile(): void {
    for (const file of [this.overlayFile, ...this.others.map((o) => o.overlayFile)]) {
      writeOverlay(file, this.overlayContent()).catch((err: unknown) => log.warn('the overlay file could not be written', { error: String(err) }));
    }
  }

  // ---- Settings: applying a saved section ----

  /** A spec ('auto' resolved) with the settings' size and rate; throws CameraSpecError for a spec that cannot be opened. */
  private async resolveCamera(spec: string, c: CameraSettings) {
    const resolved = spec === 'auto' ? await autoCameraSpec(this.ffmpeg.path) : spec;
    const [w, h] = c.resolution === 'auto' ? [] : c.resolution.split('x').map(Number);
    return parseCameraSpec(resolved, {
      ffmpegMajor: this.ffmpeg.major,
      fps: c.fps ?? undefined,
      fpsFromSettings: c.fps !== null,
      size: w && h ? { width: w, height: h } : undefined,
    });
  }

  /** A camera's watchdog; the main camera's feeds the idle stop's motion pictures. */
  private async newWatchdog(c: CameraSettings, cam: Pick<OtherCamera, 'source' | 'overlayFile'>, main: boolean): Promise<CameraWatchdog> {
    const source = cam.source;
    // ---- Hardware encoding: the setting, the cached encoder tests, libx264 as the fallback.
    const recordingEncoder = await chooseRecordingEncoder({ dataDir: this.dataDir, ffmpeg: this.ffmpeg, settings: new SettingsStore(this.db!), quality: this.opts.encoder ?? c.quality });
    const watchdog = new CameraWatchdog({
      dataDir: this.dataDir,
      ffmpegPath: this.ffmpeg.path,
      source,
      encoder: recordingEncoder.preset,
      fallbackEncoder: recordingEncoder.fallback,
      onEncoderFallback: recordingEncoder.onFallback,
      overlayFile: cam.overlayFile,
      overlay: this.overlay,
      fontFile: overlayFont(),
      fontSize: overlayFontSize(source.height),
      runs: this.runs,
      segments: this.segments,
      gaps: this.gaps,
      indexer: this.indexer,
      // The idle stop watches the bench through the main camera only.
      motion: main ? this.motion : undefined,
      roomToWrite: (full) => this.roomToWrite(full),
    });
    // Here, not at start: a camera change makes a new watchdog, which must pause on a full disk too.
    watchdog.on('diskFull', (why) => {
      log.error('the disk is full (ENOSPC); recording pauses', { error: why });
      void this.pauseForDiskFull();
    });
    return watchdog;
  }

  /** Station and operator name: the overlay's next frame and the next clip show them. */
  async applyIdentity(v: StationIdentitySettings): Promise<void> {
    this.stationName = v.stationName;
    this.operatorName = v.operatorName;
    for (const file of [this.overlayFile, ...this.others.map((o) => o.overlayFile)]) await writeOverlay(file, this.overlayContent());
  }

  /**
   * A camera list saved in the settings: checked (each spec resolved, ids assigned) before anything is
   * stored, then stored and applied. Resolves with the list as stored (ids set) once every camera
   * that starts has been launched.
   */
  saveCameras(list: readonly CameraEntry[]): Promise<CameraEntry[]> {
    return this.applyCameras(list, 'camera settings changed', false, (entries) => this.settings.storeCameras({ cameras: entries }));
  }

  /** The cameras recording now, the main one first, as settings entries (the CLI's included). */
  private camerasInUse(): CameraEntry[] {
    return [this.mainEntry, ...this.others.map((o) => o.entry)];
  }

  /**
   * A new camera list: ffmpeg takes its input and encoder once, so each camera whose run would start
   * differently (source, size, rate, quality, or its role as the main camera) stops cleanly (its last
   * segment indexed) and starts again, the seconds between recorded as its own gap; the others record
   * on untouched. An added camera starts, a removed one stops (its footage and clips stay under its
   * id). A new main camera ends the clip being recorded (clips are cut along the main camera's frames).
   * Changes run one at a time; `store` runs once the list is known to be good, before any camera stops.
   */
  private applyCameras(list: readonly CameraEntry[], why: string, restartAll = false, store?: (entries: CameraEntry[]) => void): Promise<CameraEntry[]> {
    const next = this.cameraChange.then(async () => {
      const resolved = await this.resolveCameras(list, this.knownCameraIds(), true);
      const entries = resolved.map((r) => r.entry);
      store?.(entries);
      if (this.stopping || !this.watchdog) return entries;
      const now = [{ entry: this.mainEntry, source: this.source, overlayFile: this.overlayFile, watchdog: this.watchdog }, ...this.others];
      const runOf = (c: ResolvedCamera, main: boolean) => JSON.stringify([c.source.input, c.source.inputOptions, c.source.fps, c.entry.quality, main]);
      const plan = cameraChanges(
        now.map((c, i) => ({ id: c.source.id, run: runOf(c, i === 0) })),
        resolved.map((c, i) => ({ id: c.source.id, run: runOf(c, i === 0) })),
        restartAll,
      );
      const newMain = resolved[0]!;
      if (newMain.source.id !== this.source.id) {
        // The clip ends the overlay's lead from now: the old camera records up to that end (and the
        // codes clear on its frame), so the clip's last frames exist and none carries a stale code.
        const endMs = this.scans?.closeActive('camera changed') ?? null;
        if (endMs !== null) await sleep(Math.max(0, endMs + FRAME_SLACK_MS - Date.now()));
      }
      const stopped = new Set<string>();
      const out: OtherCamera[] = [];
      // Stopped half-way (the station is shutting down): whatever still runs is left where teardown stops it.
      const settle = () => {
        const rest = now.filter((c) => !stopped.has(c.source.id) && !out.some((o) => o.source.id === c.source.id));
        this.others = [...out, ...rest].filter((c) => c.watchdog !== this.watchdog);
        return entries;
      };
      const stop = async (c: OtherCamera, gap: boolean) => {
        if (c.watchdog === this.watchdog) this.watchdog = null;
        await c.watchdog.stop();
        stopped.add(c.source.id);
        if (gap && !this.stopping) this.gaps.open(c.source.id, this.segments.lastEndMs(c.source.id) ?? Date.now(), why);
      };
      for (const id of plan.stop) {
        await stop(now.find((c) => c.source.id === id)!, false);
        log.info('camera removed from the settings; it stops', { camera: id });
      }
      // The main camera alone feeds the idle stop's motion: the old one stops before the new one starts.
      if (plan.restart.includes(now[0]!.source.id)) await stop(now[0]!, true);
      for (const [i, r] of resolved.entries()) {
        if (this.stopping) return settle();
        const old = now.find((c) => c.source.id === r.source.id);
        if (old && plan.keep.includes(r.source.id)) {
          out.push({ ...old, entry: r.entry });
          continue;
        }
        if (old && !stopped.has(old.source.id)) await stop(old, true);
        if (this.stopping) return settle();
        const cam = { entry: r.entry, source: r.source, overlayFile: join(this.dataDir, 'overlay', `${r.source.id}.txt`) };
        writeOverlaySync(cam.overlayFile, this.overlayContent());
        const watchdog = await this.newWatchdog(r.entry, cam, i === 0);
        out.push({ ...cam, watchdog });
        if (i === 0) {
          this.source = r.source;
          this.mainEntry = r.entry;
          this.overlayFile = cam.overlayFile;
          this.watchdog = watchdog;
        }
        log.info(old ? 'camera settings applied; its recording restarts' : 'camera added in the settings; it starts', { camera: maskCredentials(r.source.display), id: r.source.id });
        await watchdog.start();
      }
      const main = out[0]!;
      this.source = main.source;
      this.mainEntry = main.entry;
      this.overlayFile = main.overlayFile;
      this.watchdog = main.watchdog;
      this.others = out.slice(1);
      return entries;
    });
    this.cameraChange = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** The CLI's cameras as settings entries: each with the saved settings of the same spec, else the saved main camera's size, rate and quality. */
  private cliCameras(saved: readonly CameraEntry[]): CameraEntry[] {
    return [this.opts.camera!, ...(this.opts.extraCameras ?? [])].map((spec) => {
      const same = saved.find((c) => c.spec === spec);
      const like = same ?? saved[0]!;
      return { spec, name: same?.name ?? '', resolution: like.resolution, fps: like.fps, quality: like.quality };
    });
  }

  /** spec → id of the cameras saved with one and of those recording now (which win): ids that must not move. */
  private knownCameraIds(): Map<string, string> {
    const known = new Map<string, string>();
    for (const c of this.settings.cameras().cameras) if (c.id) known.set(c.spec, c.id);
    if (this.watchdog || this.others.length) for (const c of [{ entry: this.mainEntry, source: this.source }, ...this.others]) known.set(c.entry.spec, c.source.id);
    return known;
  }

  /**
   * Each entry's source with its own size and rate, and its id (stableCameraIds). `refuseSame`: two
   * entries that turn out to be one device ('auto' finding a camera listed as well) are refused in one
   * sentence, since the second ffmpeg could not open it.
   */
  private async resolveCameras(list: readonly CameraEntry[], known: ReadonlyMap<string, string>, refuseSame: boolean): Promise<ResolvedCamera[]> {
    const specs = await Promise.all(list.map((c) => (c.spec === 'auto' ? autoCameraSpec(this.ffmpeg.path) : Promise.resolve(c.spec))));
    if (refuseSame) {
      const twice = specs.find((s, i) => specs.indexOf(s) !== i);
      if (twice !== undefined) {
        const shown = maskCredentials(twice);
        throw new SettingsError(msg('station.wouldRecordTwiceAuto', { shown }));
      }
    }
    const sources = await Promise.all(list.map((c, i) => this.resolveCamera(specs[i]!, c)));
    const ids = stableCameraIds(
      list.map((c, i) => ({ spec: c.spec, base: sources[i]!.id })),
      known,
    );
    return list.map((c, i) => ({ entry: { ...c, id: ids[i]! }, source: { ...sources[i]!, id: ids[i]! } }));
  }

  settingsInfo(): SettingsInfo {
    const move = this.opts.moveState?.();
    return {
      dataDir: this.dataDir,
      cameraInUse: this.source.display,
      lanActive: this.security.lan,
      cli: { camera: this.opts.camera === undefined ? null : maskCredentials(this.opts.camera), host: this.opts.host ?? null, station: this.opts.station ?? null },
      lastMove: move?.lastMove ?? null,
      move: move?.copying ?? null,
    };
  }

  status(): StatusResponse {
    // Between two runs of a camera change there is no watchdog: the status says restarting.
    const watched = this.watchdog?.status() ?? { id: this.source.id, spec: this.source.display, state: 'restarting' as const, pid: null, restarts: 0, lastError: null, lastGap: this.gaps.last(this.source.id) };
    // lastError is often ffmpeg's own line, which quotes the camera URL: LAN viewers read the status.
    const camera = { ...watched, name: this.mainEntry.name, lastError: maskCredentialsOrNull(watched.lastError) };
    const active = this.scans?.activeClip() ?? null;
    const others = this.others.map((o) => {
      const st = o.watchdog.status();
      return { ...st, name: o.entry.name, lastError: maskCredentialsOrNull(st.lastError) };
    });
    return {
      station: this.stationName,
      recording: camera.state === 'recording',
      camera,
      cameras: [camera, ...others],
      lastSegmentEndedAt: toIsoOrNull(this.segments.lastEndMs(this.source.id)),
      segmentCount: this.segments.count(),
      gapCount: this.gaps.count(),
      freeDiskBytes: this.freeDiskBytes,
      now: toIso(Date.now()),
      mode: this.scans?.mode ?? 'pack',
      activeClipId: active?.id ?? null,
      activeCodes: active ? shownCodes(active.codeDetails) : [],
      activeSince: active?.startedAt ?? null,
      activeMode: active?.mode ?? null,
      activeOrder: active?.order ?? null,
      packer: this.scans?.packer ?? null,
      packerName: this.scans?.packerName ?? null,
      lastScanId: this.clips.lastScanId(),
      stationKey: {
        fingerprint: this.keys.fingerprint,
        fingerprintGrouped: groupedFingerprint(this.keys.fingerprint),
        fingerprintShort: shortFingerprint(this.keys.fingerprint),
        publicKeyPem: this.keys.publicKeyPem,
      },
      notRecordingReason: this.watchdog?.pausedFor ?? null,
      hub: this.hubLink?.status(),
      storage: {
        retention: this.retention?.state ?? 'ok',
        limitBytes: this.retention ? this.retention.limitFor(this.totalDiskBytes) : 0,
        hardFloorBytes: diskFloorBytes(this.totalDiskBytes),
        resumeBytes: diskResumeBytes(this.totalDiskBytes),
        totalDiskBytes: this.totalDiskBytes,
        diskFull: this.watchdog?.pausedFor === 'disk-full',
        freedTodayBytes: this.retention?.freedTodayBytes ?? 0,
        lastRetentionAt: toIsoOrNull(this.retention?.lastRunMs ?? null),
      },
    };
  }

  // ---- Storage: retention and disk full ----
  private retention: Retention | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private totalDiskBytes = 0;
  private reserve: DiskReserve | null = null;

  /**
   * Before an index write, and when ffmpeg hit ENOSPC: on a disk under the floor (or full), free the
   * reserve now so this write succeeds, and pause recording (not awaited: the pause waits for the
   * indexing that called this).
   */
  private async roomToWrite(full: boolean): Promise<void> {
    if (!full) {
      await this.measureDisk().catch(() => undefined);
      if (this.freeDiskBytes >= diskFloorBytes(this.totalDiskBytes)) return;
    }
    this.reserve?.release();
    setImmediate(() => void this.pauseForDiskFull());
  }

  private async measureDisk(): Promise<{ freeBytes: number; totalBytes: number }> {
    const s = await statfs(this.dataDir);
    this.freeDiskBytes = Number(s.bavail) * Number(s.bsize);
    this.totalDiskBytes = Number(s.blocks) * Number(s.bsize);
    return { freeBytes: this.freeDiskBytes, totalBytes: this.totalDiskBytes };
  }

  /** Serialised inside Retention; errors are logged, never thrown into a timer. */
  private runRetention(): void {
    if (!this.retention || !this.db) return;
    void this.retention
      .run()
      .then(() => this.runCompaction())
      .catch((err: Error) => log.error('retention failed', { error: err.message }));
  }

  // ---- Index compaction: after retention, at most once per COMPACTION_INTERVAL_MS. ----
  private compaction: Promise<unknown> | null = null;
  private lastCompactionMs = 0;
  private runCompaction(): void {
    const db = this.db;
    if (!db || this.stopping || this.compaction || Date.now() - this.lastCompactionMs < COMPACTION_INTERVAL_MS) return;
    this.lastCompactionMs = Date.now();
    this.compaction = compactIndex({
      db,
      keys: this.keys,
      keepClipsDays: loadRetentionSettings(new SettingsStore(db)).keepClipsDays,
      inUse: () => new Set([...(this.exports?.busyClipIds() ?? []), ...(this.writer?.busyClipIds() ?? [])]),
      stopped: () => this.stopping,
    })
      .catch((err: Error) => log.error('index compaction failed', { error: err.message }))
      .finally(() => (this.compaction = null));
  }

  // ---- Exports expire: beside retention, on its timer and after a settings change.
  private exportExpiry: Promise<unknown> | null = null;
  /** Asked for while a run was under way (a settings change): run once more after it. */
  private exportExpiryAgain = false;
  private runExportExpiry(): void {
    const db = this.db;
    const jobs = this.exports;
    if (!db || !jobs || this.stopping) return;
    if (this.exportExpiry) {
      this.exportExpiryAgain = true;
      return;
    }
    const settings = new SettingsStore(db);
    this.exportExpiry = expireExports({
      db,
      dataDir: this.dataDir,
      keepDays: () => loadRetentionSettings(settings).keepExportsDays,
      busy: () => jobs.busyBundles(),
      deleted: (bundles) => jobs.forgetBundles(bundles),
    })
      .catch((err: Error) => log.error('expiring exports failed', { error: err.message }))
      .finally(() => {
        this.exportExpiry = null;
        if (this.exportExpiryAgain) {
          this.exportExpiryAgain = false;
          this.runExportExpiry();
        }
      });
  }

  /** Never throws: it runs from timers and events, where a rejection would end the process. */
  private async pauseForDiskFull(): Promise<void> {
    if (!this.watchdog || this.watchdog.pausedFor) return;
    // Every camera: the disk is shared, so one camera writing on would fill what the others freed.
    const all = [this.watchdog, ...this.others.map((o) => o.watchdog)];
    const results = await Promise.allSettled(all.map((w) => w.pause('disk-full')));
    for (const r of results) if (r.status === 'rejected') log.error('pausing recording on a full disk failed', { error: (r.reason as Error).message });
    this.runRetention();
  }

  /** Called after each disk measurement: the hard floor stops recording, the resume level (hysteresis) restarts it. */
  private async checkDiskLevels(): Promise<void> {
    const w = this.watchdog;
    if (!w || !this.retention) return;
    const free = this.freeDiskBytes;
    if (free < this.retention.limitFor(this.totalDiskBytes) + retentionHeadroomBytes(this.totalDiskBytes) || this.retention.state !== 'ok') this.runRetention();
    if (!w.pausedFor && free < diskFloorBytes(this.totalDiskBytes)) {
      this.reserve?.release();
      log.error('free disk space is under the hard floor; recording stops', { freeBytes: free, floorBytes: diskFloorBytes(this.totalDiskBytes) });
      await this.pauseForDiskFull();
    } else if (w.pausedFor === 'disk-full' && free >= diskResumeBytes(this.totalDiskBytes) + (this.reserve?.present() ? 0 : DISK_RESERVE_BYTES)) {
      this.reserve?.create();
      await w.resume();
      for (const o of this.others) await o.watchdog.resume();
    }
  }

  private freeDiskBytes = 0;
  /** statfs is async; the status route reads the last value, refreshed in the background. */
  private async refreshDisk(): Promise<void> {
    await this.measureDisk();
    await this.checkDiskLevels();
  }
  private diskTimer: NodeJS.Timeout | null = null;
  private readonly diskCheckProblem = new RecurringProblem('the 5-second disk check failed');
  // Health page
  private startedAtMs = 0;
  private footage!: FootageMeter;
  private maintenanceTimer: NodeJS.Timeout | null = null;

  private stopping = false;
  private backups: BackupSchedule | null = null;

  /** Idempotent; safe at any moment of start(), which it waits for (it ends at its next step). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      await this.starting?.catch(() => undefined);
      await this.teardown();
    })();
    return this.stopped;
  }

  private stopped: Promise<void> | null = null;
  private tornDown = false;
  private starting: Promise<void> | null = null;

  /** Undo start-up, whatever part of it ran. Also what a failed start() calls. */
  private async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    this.stopping = true;
    if (this.diskTimer) clearInterval(this.diskTimer);
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    // No live preview ffmpeg outlives the station (they only read the segment files).
    for (const tap of this.previewTaps.values()) tap.close();
    this.hubLink?.stop();
    await this.hubUploader?.stop();
    const retention = this.retention;
    this.retention = null;
    await retention?.idle();
    await this.compaction;
    await this.exportExpiry;
    await this.backups?.stop();
    // Stop recording first (synchronously marks the watchdog as stopping, so an ffmpeg that a Ctrl-C
    // reached first is not restarted), close the server meanwhile, then wait for the last segment.
    // The clip in progress ends now and is cut while ffmpeg still runs (its footage is in the open segment).
    // An export in progress is cancelled (its partial files removed); finished bundles stay on disk.
    this.exports?.cancelAll();
    await this.exports?.idle();
    this.scans?.closeActive('station stopped');
    this.scans?.dispose();
    await this.writer?.idle(SHUTDOWN_CLIP_WAIT_MS);
    this.stopClockWatch?.();
    await this.scrubber?.stop();
    this.scrubber = null;
    const recordingStopped = Promise.all([this.watchdog?.stop(), ...this.others.map((o) => o.watchdog.stop())]);
    await this.server?.close().catch(() => undefined);
    this.server = null;
    await closeMetadataReader().catch(() => undefined);
    await recordingStopped;
    // A camera change under way stops its old run and then sees `stopping`: nothing new starts.
    await this.cameraChange;
    await this.watchdog?.stop();
    this.watchdog = null;
    await Promise.all(this.others.map((o) => o.watchdog.stop()));
    this.db?.close();
    this.db = null;
    this.releaseLock?.();
    this.releaseLock = null;
    log.info('station stopped');
  }
}
