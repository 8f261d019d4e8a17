/**
 * The supervisor both shells (the CLI's `station`, the Electron app) run the station under: it owns
 * the current Station and, when the settings ask to move the data folder, does what the station
 * cannot do to itself. First, while the station records, it copies and verifies the sealed footage
 * (storage/move-data.ts precopyUntilSettled; progress in SettingsInfo.move), which is nearly all the
 * bytes. Then it stops the station (the move needs the folder's lock and a closed database), moves the
 * rest (moveDataFolder: copy, verify, pointer, delete), and starts a new Station on the new folder with
 * the same port, host and token, so an open UI (its cookie is the token) reconnects by polling.
 * Recording pauses only for that last step. A move that fails while copying leaves the station
 * recording; one that fails after the stop restarts it on the old folder. Either way the outcome is
 * kept here (a station does not outlive a move) and shown as SettingsInfo.lastMove.
 */
import type { LastMove, MoveCopying } from '../../shared/api.js';
import { render, type Message } from '../../shared/messages/index.js';
import { errorMessage, msg } from './localized-error.js';
import { log } from './log.js';
import { Station, type StationOptions } from './station.js';
import { moveDataFolder, precopyUntilSettled, type MoveOptions, type MoveProgress } from './storage/move-data.js';

export interface StationHostOptions {
  station: Omit<StationOptions, 'onMoveRequested' | 'moveState'>;
  /** Each Station started, the first and those after a move (the shells re-bind to it). */
  onStationStarted?: (station: Station) => void;
  /** Neither the new folder nor the old one would start after a move: the process has no station left. */
  onFatal?: (err: unknown) => void;
  /** For tests only: after each file the pre-copy made (MoveOptions.afterCopyForTest), and once it is done, before the station stops. */
  testHooks?: { afterCopy?: MoveOptions['afterCopyForTest']; afterPrecopy?: () => Promise<void> | void };
}

/** How often a move in progress is logged (the UI cannot ask: the server is down meanwhile). */
const PROGRESS_LOG_MS = 2_000;

export class StationHost {
  private current: Station;
  private moving: Promise<void> | null = null;
  private lastMove: LastMove | null = null;
  private copying: MoveCopying | null = null;
  private stopped = false;
  /** Aborts a pre-copy when the host stops: a big folder takes hours, a shutdown must not wait for it (it resumes next time). */
  private readonly shutdown = new AbortController();

  /** The options each Station after the first is built from: the viewer password only as the first one hashed it. */
  private readonly restartOptions: StationHostOptions['station'];

  private readonly opts: Omit<StationHostOptions, 'station'>;

  constructor(opts: StationHostOptions) {
    const { station, ...rest } = opts;
    this.opts = rest;
    this.current = this.newStation(station);
    const { viewerPassword: _plain, ...kept } = station;
    this.restartOptions = { ...kept, viewerPasswordHashed: this.current.viewerPasswordHashed };
  }

  get station(): Station {
    return this.current;
  }

  /** Whether a move is under way (the station is stopped or about to be). */
  get busy(): boolean {
    return this.moving !== null;
  }

  get lastMoveOutcome(): LastMove | null {
    return this.lastMove;
  }

  async start(): Promise<void> {
    await this.current.start();
    this.opts.onStationStarted?.(this.current);
  }

  /** Resolves when the move asked for (if any) has ended and a station runs again; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.moving) await this.moving;
  }

  /** Waits for a move under way (a half-done move is resumable, but a finished one is simpler to reason about), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.shutdown.abort(new Error('the station is stopping'));
    await this.idle();
    await this.current.stop();
  }

  private newStation(o: StationHostOptions['station']): Station {
    return new Station({
      ...o,
      moveState: () => ({ lastMove: this.lastMove, copying: this.copying, busy: this.busy }),
      onMoveRequested: (to, requestedAt) => this.requestMove(to, requestedAt),
    });
  }

  /**
   * What the route calls once its checks passed and its 202 went out. Public so a test can reach the
   * failure path the route's checks would otherwise keep it from (moveDataFolder checks again, as it must).
   */
  requestMove(to: string, requestedAt = new Date().toISOString()): void {
    if (this.moving || this.stopped) return;
    this.moving = this.moveTo(to, requestedAt)
      // Not a MoveDataError (those end in a restart on the old folder): stopping itself failed.
      .catch((err: unknown) => {
        log.error('the data folder move could not run', { error: (err as Error).message });
        this.opts.onFatal?.(err);
      })
      .finally(() => (this.moving = null));
  }

