/**
 * Keeps one camera recording, whatever happens to ffmpeg: starts a run, indexes what it closes,
 * notices when it dies or stalls, records the gap, and starts the next run after a back-off.
 *
 * State is owned here and only here; the status API reads it.
 */
import { EventEmitter } from 'node:events';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CameraStateName, CameraStatus } from '../../../shared/api.js';
import type { Gaps } from '../catalog/gaps.js';
import type { Runs } from '../catalog/runs.js';
import type { RunContext, SegmentIndexer } from '../catalog/segment-indexer.js';
import type { Segments } from '../catalog/segments.js';
import {
  BACKOFF_RESET_AFTER_MS,
  CONTIGUITY_TOLERANCE_MS,
  EVENT_LOOP_LATE_MS,
  NO_SEGMENT_MS,
  RESTART_BACKOFF_MS,
  STALL_MS,
  STALL_NOTICE_MS,
  STARTUP_GRACE_MS,
} from '../limits.js';
import { log } from '../log.js';
import type { CameraSource } from './camera-spec.js';
import { recordingInvocation, type EncoderPreset, type RecorderFeeds } from './ffmpeg-command.js';
import { codesCommand, codesLine } from './overlay.js';
import type { OverlaySwitch } from './overlay-timeline.js';
import { runEndSentence } from './ffmpeg-failures.js';
import { shouldFallBackToSoftware } from './hardware-encoders.js';
import type { MotionMeter } from './motion.js';
import { RecordingRun, type RunExit } from './recording-run.js';
import type { SegmentListEntry } from './segment-list.js';

export interface WatchdogDeps {
  dataDir: string;
  ffmpegPath: string;
  source: CameraSource;
  encoder: EncoderPreset;
  overlayFile: string;
  /** The codes line's schedule (overlay-timeline.ts): each run starts from it, so no run keeps a stale code. */
  overlay: { codesAt(ms: number): readonly string[]; after(ms: number): OverlaySwitch[] };
  fontFile: string;
  fontSize: number;
  runs: Runs;
  segments: Segments;
  gaps: Gaps;
  indexer: SegmentIndexer;
  /** Takes each run's motion pictures (the idle stop); absent: they are dropped (every run sends them: see ffmpeg-command.ts). */
  motion?: MotionMeter;
  /**
   * What to record with when `encoder` (a hardware one) fails at start: libx264. The run is
   * restarted with it and the reason logged; `onEncoderFallback` hears about it (to cache the failure).
   */
  fallbackEncoder?: EncoderPreset;
  onEncoderFallback?: (codec: string, reason: string) => void;
  /**
   * Called before each index write, and with `full` when ffmpeg reported ENOSPC: the station checks
   * free space and, on a full disk, frees its reserve at once so the index can still write.
   */
  roomToWrite?: (full: boolean) => Promise<void>;
}

interface WatchdogEvents {
  state: [CameraStateName];
  /** ffmpeg or the index hit ENOSPC / SQLITE_FULL: recording has paused itself (see pause()). */
  diskFull: [string];
  segment: [{ id: number; startMs: number; endMs: number }];
}

interface ActiveRun {
  run: RecordingRun;
  ctx: RunContext;
  /** End of the last indexed segment on the run's clock; null until the first one. */
  prevEndSec: number | null;
  /** Serialises indexing so rows go in in order and the first segment's probe comes first. */
  queue: Promise<void>;
  /** performance.now() of the last indexed segment and of the run's start (monotonic, like the run's heartbeat). */
  lastSegmentAt: number;
  startedAt: number;
  /** Settles when the run's exit has been handled (its last segments indexed). */
  finished: Promise<void>;
}

const WATCH_INTERVAL_MS = 250;

/** While a camera stays away, one log line per this many failed retries (about a minute's worth). */
const FAILED_START_LOG_EVERY = 60;

