import { msg, type Message } from '../localized-error.js';

/** What the station answers for a clip whose video retention deleted (the row stays, so search still finds it). */
export function videoExpiredText(expiredMs: number): Message {
  const at = new Date(expiredMs).toISOString();
  return msg('expired.videoDeleted', { at });
}
