/** The one sentence for a clip whose video retention deleted (HTTP 410, exports, the CLI). */
export function videoExpiredSentence(expiredMs: number): string {
  return `Video expired — deleted on ${new Date(expiredMs).toISOString()} (retention).`;
}