  private async moveTo(to: string, requestedAt: string): Promise<void> {
    const old = this.current;
    const from = old.dataDir;
    // The same address: a port chosen by the system (--port 0) is kept, so the UI finds the new station.
    const port = Number(new URL(old.url).port);
    let lastLog = 0;
    const onProgress = (p: MoveProgress) => {
      if (p.phase === 'precopy') this.copying = { to, requestedAt, filesDone: p.filesDone, filesTotal: p.filesTotal, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal };
      if (Date.now() - lastLog < PROGRESS_LOG_MS && p.filesDone !== p.filesTotal) return;
      lastLog = Date.now();
      log.info('data folder move', { phase: p.phase, files: `${p.filesDone}/${p.filesTotal}`, mb: `${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)}` });
    };
    const outcome = (error: Message | null, r?: { files: number; bytes: number; precopiedFiles: number }): LastMove => ({
      from,
      to,
      state: error ? 'failed' : 'done',
      error: error ? render(error, 'en') : null,
      errorMessage: error,
      requestedAt,
      at: new Date().toISOString(),
      files: r?.files ?? 0,
      bytes: r?.bytes ?? 0,
      precopiedFiles: r?.precopiedFiles ?? 0,
    });

    log.info('moving the data folder on request from the settings: copying sealed footage while recording goes on', { from, to });
    this.copying = { to, requestedAt, filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
    try {
      await precopyUntilSettled(from, to, {
        afterCopyForTest: this.opts.testHooks?.afterCopy,
        onProgress,
        signal: this.shutdown.signal,
        onPass: (p) => log.info('data folder move: copy pass done while recording', { pass: p.pass, copiedFiles: p.copiedFiles, copiedMb: +(p.copiedBytes / 1e6).toFixed(1), seconds: +p.seconds.toFixed(1) }),
      });
      await this.opts.testHooks?.afterPrecopy?.();
    } catch (err) {
      this.copying = null;
      // Stopping: what was copied stays in the target, listed, and a later move to it resumes.
      if (this.shutdown.signal.aborted) return void log.info('data folder move interrupted by shutdown; it resumes if asked again', { from, to });
      const error = failure(err);
      log.error('the data folder move failed while copying; the station kept recording on its folder', { from, to, error: render(error, 'en') });
      this.lastMove = outcome(error);
      return;
    }
    this.copying = null;

    log.info('sealed footage copied; stopping the station to move the rest (recording pauses)', { from, to });
    await old.stop();
    let dataDir = from;
    try {
      const r = await moveDataFolder(from, to, { onProgress });
      dataDir = r.to;
      this.lastMove = outcome(null, r);
    } catch (err) {
      const error = failure(err);
      log.error('the data folder move failed; restarting on the old folder', { from, to, error: render(error, 'en') });
      this.lastMove = outcome(error);
    }
    const next = this.newStation({ ...this.restartOptions, dataDir, port, token: old.token });
    this.current = next;
    try {
      await next.start();
    } catch (err) {
      log.error('the station did not start again after the data folder move', { dataDir, error: (err as Error).message });
      this.opts.onFatal?.(err);
      return;
    }
    this.opts.onStationStarted?.(next);
  }
}

/** A failed move's sentence for the UI: the move's own, or a general one that says nothing was lost. */
function failure(err: unknown): Message {
  return errorMessage(err) ?? msg('stationHost.moveFailed', { why: (err as Error).message });
}
