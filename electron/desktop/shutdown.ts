/**
 * Stopping the station once, however the app is told to end (quit, logout, power-off, Windows
 * session end, a second signal while the first stop runs), and never for longer than a cap: the OS
 * kills an app that holds up a shutdown, and a stop that hangs must not keep the app alive forever.
 * What the cap cuts short, the next start's reconcile repairs (segments on disk are indexed, an open
 * clip is closed as interrupted).
 */
import { recordCrash } from '../station/crash-log.js';

export type StopOutcome = 'stopped' | 'timed-out' | 'failed';

export interface StationShutdown {
  /** Starts the stop the first time; every call returns the same outcome. */
  (reason: string): Promise<StopOutcome>;
  readonly started: boolean;
}

/**
 * `report` is called exactly once, with the outcome the caller got: a stop that outlasts the cap is
 * reported as timed out, and its late end (even a failure) is not reported again.
 */
export function createShutdown(stop: () => Promise<void>, capMs: number, report: (reason: string, outcome: StopOutcome, err?: unknown) => void): StationShutdown {
  let running: Promise<StopOutcome> | null = null;
  const fn = (reason: string): Promise<StopOutcome> => {
    if (running) return running;
    running = new Promise<StopOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: StopOutcome, err?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        report(reason, outcome, err);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle('timed-out'), capMs);
      stop().then(
        () => settle('stopped'),
        (err: unknown) => settle('failed', err),
      );
    });
    return running;
  };
  Object.defineProperty(fn, 'started', { get: () => running !== null });
  return fn as StationShutdown;
}

/** The shell's report: a stop that did not end cleanly is one entry in the crash log. */
export function crashLogReport(dataDir: () => string): (reason: string, outcome: StopOutcome, err?: unknown) => void {
  return (reason, outcome, err) => {
    if (outcome !== 'stopped') recordCrash(dataDir(), 'shutdown', err ?? `station stop ${outcome} (${reason})`, { reason, outcome });
  };
}

/**
 * Longest a clean stop takes: the clip writer's wait (8 s) plus ffmpeg's stop grace (5 s), plus
 * margin. macOS and Linux wait for an app that delays shutdown; Windows gives a few seconds after
 * session-end, so there the cap is rarely reached and reconcile covers the rest.
 */
export const SHUTDOWN_CAP_MS = 15_000;
