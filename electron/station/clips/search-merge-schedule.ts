/**
 * A bounded merge step of the code search index (clip-search.ts mergeSearchIndex) every few minutes
 * while the station runs, so the index stays in few segments as codes accumulate.
 */
import type { Db } from '../catalog/sqlite.js';
import { mergeSearchIndex } from './clip-search.js';

/** How often a bounded merge step runs on the search index. */
export const SEARCH_MERGE_INTERVAL_MS = 5 * 60_000;

export class SearchMergeSchedule {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly intervalMs = SEARCH_MERGE_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.db.open) mergeSearchIndex(this.db);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Before the database closes. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
