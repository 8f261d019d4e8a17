/**
 * The search as you type: one request per pause in typing (DEBOUNCE_MS), the request for an older
 * query aborted as soon as the query changes, so an answer never replaces a newer one on screen
 * ("results never go backwards"). Older pages are appended with the cursor the last page gave.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClipSearchQuery, ClipSummary } from '../../../../shared/api';
import { api, ApiError, isAbort } from '../../api/client';

export const DEBOUNCE_MS = 200;
export const PAGE_SIZE = 30;

export interface SearchState {
  /** The query the items answer (JSON of the ClipSearchQuery); '' when nothing was searched. */
  key: string;
  items: ClipSummary[];
  nextCursor: string | null;
  /** idle: nothing to search for; loading: a request for the current query is on its way. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  loadingMore: boolean;
  moreError: ApiError | null;
}

const IDLE: SearchState = { key: '', items: [], nextCursor: null, status: 'idle', error: null, loadingMore: false, moreError: null };

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('bad-response', err instanceof Error ? err.message : String(err));
}

export function useClipSearch(query: ClipSearchQuery | null): { state: SearchState; loadMore: () => void; retry: () => void } {
  const key = query ? JSON.stringify(query) : '';
  const [state, setState] = useState<SearchState>(IDLE);
  const [attempt, setAttempt] = useState(0);
  // The controller of the current query: aborting it drops both its first page and any "load more".
  const controller = useRef<AbortController | null>(null);
  // The first search (opening the page, coming back from a clip) goes at once; typing waits for a pause.
  const searchedBefore = useRef(false);

  useEffect(() => {
    if (!key) {
      setState(IDLE);
      return;
    }
    const ctrl = new AbortController();
    controller.current = ctrl;
    // Keep the previous results on screen (dimmed) until the new ones arrive: no flicker while typing.
    setState((s) => ({ ...s, status: 'loading', error: null }));
    const delay = searchedBefore.current ? DEBOUNCE_MS : 0;
    const timer = setTimeout(() => {
      searchedBefore.current = true;
      const q = JSON.parse(key) as ClipSearchQuery;
      api.searchClips({ ...q, limit: PAGE_SIZE }, ctrl.signal).then(
        (page) => {
          if (ctrl.signal.aborted) return;
          setState({ key, items: page.items, nextCursor: page.nextCursor, status: 'ready', error: null, loadingMore: false, moreError: null });
        },
        (err: unknown) => {
          if (isAbort(err, ctrl.signal)) return;
          setState({ ...IDLE, key, status: 'error', error: asApiError(err) });
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [key, attempt]);

  const loadMore = useCallback(() => {
    const ctrl = controller.current;
    if (!ctrl || ctrl.signal.aborted || state.status !== 'ready' || !state.nextCursor || state.loadingMore || state.key !== key) return;
    const cursor = state.nextCursor;
    setState((s) => ({ ...s, loadingMore: true, moreError: null }));
    const q = JSON.parse(key) as ClipSearchQuery;
    api.searchClips({ ...q, cursor, limit: PAGE_SIZE }, ctrl.signal).then(
      (page) => {
        if (ctrl.signal.aborted) return;
        setState((s) => {
          if (s.key !== key) return s;
          const seen = new Set(s.items.map((c) => c.id));
          return { ...s, items: [...s.items, ...page.items.filter((c) => !seen.has(c.id))], nextCursor: page.nextCursor, loadingMore: false };
        });
      },
      (err: unknown) => {
        if (isAbort(err, ctrl.signal)) return;
        setState((s) => (s.key !== key ? s : { ...s, loadingMore: false, moreError: asApiError(err) }));
      },
    );
  }, [key, state]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { state, loadMore, retry };
}
