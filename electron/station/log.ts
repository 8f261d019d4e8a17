/**
 * The station's log: one line per event on stderr (stdout carries only the READY line, which scripts
 * read). Quiet in tests unless PACKWITNESS_LOG=debug.
 *
 * Every message and every string in its fields goes through maskCredentials before it is printed or
 * remembered: ffmpeg's errors quote the camera URL, password included, and callers should not have to
 * remember that.
 */
import { maskCredentials } from '../../shared/credentials.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * The last warnings and errors, kept in memory for the health page: an operator sees what went wrong
 * without reading stderr. Small and fixed, so a station logging a warning a second for months stays flat.
 */
export interface LoggedEvent {
  atMs: number;
  level: 'warn' | 'error';
  message: string;
}
export const RECENT_EVENTS_MAX = 50;
const recent: LoggedEvent[] = [];

/** Newest first. */
export function recentProblems(): LoggedEvent[] {
  return [...recent].reverse();
}

/**
 * Only the message is remembered, as one sentence: the fields (ffmpeg's own error lines, stack
 * traces, JSON) are for the log file, and the health page showed them raw. Callers word the message
 * for a person, with what matters in it (which clip, which camera state).
 */
function remember(level: Level, msg: string): void {
  if (level !== 'warn' && level !== 'error') return;
  recent.push({ atMs: Date.now(), level, message: sentence(msg) });
  if (recent.length > RECENT_EVENTS_MAX) recent.shift();
}

/** One line, capitalised (not a program's name: "ffmpeg"), ending with a full stop; at most PROBLEM_MAX_CHARS. */
export function sentence(msg: string): string {
  let s = msg.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
  if (s.length > PROBLEM_MAX_CHARS) s = `${s.slice(0, PROBLEM_MAX_CHARS - 1).trimEnd()}…`;
  if (!/^ffmpeg\b/.test(s)) s = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?…。]$/.test(s) ? s : `${s}.`;
}

/** A problem longer than this is cut: the health page shows a sentence, not a dump. */
const PROBLEM_MAX_CHARS = 300;

const threshold = (): number => order[(process.env.PACKWITNESS_LOG as Level) in order ? (process.env.PACKWITNESS_LOG as Level) : 'info'];

/** Strings masked before they are JSON-escaped: a password with a quote in it is masked whole. */
const maskStrings = (_key: string, value: unknown): unknown => (typeof value === 'string' ? maskCredentials(value) : value);

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  const problem = order[level] >= order.warn;
  if (!problem && order[level] < threshold()) return;
  const msg = maskCredentials(message);
  const extra = fields ? ' ' + JSON.stringify(fields, maskStrings) : '';
  // Remembered whatever the threshold: a quiet log must not hide problems from the health page.
  if (problem) remember(level, msg);
  if (order[level] < threshold()) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${extra}\n`);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
};
