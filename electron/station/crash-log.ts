/**
 * Crashes, kept on this PC: one JSON line per crash in `<data>/logs/crash.log`, written synchronously
 * because the process may be about to die (an uncaught exception, a renderer gone). The health page
 * links to the last entries (GET /api/logs/crash) so support can read them without a terminal.
 *
 * Never throws: a crash handler that crashes hides the first error. A line that does not parse (a
 * write cut off by power loss) is skipped when reading, not fatal.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { maskCredentials } from '../../shared/credentials.js';
import { CRASH_LOG } from './limits.js';

export interface CrashEntry {
  /** ISO 8601. */
  at: string;
  /** Where it came from: 'station', 'main', 'renderer', 'child-process', … */
  source: string;
  message: string;
  stack: string | null;
  /** Extra facts (exit code, reason) when the crash was not an exception. */
  details?: Record<string, unknown>;
}

export const crashLogPath = (dataDir: string): string => join(dataDir, 'logs', 'crash.log');

/**
 * Message, stack and details go through maskCredentials: a crash while ffmpeg's error was in hand
 * would otherwise write the camera's password to a file the health page shows.
 */
export function recordCrash(dataDir: string, source: string, err: unknown, details?: Record<string, unknown>): void {
  const entry: CrashEntry = {
    at: new Date().toISOString(),
    source,
    message: maskCredentials(err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'string' ? err : safeJson(err)),
    stack: err instanceof Error && err.stack ? maskCredentials(err.stack.slice(0, CRASH_LOG.maxStackChars)) : null,
    ...(details ? { details: maskedDetails(details) } : {}),
  };
  try {
    const file = crashLogPath(dataDir);
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    rotateIfLarge(file);
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
  } catch {
    // Nowhere left to report to; stderr at least.
    process.stderr.write(`packwitness: could not write the crash log: ${entry.message}\n`);
  }
}

/** The newest `limit` entries, newest first. */
export function readCrashLog(dataDir: string, limit: number = CRASH_LOG.readLimit): CrashEntry[] {
  return crashLogSummary(dataDir, limit).entries;
}

/** The newest `limit` entries, newest first, and how many the file holds (the health page shows both). */
export function crashLogSummary(dataDir: string, limit: number = CRASH_LOG.readLimit): { entries: CrashEntry[]; total: number } {
  let text: string;
  try {
    text = readFileSync(crashLogPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], total: 0 };
    throw err;
  }
  const entries: CrashEntry[] = [];
  let total = 0;
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      const e = JSON.parse(line) as CrashEntry;
      if (typeof e.at !== 'string' || typeof e.message !== 'string') continue;
      total++;
      if (entries.length < limit) entries.push(e);
    } catch {
      /* a torn last line */
    }
  }
  return { entries, total };
}

/** A station that crashes in a loop must not fill the disk: keep one previous file. */
function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size > CRASH_LOG.maxBytes) renameSync(file, `${file}.1`);
  } catch {
    /* no file yet */
  }
}

/** Every string in the details masked; never throws (a BigInt or a cycle becomes the details' text). */
function maskedDetails(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'string' ? maskCredentials(v) : v))) as Record<string, unknown>;
  } catch {
    return { text: maskCredentials(String(details)) };
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
