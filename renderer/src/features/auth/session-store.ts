/**
 * Who this browser is to the station: the operator (the READY link's cookie), a viewer (logged in
 * with the viewer password, LAN mode), or nobody yet. Asked once at start and after a 401.
 */
import { create } from 'zustand';
import type { SessionResponse } from '../../../../shared/api';
import { api } from '../../api/client';

interface SessionState {
  /** null until the station has answered. */
  session: SessionResponse | null;
  /** The first answer (or failure) has come. */
  loaded: boolean;
  load: () => Promise<void>;
}

export const useSession = create<SessionState>()((set) => ({
  session: null,
  loaded: false,
  load: async () => {
    try {
      set({ session: await api.session(), loaded: true });
    } catch {
      // Unreachable: the screens show that on their own; the session is asked again after the next 401.
      set({ loaded: true });
    }
  },
}));

export function isViewer(s: SessionResponse | null): boolean {
  return s?.role === 'viewer';
}