export class CameraWatchdog extends EventEmitter<WatchdogEvents> {
  state: CameraStateName = 'stopped';
  restarts = 0;
  lastError: string | null = null;
  private active: ActiveRun | null = null;
  private backoffMs: number = RESTART_BACKOFF_MS.first;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  /** performance.now() of the last watch tick, and of the end of the last time Node itself stood still. */
  private lastWatchAt = 0;
  private loopResumedAt = 0;
  private stopping = false;
  /** The encoder of the next run: the configured one until a hardware encoder fails and libx264 takes over. */
  private encoder: EncoderPreset;
  /** Why the current run is being ended on purpose (a wall-clock jump): the gap's reason. */
  private restartReason: string | null = null;
  /** Recording paused on purpose (disk full): no restart until resume(). */
  pausedFor: 'disk-full' | null = null;
  /**
   * Runs in a row that ended before recording anything (a camera unplugged, an IP camera down). The
   * first is kept as the record of the outage; the retries after it (one a second, see
   * RESTART_BACKOFF_MS) leave no run row or folder and are logged once a minute, so a camera that is
   * away all night leaves one run, one gap and a few dozen log lines, not tens of thousands.
   */
  private failedStarts = 0;
  /**
   * The open gap is one this watchdog opened because ffmpeg ended unasked (a crash, a kill, a stall).
   * Such a gap is kept however short: the restart back-off alone makes the hole about as long as the
   * contiguity tolerance (measured: 513-616 ms), and a reviewer must see that the recorder restarted
   * there. The tolerance is for restarts the station asked for (new settings), whose holes are planned.
   */
  private crashGapOpen = false;

  constructor(private readonly d: WatchdogDeps) {
    super();
    this.encoder = d.encoder;
  }

  /**
   * Queue a change of the codes line in the running ffmpeg (the station has put it in the schedule
   * already, so a run started later begins with it anyway).
   */
  overlaySwitch(s: OverlaySwitch): void {
    const a = this.active;
    if (a) a.run.sendCommand(codesCommand((s.atMs - a.ctx.t0Ms) / 1000, codesLine(s.codes)), s.atMs);
  }

  /**
   * The first instant at or after `ms` that lies halfway between two frames of the running recording.
   * Frames are stamped on the run's clock at whole multiples of 1/fps (the fps filter's grid), so a
   * clip boundary there leaves no frame on it: the cut (frames before the end belong to the clip) and
   * the overlay command (frames at or after its time get it) cannot round one frame different ways.
   * Between runs there is no grid: `ms` as it is.
   */
  frameBoundary(ms: number): number {
    const a = this.active;
    const fps = this.d.source.fps;
    if (!a || !(fps > 0)) return ms;
    const frames = ((ms - a.ctx.t0Ms) * fps) / 1000;
    return Math.round(a.ctx.t0Ms + ((Math.ceil(frames - 0.5) + 0.5) * 1000) / fps);
  }

  /** The codec the current (or next) run records with. */
  get encoderCodec(): string {
    return this.encoder.codec;
  }

  get cameraId(): string {
    return this.d.source.id;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.lastWatchAt = performance.now();
    this.watchTimer = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
    await this.launch();
  }

  /** Clean shutdown: ffmpeg closes its current segment, which is indexed before this resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    const active = this.active;
    if (active) {
      await active.run.stop();
      await active.finished;
      this.d.runs.end(active.ctx.runId, 'stopped');
      this.active = null;
    }
    this.setState('stopped');
  }

  // ---- Disk full: pause and resume ----
  /**
   * Stop recording cleanly and stay stopped: ffmpeg is told to finish (its last segment is closed and
   * indexed), the run ends, a gap opens at the last footage, and nothing restarts until resume().
   */
  async pause(reason: 'disk-full'): Promise<void> {
    if (this.pausedFor || this.stopping) return;
    this.pausedFor = reason;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const active = this.active;
    if (active) {
      await active.run.stop();
      await active.finished;
      this.d.runs.end(active.ctx.runId, 'disk full');
      if (this.active === active) this.active = null;
    }
    this.d.gaps.open(this.d.source.id, this.d.segments.lastEndMs(this.d.source.id) ?? Date.now(), 'disk full');
    this.lastError = 'disk full: recording paused until space is free';
    this.setState('stopped');
    log.error('DISK FULL: recording stopped; it resumes when space is free', { camera: this.d.source.id });
  }

  /** Start recording again after pause() (space is back). */
  async resume(): Promise<void> {
    if (!this.pausedFor || this.stopping) return;
    this.pausedFor = null;
    this.backoffMs = RESTART_BACKOFF_MS.first;
    log.info('disk space is back: recording resumes', { camera: this.d.source.id });
    await this.launch();
  }

  /**
   * The active run's segments that are on disk but not indexed yet, oldest first: the one ffmpeg is
   * writing and any that just closed and are still being hashed. Each packet is flushed to disk as it
   * is encoded, so a clip can be cut from them without waiting for the segments to close.
   */
  async unindexedSegments(): Promise<{ files: string[]; t0Ms: number } | null> {
    const a = this.active;
    if (!a || a.run.pid === null) return null;
    const names = (await readdir(join(this.d.dataDir, ...a.ctx.dirRel.split('/'))).catch(() => [] as string[])).filter((f) => f.endsWith('.ts')).sort();
    const files = names.map((n) => `${a.ctx.dirRel}/${n}`).filter((rel) => !this.d.segments.has(rel));
    return files.length ? { files, t0Ms: a.ctx.t0Ms } : null;
  }

