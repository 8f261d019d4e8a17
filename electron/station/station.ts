/**
 * The station core's composition root: it makes the parts (each in its own module) and wires them
 * together, with no Electron in sight. The CLI and the Electron shell (through station-host.ts) both
 * build one of these and call start()/stop().
 *
 * Start-up order matters: lock the data folder, open and migrate the database, reconcile what a
 * crash left behind, make the cameras (recorder/camera-set.ts) and everything that reads them, bind
 * the HTTP port (a port in use fails before any ffmpeg starts), then record. Shutdown stops recording
 * and the server together and closes the database last, so the last segment is closed and indexed
 * before the database closes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { maskCredentials } from '../../shared/credentials.js';
import type { ExportFileRole, LastMove, MoveCopying, SettingsInfo, StationIdentitySettings, StatusResponse } from '../../shared/api.js';
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
import { appRoot } from './resources.js';
import { listCameraSpecs } from './recorder/camera-discovery.js';
import { cliCameraEntries, resolveCameras } from './recorder/camera-resolve.js';
import { CameraSet, knownCameraIds } from './recorder/camera-set.js';
import type { EncoderPresetName } from './recorder/ffmpeg-command.js';
import { cachedEncoderTests } from './recorder/encoder-tests.js';
import { DEFAULT_HARDWARE_ENCODER_SETTING, HARDWARE_ENCODER_SETTING_KEY, parseHardwareEncoderSetting } from './recorder/hardware-encoders.js';
import { OverlayFiles } from './recorder/overlay-files.js';
import { MotionMeter } from './recorder/motion.js';
import { createHttpServer } from './server/http-server.js';
import { securityConfig, viewerPasswordFrom, type SecurityConfig } from './server/security-config.js';
import type { ViewerPassword } from './server/viewer-password.js';
import { StationSettings } from './settings/station-settings.js';
import { testCamera } from './recorder/camera-test.js';
import { acquireLock } from './station-lock.js';
import { ClipWriter } from './clips/clip-writer.js';
import { SearchMergeSchedule } from './clips/search-merge-schedule.js';
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
import { FootageMeter } from './health/footage-meter.js';
import { diskForecast, healthReport } from './health/health-report.js';
import { reportedDaysLeft } from './health/forecast.js';
import { SegmentFaults } from './catalog/segment-faults.js';
import { SegmentScrubber } from './catalog/segment-scrub.js';
import { watchClock } from './clock-watch.js';
import { diskFloorBytes, diskResumeBytes } from './limits.js';
import { DiskGuard } from './storage/disk-guard.js';
import { Retention } from './storage/retention.js';
import { RetentionSchedule } from './storage/retention-schedule.js';
import { loadRetentionSettings } from './storage/retention-settings.js';
import { ClaimIntake } from './claims/claim-intake.js';
import { closeMetadataReader } from './claims/metadata-reader.js';
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
  /**
   * Called (after the 202 went out) when the settings ask to move the data folder to `to`, already
   * checked. The host (station-host.ts) stops this station, moves, and starts a new one. Absent: the route refuses.
   */
  onMoveRequested?: (to: string, requestedAt: string) => void;
  /** The last move's outcome (kept by the host across restarts) and a move's copy in progress, shown in GET /api/settings/info. */
  moveState?: () => { lastMove: LastMove | null; copying: MoveCopying | null; busy: boolean };
  /** The CLI's viewer password as the previous Station hashed it, so a restart needs no plain text. */
  viewerPasswordHashed?: ViewerPassword;
  /** --hub URL --hub-token TOKEN: join this hub at start (skipped when already joined to it). */
  hub?: { url: string; pairingToken: string };
}

