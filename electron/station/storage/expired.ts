import type { LocalizedText } from '../../../shared/api.js';
import { both } from '../localized-error.js';

/** What the station answers for a clip whose video retention deleted (the row stays, so search still finds it). */
export function videoExpiredText(expiredMs: number): LocalizedText {
  const at = new Date(expiredMs).toISOString();
  return both(`Video expired — deleted on ${at} (retention).`, `视频已过期 — 于 ${at} 被删除（保留策略）。`);
}