  /** The folder the running ffmpeg writes its segments to (absolute), or null between runs: the live preview follows it. */
  currentRunDir(): string | null {
    const a = this.active;
    return a && a.run.pid !== null ? a.run.runDir : null;
  }

  /**
   * End the current run now and start the next at once (the wall clock jumped: its timestamps no
   * longer match the clock). SIGKILL: a graceful stop would let ffmpeg keep writing on the wrong clock.
   */
  restartRun(reason: string): void {
    const pid = this.active?.run.pid;
    if (!pid || this.stopping) return;
    this.restartReason = reason;
    this.backoffMs = RESTART_BACKOFF_MS.first;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone: its exit is being handled */
    }
  }

  status(): CameraStatus {
    return {
      id: this.d.source.id,
      spec: this.d.source.display,
      state: this.state,
      pid: this.active?.run.pid ?? null,
      restarts: this.restarts,
      failedAttempts: this.failedStarts,
      lastError: this.lastError,
      lastGap: this.d.gaps.last(this.d.source.id),
    };
  }

  private async launch(): Promise<void> {
    if (this.stopping || this.pausedFor) return;
    const t0Ms = Date.now();
    const stamp = new Date(t0Ms).toISOString().replace(/[-:.]/g, '');
    const dirRel = `runs/${this.d.source.id}/${stamp}`;
    const dirAbs = join(this.d.dataDir, ...dirRel.split('/'));
    await mkdir(dirAbs, { recursive: true });
    // A stop() (or a full disk) while the folder was made: no run starts after it.
    if (this.stopping || this.pausedFor) {
      await rm(dirAbs, { recursive: true, force: true });
      return;
    }
    const runId = this.d.runs.create({ camera: this.d.source.id, dir: dirRel, t0Ms });
    const ctx: RunContext = { runId, camera: this.d.source.id, dirRel, t0Ms };
    const encoder = this.encoder;
    const invocationFor = (feeds: RecorderFeeds) =>
      recordingInvocation({
        source: this.d.source,
        t0Ms,
        runDir: dirAbs,
        overlayFile: this.d.overlayFile,
        codesText: codesLine(this.d.overlay.codesAt(t0Ms)),
        fontFile: this.d.fontFile,
        fontSize: this.d.fontSize,
        encoder,
        feeds,
      });
    const run = new RecordingRun(this.d.ffmpegPath, invocationFor, dirAbs, this.d.motion ?? null);
    // The codes line starts as it is at t0 (in the command); the switches still to come are queued.
    for (const s of this.d.overlay.after(t0Ms)) run.sendCommand(codesCommand((s.atMs - t0Ms) / 1000, codesLine(s.codes)), s.atMs);
    run.on('commandLate', ({ dueMs, checkedMs }) =>
      log.warn('a change of the burned-in codes had not reached ffmpeg shortly before its frame time: frames at that clip boundary may show the earlier codes', {
        camera: this.d.source.id,
        dueAt: new Date(dueMs).toISOString(),
        checkedBeforeMs: dueMs - checkedMs,
      }),
    );
    const now = performance.now();
    const active: ActiveRun = { run, ctx, prevEndSec: null, queue: Promise.resolve(), lastSegmentAt: now, startedAt: now, finished: Promise.resolve() };
    active.finished = new Promise((resolve) => run.once('exit', (exit) => void this.onExit(active, exit).finally(resolve)));
    this.active = active;
    // ENOSPC: free the station's reserve and pause now, before the next segment or the exit.
    run.once('diskFull', () => void this.d.roomToWrite?.(true));
    run.on('segment', (entry) => {
      active.queue = active.queue
        .then(() => this.index(active, entry))
        .catch((err) => {
          this.fail('a segment could not be indexed', err);
          if (isDiskFullError(err)) this.emit('diskFull', String(err));
        });
    });
    this.setState('starting');
    run.start();
    // The pid is known once the run has bound its feeds and spawned; keep it so a crashed station can stop an orphan.
    // Not after a stop: the database may be closed by then (a station stopped within the second, in a
    // process that goes on, like the desktop app after a data-folder move).
    setTimeout(() => {
      if (!this.stopping && this.active?.ctx.runId === runId) this.d.runs.setPid(runId, run.pid);
    }, 1_000).unref();
    log.info('recording run started', { camera: this.d.source.id, dir: dirRel });
  }

  private async index(active: ActiveRun, entry: SegmentListEntry): Promise<void> {
    await this.d.roomToWrite?.(false);
    const first = active.prevEndSec === null;
    const status = active.run.diskFullSeen ? await this.d.indexer.statusAfterDiskFull(`${active.ctx.dirRel}/${entry.file}`, 'ok') : 'ok';
    const seg = await this.d.indexer.indexListed(active.ctx, entry, active.prevEndSec, status);
    active.prevEndSec = (seg.endMs - active.ctx.t0Ms) / 1000;
    active.lastSegmentAt = performance.now();
    if (first) {
      this.d.gaps.close(this.d.source.id, seg.startMs, this.crashGapOpen ? 0 : CONTIGUITY_TOLERANCE_MS);
      this.crashGapOpen = false;
    }
    if (first && this.failedStarts > 1) log.info('the camera is back', { camera: this.d.source.id, attempts: this.failedStarts });
    if (first) this.failedStarts = 0;
    if (performance.now() - active.startedAt > BACKOFF_RESET_AFTER_MS) this.backoffMs = RESTART_BACKOFF_MS.first;
    if (!this.stopping && this.active === active) this.setState('recording');
    this.emit('segment', { id: seg.id, startMs: seg.startMs, endMs: seg.endMs });
  }

  private async onExit(active: ActiveRun, exit: RunExit): Promise<void> {
    // Not recording from this moment: indexing what the run left can take a while on a busy machine.
    if (!exit.requested && !this.stopping) this.setState('restarting');
    await active.queue;
    const diskFull = /no space left on device/i.test(`${exit.error ?? ''}\n${exit.stderrTail.join('\n')}`);
    await this.d.roomToWrite?.(diskFull);
    // Whatever ffmpeg was writing when it ended is still a valid (maybe shorter) TS file: index it.
    let recorded = active.prevEndSec !== null;
    try {
      const report = await this.d.indexer.recoverRun(active.ctx, { diskFull: active.run.diskFullSeen || diskFull });
      if (report.indexed || report.damaged) log.info('indexed segments left by an ended run', { ...report });
      if (report.indexed || report.damaged) recorded = true;
    } catch (err) {
      recorded = true; // unknown: keep the run and its folder
      log.error('recovery of an ended run failed', { error: String(err) });
    }
    // A stop we asked for (or a Ctrl-C that reached ffmpeg first) is the end of recording, not a gap.
    if (exit.requested || this.stopping) return;
    const reason = this.restartReason ?? exit.error ?? 'ffmpeg exited';
    this.restartReason = null;
    const fallback = this.d.fallbackEncoder;
    if (fallback && fallback.codec !== this.encoder.codec && shouldFallBackToSoftware({ codec: this.encoder.codec, closedSegments: active.prevEndSec === null ? 0 : 1, stderrTail: exit.stderrTail, error: exit.error })) {
      log.warn('hardware encoder failed at start; recording with libx264 from now on', { camera: this.d.source.id, encoder: this.encoder.codec, reason });
      this.d.onEncoderFallback?.(this.encoder.codec, reason);
      this.encoder = fallback;
      // Straight back: the camera is fine, only the encoder changed.
      this.backoffMs = RESTART_BACKOFF_MS.first;
    }
    this.failedStarts = recorded ? 0 : this.failedStarts + 1;
    // A retry that recorded nothing either: no trace but the count (the gap is already open).
    const retry = this.failedStarts > 1;
    if (retry) await this.discardRun(active.ctx);
    else this.d.runs.end(active.ctx.runId, reason);
    const lastEnd = this.d.segments.lastEndMs(this.d.source.id);
    // A run that fails right after a restart the station planned (a new encoder that falls back to
    // libx264) leaves that planned gap as it is: its hole is judged by the contiguity tolerance.
    if (this.d.gaps.open(this.d.source.id, lastEnd ?? Date.now(), reason).created) this.crashGapOpen = true;
    if (this.active === active) this.active = null;
    if (this.stopping || this.pausedFor) return;
    // A full disk is not fixed by restarting: the station pauses recording until space is back.
    if (diskFull) {
      this.lastError = reason;
      this.emit('diskFull', reason);
      return;
    }
    this.lastError = reason;
    if (!retry) this.restarts++;
    this.setState('restarting');
    const delay = this.backoffMs;
    this.backoffMs = Math.min(RESTART_BACKOFF_MS.max, this.backoffMs * RESTART_BACKOFF_MS.factor);
    // The health page shows the message: the cause in words, ffmpeg's own lines only in the fields.
    const why = runEndSentence(reason, exit.stderrTail, this.d.source.display);
    if (!retry) log.warn(`the recording stopped and restarts in ${(delay / 1000).toFixed(1)} s: ${why}`, { camera: this.d.source.id, reason, inMs: delay });
    else if (this.failedStarts % FAILED_START_LOG_EVERY === 0) log.warn(`the camera is still unavailable (${this.failedStarts} attempts); retrying every second: ${why}`, { camera: this.d.source.id, reason, attempts: this.failedStarts });
    else log.debug('camera retry failed', { camera: this.d.source.id, reason, attempts: this.failedStarts });
    this.restartTimer = setTimeout(() => void this.launch().catch((err) => this.fail('the recording could not be restarted', err)), delay);
  }

  /** A retry that recorded nothing: its row (no segment refers to it) and its folder go. */
  private async discardRun(ctx: RunContext): Promise<void> {
    try {
      this.d.runs.discardEmpty(ctx.runId);
      await rm(join(this.d.dataDir, ...ctx.dirRel.split('/')), { recursive: true, force: true });
    } catch (err) {
      log.warn('could not remove an empty run', { dir: ctx.dirRel, error: String(err) });
    }
  }

  /**
   * Stalls: ffmpeg alive but its frame counter or its segment list stopped moving.
   *
   * Only ffmpeg's silence counts, never Node's own: when this tick comes late, Node was not running
   * (see EVENT_LOOP_LATE_MS), and ffmpeg's progress reports and segment list lines of that time wait
   * unread in the socket and the file (timers run before I/O is read when the loop wakes). Judging
   * now would kill a healthy ffmpeg. So the ages are measured from the resumption: a healthy ffmpeg's
   * next report arrives within half a second; a dead camera is still found, STALL_MS after it.
   */
  private watch(): void {
    const now = performance.now();
    const lateBy = now - this.lastWatchAt - WATCH_INTERVAL_MS;
    this.lastWatchAt = now;
    if (lateBy > EVENT_LOOP_LATE_MS) {
      this.loopResumedAt = now;
      log.warn('the station did not run for a while; the camera is judged again from now', { camera: this.d.source.id, stoppedMs: Math.round(lateBy) });
      return;
    }
    const a = this.active;
    if (!a || this.stopping || a.run.pid === null) return;
    const silentFor = now - Math.max(a.run.lastProgressAt, this.loopResumedAt);
    const noSegmentFor = now - Math.max(a.lastSegmentAt, this.loopResumedAt);
    const starting = a.run.lastFrame < 0;
    // Frames stopped: say so at once, but give the camera a moment before the kill and restart.
    if (!starting && silentFor > STALL_NOTICE_MS && this.state === 'recording') {
      this.setState('stalled');
      this.lastError = `no frames from the camera for ${(silentFor / 1000).toFixed(1)} s`;
      log.warn('no frames from the camera', { camera: this.d.source.id, silentMs: silentFor });
    } else if (this.state === 'stalled' && silentFor < STALL_NOTICE_MS && a.prevEndSec !== null) {
      this.setState('recording');
    }
    if (silentFor > (starting ? STARTUP_GRACE_MS : STALL_MS) || noSegmentFor > (starting ? STARTUP_GRACE_MS : 0) + NO_SEGMENT_MS) {
      this.setState('stalled');
      this.lastError = silentFor > STALL_MS ? `no frames from the camera for ${Math.round(silentFor / 1000)} s` : `no segment closed for ${Math.round(noSegmentFor / 1000)} s`;
      log.warn(`${this.lastError}: the recording is restarted`, { camera: this.d.source.id, reason: this.lastError });
      // SIGKILL: a stalled ffmpeg may not honour SIGINT; what it wrote so far is recovered on exit.
      const pid = a.run.pid;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  /** `what` is the sentence for people (the health page); the error's own text goes to the log's fields and the status. */
  private fail(what: string, err: unknown): void {
    this.lastError = `${what}: ${String(err)}`;
    log.error(what, { camera: this.d.source.id, error: String(err) });
  }

  private setState(s: CameraStateName): void {
    if (s === this.state) return;
    this.state = s;
    this.emit('state', s);
  }
}

/** ENOSPC from the file system or SQLite's "database or disk is full". */
export function isDiskFullError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'ENOSPC' || e?.code === 'SQLITE_FULL' || /no space left on device|database or disk is full/i.test(e?.message ?? String(err));
}
