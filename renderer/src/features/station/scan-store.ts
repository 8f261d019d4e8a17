/**
 * Scans sent from this screen and the station's recent scan log.
 *
 * Scans are sent one at a time, in the order they were read: two quick scans must reach the station
 * in that order (the second one may end the clip the first one started). A scan that fails is never
 * retried on its own: the station might have acted on it, and a retry could start a second clip. The
 * packer is told, loudly, to scan again.
 */
import { create } from 'zustand';
import type { ScanLogEntry, ScanResponse } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { useStationStore } from './station-store';

export const RECENT_SCANS = 10;

/** How long the result of a scan stays big on screen. */
export const FLASH_MS = 3_000;

export type Flash =
  | { id: number; kind: 'result'; response: ScanResponse }
  | { id: number; kind: 'failed'; code: string; reason: 'unreachable' | 'unauthorized' | 'error'; detail: string };

interface ScanState {
  /** The station's scan log, newest first. */
  recent: ScanLogEntry[];
  recentError: string | null;
  /** What the last scan did; the screen shows it big and beeps. */
  flash: Flash | null;
  submit: (code: string) => Promise<void>;
  refreshRecent: () => Promise<void>;
  clearFlash: (id: number) => void;
}

let queue: Promise<void> = Promise.resolve();
let flashSeq = 0;
let refreshSeq = 0;

export const useScanStore = create<ScanState>()((set, get) => ({
  recent: [],
  recentError: null,
  flash: null,

  submit: (code) => {
    const run = async (): Promise<void> => {
      try {
        const response = await api.scan(code);
        set({ flash: { id: ++flashSeq, kind: 'result', response } });
      } catch (err) {
        const reason = err instanceof ApiError ? (err.kind === 'unreachable' ? 'unreachable' : err.kind === 'unauthorized' ? 'unauthorized' : 'error') : 'error';
        set({ flash: { id: ++flashSeq, kind: 'failed', code, reason, detail: err instanceof Error ? err.message : String(err) } });
      }
      // Show the new clip and the new log row now rather than at the next poll.
      void useStationStore.getState().pollOnce();
      void get().refreshRecent();
    };
    queue = queue.then(run, run);
    return queue;
  },

  refreshRecent: async () => {
    const seq = ++refreshSeq;
    try {
      const { scans } = await api.scans(RECENT_SCANS);
      // An older request that answers late must not overwrite a newer list.
      if (seq === refreshSeq) set({ recent: scans, recentError: null });
    } catch (err) {
      if (seq === refreshSeq) set({ recentError: err instanceof Error ? err.message : String(err) });
    }
  },

  clearFlash: (id) => {
    if (get().flash?.id === id) set({ flash: null });
  },
}));