/** At shutdown, wait this long for queued clip MP4s; the rest are cut at the next start. */
const SHUTDOWN_CLIP_WAIT_MS = 8_000;

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
  dataDir!: string;
  url = '';
  ffmpeg!: FfmpegInfo;
  reconcileReport: ReconcileReport | null = null;
  /** The signing key for evidence (chain entries, export manifests). */
  keys!: StationKeys;
  private db: Db | null = null;
  private segments!: Segments;
  private gaps!: Gaps;
  /** The cameras recording, their overlay files and live previews: null until start-up has made them. */
  private cameras: CameraSet | null = null;
  private clips!: ClipsRepo;
  private clipCameras!: ClipCamerasRepo;
  private writer: ClipWriter | null = null;
  scans: ScanService | null = null;
  private server: FastifyInstance | null = null;
  private exports: ExportJobs | null = null;
  private releaseLock: (() => void) | null = null;
  /** How much the bench moves, from the main camera's motion pictures: the idle stop reads it. */
  private readonly motion = new MotionMeter();
  private firstSegment: Promise<void> = new Promise(() => undefined);
  /** Segment files re-checked in the background and before cuts/exports. */
  private segmentFaults: SegmentFaults | null = null;
  private scrubber: SegmentScrubber | null = null;
  private stopClockWatch: (() => void) | null = null;
  /** Warehouse hub: null until start-up has made it, once recording has started. */
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
    // A missing or empty index beside an earlier station's files is refused (lost-database.ts:
    // proofs taken before this start creates anything, the key included); `packwitness recover` rebuilds it.
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
    const list = this.opts.camera === undefined ? saved : cliCameraEntries([this.opts.camera, ...(this.opts.extraCameras ?? [])], saved);
    if (list.length > MAX_CAMERAS) throw new Error(`At most ${MAX_CAMERAS} cameras per station; ${list.length} were given.`);
    const resolved = await resolveCameras(this.ffmpeg, list, knownCameraIds(saved, []), false);
    this.notStopping();
    log.info('station starting', { dataDir: this.dataDir, camera: resolved[0]!.source.display, ffmpeg: this.ffmpeg.versionLine });
    // Which ffmpeg records and why (bundled, the PATH's, or configured: ffmpeg/locate.ts).
    log.info(`using ffmpeg ${versionText(this.ffmpeg)} (${this.ffmpeg.source}): ${this.ffmpeg.reason}`, { path: this.ffmpeg.path, source: this.ffmpeg.source });
    const disk = new DiskGuard({
      dataDir: this.dataDir,
      recordings: () => this.cameras?.recordings() ?? [],
      retention: () => this.storage?.retention ?? null,
      runRetention: () => this.storage?.runRetention(),
    });
    this.disk = disk;
    await disk.start();
    const runs = new Runs(this.db);
    const chain = new SegmentChain(this.db, this.keys, new ChainReserve(this.dataDir));
    chain.catchUp();
    this.segments = new Segments(this.db, chain);
    this.gaps = new Gaps(this.db);
    const indexer = new SegmentIndexer(this.dataDir, this.ffmpeg.path, this.segments);
    this.reconcileReport = await reconcile(this.dataDir, { runs, segments: this.segments, gaps: this.gaps, indexer });
    this.notStopping();

    // The station line names the packer signed in: until the scans are loaded, nobody.
    const overlayFiles = new OverlayFiles(this.dataDir, () => {
      const code = this.scans?.packer ?? null;
      return { station: this.stationName, operator: this.operatorName, packer: code === null ? null : { code, name: this.scans?.packerName ?? code } };
    });
    const cameras = await CameraSet.open(
      {
        dataDir: this.dataDir,
        ffmpeg: this.ffmpeg,
        runs,
        segments: this.segments,
        gaps: this.gaps,
        indexer,
        settings,
        encoder: this.opts.encoder,
        motion: this.motion,
        disk,
        overlayFiles,
        savedCameras: () => this.settings.cameras().cameras,
        stopping: () => this.stopping,
        endClip: (why) => this.scans?.closeActive(why) ?? null,
      },
      resolved,
    );
    this.cameras = cameras;
    this.notStopping();
    this.clips = new ClipsRepo(this.db);
    this.clipCameras = new ClipCamerasRepo(this.db);
    this.segmentFaults = new SegmentFaults(this.db);
    this.writer = new ClipWriter({
      dataDir: this.dataDir,
      ffmpegPath: this.ffmpeg.path,
      segments: this.segments,
      clips: this.clips,
      unindexedSegments: async (camera) => (await cameras.watchdogOf(camera)?.unindexedSegments()) ?? null,
      faults: this.segmentFaults,
      otherCameras: () => cameras.otherCameras.map((o) => ({ id: o.source.id, name: cameras.nameOf(o.source.id) })),
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
        return cameras.main.source.id;
      },
      scheduleOverlay: (atMs, codes) => cameras.scheduleOverlay(atMs, codes),
      timing: { leadMs: OVERLAY_SWITCH_LEAD_MS, snap: (ms) => cameras.main.watchdog?.frameBoundary(ms) ?? ms },
      // The same rule as the status's `recording` (and so the NOT RECORDING banner); between two runs of a camera change there is no watchdog.
      notRecording: () => {
        const main = cameras.main.watchdog;
        return main?.pausedFor === 'disk-full' ? 'disk-full' : main?.state === 'recording' ? null : 'camera-not-recording';
      },
      orders: new OrdersRepo(this.db),
      packers,
      packerChanged: () => cameras.refreshOverlayFiles(),
      stillSince: () => this.motion.stillSince(),
    });
    this.scans.init();
    // A packer still signed in from before a restart is named from the first frames on.
    cameras.refreshOverlayFiles();
    const scans = this.scans;
    const retentionSettings = () => loadRetentionSettings(settings);
    // A clip being exported, or whose video is still to be written from its segments, keeps them.
    const inUse = () => new Set([...(this.exports?.busyClipIds() ?? []), ...(this.writer?.busyClipIds() ?? [])]);
    this.storage = new RetentionSchedule({
      db: this.db,
      dataDir: this.dataDir,
      keys: this.keys,
      retention: new Retention({
        db: this.db,
        dataDir: this.dataDir,
        settings: retentionSettings,
        preRollMs: () => scans.scanSettings().preRollMs,
        freeSpace: () => disk.measure(),
        inUse,
        hubCopyRequired: () => joinedToHub(settings),
      }),
      settings: retentionSettings,
      inUse,
      exports: () => this.exports,
      stopping: () => this.stopping,
    });
    disk.prepareReserve();
    this.storage.start();
    const db = this.db;
    this.footage = new FootageMeter(this.dataDir);
    // Presets are read per job, so an edit in settings applies to the next export.
    this.exports = new ExportJobs(() => ({ db, dataDir: this.dataDir, ffmpegPath: this.ffmpeg.path, clips: this.clips, keys: this.keys, presets: loadPresets(settings), cameraName: (id) => this.cameraName(id), waitForCameras: true }));
    this.searchMerge = new SearchMergeSchedule(db);
    this.searchMerge.start();

    // Bind the port before recording: a port in use fails fast, before any camera's ffmpeg starts.
    this.server = await createHttpServer({
      security: this.security,
      uiDir: this.opts.uiDir ?? join(appRoot(), 'dist', 'renderer'),
      status: () => this.status(),
      segments: (from, to) => ({ segments: this.segments.between(from, to) }),
      gaps: () => ({ gaps: this.gaps.all() }),
      previews: (camera) => cameras.preview(camera),
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
        // Checked (each spec resolved, ids assigned) before anything is stored, then stored and applied.
        saveCameras: (list) => cameras.apply(list, 'camera settings changed', false, (entries) => this.settings.storeCameras({ cameras: entries })),
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
          if (this.scans?.packer === code) cameras.refreshOverlayFiles();
        },
      },
      hubRoutes: { link: () => this.hubLink, settings, kick: () => this.hubUploader?.kick() },
      healthReport: async () => ({
        ...(await healthReport({ db, dataDir: this.dataDir, settings, footage: this.footage, startedAtMs: this.startedAtMs, ffmpegVersion: this.ffmpeg.versionLine })),
        hub: this.hubLink?.status(),
      }),
      storageRoutes: {
        settings,
        changed: () => this.storage?.run(),
        move: { dataDir: () => this.dataDir, request: this.opts.onMoveRequested ?? null, busy: () => this.opts.moveState?.().busy ?? false },
      },
      // The hardware encoder setting: stored, then applied as a camera change with the cameras in use.
      encoderRoutes: {
        current: async () => ({
          hardwareEncoder: settings.get(HARDWARE_ENCODER_SETTING_KEY, DEFAULT_HARDWARE_ENCODER_SETTING, parseHardwareEncoderSetting),
          inUse: cameras.main.watchdog?.encoderCodec ?? null,
          tests: await cachedEncoderTests(this.dataDir, this.ffmpeg),
        }),
        apply: async (v) => {
          settings.set(HARDWARE_ENCODER_SETTING_KEY, v);
          await cameras.apply(cameras.entriesInUse(), 'encoder setting changed', true);
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

    const mainWatchdog = cameras.main.watchdog!;
    this.firstSegment = new Promise<void>((resolve) => mainWatchdog.once('segment', () => resolve()));
    this.notStopping();
    await cameras.start();
    this.scrubber = new SegmentScrubber(this.db, this.dataDir, this.segmentFaults);
    this.scrubber.start();
    this.stopClockWatch = watchClock((jump) => {
      const reason = `the wall clock jumped ${jump.byMs > 0 ? 'forward' : 'back'} by ${(Math.abs(jump.byMs) / 1000).toFixed(1)} s`;
      log.warn('the wall clock jumped; restarting the recording on the new clock', { ...jump, wallBefore: toIso(jump.wallBefore), wallAfter: toIso(jump.wallAfter) });
      cameras.restartRuns(reason);
    });
    this.storage.run();
    // Warehouse hub: in the background; recording never waits on the hub.
    this.hubLink = new HubLink({
      settings,
      keys: this.keys,
      stationName: () => this.stationName,
      // The health page's own forecast, so the hub's stations page and the bench agree.
      report: async () => ({
        recording: cameras.main.watchdog?.state === 'recording',
        backlog: this.hubUploader?.backlog() ?? 0,
        freeDiskBytes: disk.freeBytes,
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
    // Rolling online backups of the index, what `packwitness recover` restores from.
    this.backups = new BackupSchedule(this.db, this.dataDir);
    this.backups.start();
  }

  /** Absolute path of a finished export's file (for the desktop shell's drag-out and save dialog). */
  exportFilePath(jobId: string, role: ExportFileRole): string | null {
    const rel = this.exports?.file(jobId, role);
    return rel ? join(this.dataDir, ...rel.split('/')) : null;
  }

  /** The desktop shell's settings (start on login, full screen) live with the station's. */
  readSetting<T>(key: string, fallback: T, validate: (v: unknown) => T): T {
    return this.db ? new SettingsStore(this.db).get(key, fallback, validate) : fallback;
  }

  writeSetting(key: string, value: unknown): void {
    if (!this.db) throw new Error('the station is not running');
    new SettingsStore(this.db).set(key, value);
  }

  /** Resolves when the main camera has closed its first segment (the station is really recording). */
  whenRecording(): Promise<void> {
    return this.firstSegment;
  }

  /** What the clip page, the exports and the hub call a camera (camera-set.ts: nameOf). */
  private cameraName(camera: string): string {
    return this.cameras!.nameOf(camera);
  }

  // ---- Settings: applying a saved section ----

  /** Station and operator name: the overlay's next frame and the next clip show them. */
  async applyIdentity(v: StationIdentitySettings): Promise<void> {
    this.stationName = v.stationName;
    this.operatorName = v.operatorName;
    await this.cameras?.writeOverlayFiles();
  }

  settingsInfo(): SettingsInfo {
    const move = this.opts.moveState?.();
    return {
      dataDir: this.dataDir,
      cameraInUse: this.cameras!.main.source.display,
      lanActive: this.security.lan,
      cli: { camera: this.opts.camera === undefined ? null : maskCredentials(this.opts.camera), host: this.opts.host ?? null, station: this.opts.station ?? null },
      lastMove: move?.lastMove ?? null,
      move: move?.copying ?? null,
    };
  }

  status(): StatusResponse {
    const cameras = this.cameras!;
    const statuses = cameras.statuses();
    const camera = statuses[0]!;
    const active = this.scans?.activeClip() ?? null;
    return {
      station: this.stationName,
      recording: camera.state === 'recording',
      camera,
      cameras: statuses,
      lastSegmentEndedAt: toIsoOrNull(this.segments.lastEndMs(cameras.main.source.id)),
      segmentCount: this.segments.count(),
      gapCount: this.gaps.count(),
      freeDiskBytes: this.disk?.freeBytes ?? 0,
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
      notRecordingReason: cameras.main.watchdog?.pausedFor ?? null,
      hub: this.hubLink?.status(),
      storage: this.storageStatus(),
    };
  }

  /** What the status says of the disk and retention. */
  private storageStatus(): StatusResponse['storage'] {
    const retention = this.storage?.retention ?? null;
    const total = this.disk?.totalBytes ?? 0;
    return {
      retention: retention?.state ?? 'ok',
      limitBytes: retention ? retention.limitFor(total) : 0,
      hardFloorBytes: diskFloorBytes(total),
      resumeBytes: diskResumeBytes(total),
      totalDiskBytes: total,
      diskFull: this.cameras?.main.watchdog?.pausedFor === 'disk-full',
      freedTodayBytes: retention?.freedTodayBytes ?? 0,
      lastRetentionAt: toIsoOrNull(retention?.lastRunMs ?? null),
    };
  }

  private startedAtMs = 0;
  private footage!: FootageMeter;
  /** Free space: measured every 5 s, the reserve file, recording paused on a full disk. */
  private disk: DiskGuard | null = null;
  /** Retention, index compaction and export expiry. */
  private storage: RetentionSchedule | null = null;
  private searchMerge: SearchMergeSchedule | null = null;

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
    this.disk?.stop();
    this.searchMerge?.stop();
    const storageStopped = this.storage?.stop();
    this.cameras?.closePreviews();
    this.hubLink?.stop();
    await this.hubUploader?.stop();
    await storageStopped;
    await this.backups?.stop();
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
    // Recording stops (every watchdog is marked stopping at once, so an ffmpeg that a Ctrl-C reached
    // first is not restarted) while the server closes; the last segments are indexed before the database closes.
    const recordingStopped = this.cameras?.stop();
    await this.server?.close().catch(() => undefined);
    this.server = null;
    await closeMetadataReader().catch(() => undefined);
    await recordingStopped;
    this.db?.close();
    this.db = null;
    this.releaseLock?.();
    this.releaseLock = null;
    log.info('station stopped');
  }
}
