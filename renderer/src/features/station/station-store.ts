/**
 * What the station screen knows about the station: the last status it received, the error of the
 * latest poll, and when a poll last succeeded. Everything the screen shows is derived from these.
 */
import { create } from 'zustand';
import type { StatusResponse } from '../../../../shared/api';
import { api, ApiError, type ApiErrorKind } from '../../api/client';

export const POLL_INTERVAL_MS = 1_000;

/**
 * A status older than this no longer proves the camera is recording. Three missed polls: one slow
 * answer does not raise the alarm, a station that stopped answering does within a few seconds.
 */
export const STALE_AFTER_MS = 3_500;

export interface PollError {
  kind: ApiErrorKind;
  message: string;
  /** No answer within the request's time-out (see ApiError.timedOut). */
  timedOut?: boolean;
}

interface StationState {
  /** The last status received; kept after a failure so the screen can still show what it was. */
  status: StatusResponse | null;
  /** The error of the latest poll; null when it succeeded. */
  error: PollError | null;
  /** Date.now() of the latest successful poll. */
  lastOkAt: number | null;
  pollOnce: () => Promise<void>;
  /** Starts polling; returns the function that stops it. */
  startPolling: () => () => void;
}

let pollSeq = 0;
let appliedSeq = 0;

export const useStationStore = create<StationState>()((set, get) => ({
  status: null,
  error: null,
  lastOkAt: null,

  pollOnce: async () => {
    // A scan asks for a poll out of turn, so two can overlap: the older answer must not replace the newer.
    const seq = ++pollSeq;
    try {
      const status = await api.status();
      if (seq < appliedSeq) return;
      appliedSeq = seq;
      set({ status, error: null, lastOkAt: Date.now() });
    } catch (err) {
      if (seq < appliedSeq) return;
      appliedSeq = seq;
      const error: PollError = err instanceof ApiError ? { kind: err.kind, message: err.message, timedOut: err.timedOut } : { kind: 'bad-response', message: String(err) };
      set({ error });
    }
  },

  startPolling: () => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One request at a time, the next a second after the last one settled: a slow station is never
    // handed a pile of overlapping requests.
    const loop = async (): Promise<void> => {
      await get().pollOnce();
      if (!stopped) timer = setTimeout(() => void loop(), POLL_INTERVAL_MS);
    };
    void loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
}));

/**
 * Why the screen cannot say "recording", or null when it can. Unknown counts as not recording: the
 * banner must be up whenever we lack proof, not only when we have proof of a failure.
 */
export type Alarm = 'unauthorized' | 'connecting' | 'unreachable' | 'stale' | 'station-error' | 'camera-not-recording' | 'disk-full';

export function alarmOf(s: Pick<StationState, 'status' | 'error' | 'lastOkAt'>, now: number): Alarm | null {
  if (s.error?.kind === 'unauthorized') return 'unauthorized';
  // A hung station accepts the connection and never answers: the poll times out at about the moment
  // the last status goes stale (REQUEST_TIMEOUT_MS + POLL_INTERVAL_MS = STALE_AFTER_MS), and that is
  // "no answer", not "cannot be reached" (refused: the station is not running, or the network is down).
  if (s.error?.kind === 'unreachable') return s.error.timedOut ? 'stale' : 'unreachable';
  if (s.error) return 'station-error';
  if (!s.status || s.lastOkAt === null) return 'connecting';
  if (now - s.lastOkAt > STALE_AFTER_MS) return 'stale';
  // Disk full: the station stopped recording on purpose and says why.
  if (!s.status.recording) return s.status.notRecordingReason === 'disk-full' ? 'disk-full' : 'camera-not-recording';
  return null;
}

/**
 * The station is not answering at all (as opposed to answering "not recording" or an error), so
 * nothing it streams can be trusted to be live either.
 */
export function isOffline(s: Pick<StationState, 'error' | 'lastOkAt'>, now: number): boolean {
  if (s.error?.kind === 'unreachable') return true;
  return s.lastOkAt !== null && now - s.lastOkAt > STALE_AFTER_MS;
}
