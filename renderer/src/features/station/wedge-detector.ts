/**
 * Telling a keyboard-wedge barcode scanner from a person, by key timing alone.
 *
 * A wedge scanner "types" the code: characters a few milliseconds apart (< 30 ms on every scanner we
 * know), then usually Enter, sometimes Tab, sometimes nothing. People type 80 ms or more apart. So:
 *
 * - characters less than `idleEndMs` apart form a run; a longer pause starts a new one;
 * - a run is a burst when its gaps are fast (< `maxGapMs`), allowing one slow gap in four: a busy
 *   page (a re-render, a garbage collection, the audio device opening) can hold one key back, and
 *   dropping the characters before that gap would send a wrong, shortened code;
 * - a burst of at least `minLength` characters ended by Enter or Tab is a scan;
 * - a burst of at least `minIdleLength` characters followed by `idleEndMs` of silence is a scan too
 *   (scanners configured without a terminator);
 * - anything slower is typing, and is left alone.
 *
 * Pure: the caller feeds key names with their timestamps and, while `idleDeadline()` is set, arms a timer.
 * No DOM here, so the rules are unit-tested with made-up timestamps.
 */

/** Longest gap between two characters of one scan. Scanners: < 30 ms; people: > 80 ms. */
export const WEDGE_MAX_GAP_MS = 35;
/** Silence that ends a scan from a scanner that sends no Enter/Tab. */
export const WEDGE_IDLE_END_MS = 80;
/**
 * How long the page waits, after handling a burst's last key, before ending a burst that has no
 * terminator. Longer than WEDGE_IDLE_END_MS, which judges the keys' own timestamps: the browser can
 * hand a burst's keys to the page in two lots on a busy PC, and an 80 ms wait in between split one
 * scan into two clips (measured: a 150 ms hold-up mid-burst sent "SF123456" and "7890123"). Only a
 * scanner without a terminator waits this long.
 */
export const WEDGE_IDLE_FLUSH_MS = 300;
/** Shortest scan ended by Enter/Tab. */
export const WEDGE_MIN_LENGTH = 3;
/** Shortest scan ended by silence: needs more evidence than one ended by a terminator. */
export const WEDGE_MIN_IDLE_LENGTH = 4;
/** Share of a burst's gaps that must be fast (< WEDGE_MAX_GAP_MS); the rest must still be < WEDGE_IDLE_END_MS. */
export const WEDGE_MIN_FAST_SHARE = 0.75;
/** The longest code the station accepts (shared/api.ts ScanRequest); a longer run is not a scan. */
const MAX_RUN = 4096;

export interface WedgeOptions {
  maxGapMs: number;
  idleEndMs: number;
  minLength: number;
  minIdleLength: number;
  minFastShare: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  maxGapMs: WEDGE_MAX_GAP_MS,
  idleEndMs: WEDGE_IDLE_END_MS,
  minLength: WEDGE_MIN_LENGTH,
  minIdleLength: WEDGE_MIN_IDLE_LENGTH,
  minFastShare: WEDGE_MIN_FAST_SHARE,
};

export type WedgeTerminator = 'Enter' | 'Tab' | 'idle';

export interface WedgeScan {
  code: string;
  terminator: WedgeTerminator;
}

export interface WedgeKey {
  /** KeyboardEvent.key: a single character, 'Enter', 'Tab', 'Shift', … */
  key: string;
  /** Milliseconds on any monotonic clock (KeyboardEvent.timeStamp). */
  at: number;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a scan. Shift is fine (uppercase letters). */
  withModifier?: boolean;
}

export interface WedgeFeedResult {
  /** Scans completed by this key (at most two: one ended by silence before it, one ended by it). */
  scans: WedgeScan[];
  /**
   * The key belongs to a scan (a terminator that completed one, or a character inside a burst): the
   * caller should stop it from reaching the page (Enter on a focused button would press it, Tab moves
   * the focus).
   */
  swallow: boolean;
  /**
   * This key is the first character of a new run (a scan, if it is one, starts here): a page that lets
   * a text field take the characters notes the field's value now, before the key changes it.
   */
  startedRun: boolean;
}

/** Keys a scanner may send between characters (Shift for capitals) that are neither text nor noise. */
const IGNORED_KEYS = new Set(['Shift', 'CapsLock', 'NumLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'Unidentified']);

export class WedgeDetector {
  private readonly o: WedgeOptions;
  /** The current run of characters, each less than idleEndMs after the one before. */
  private chars: string[] = [];
  /** How many of the run's gaps were fast. */
  private fastGaps = 0;
  private lastAt = 0;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.o = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  }

  /** One keydown. */
  feed({ key, at, withModifier = false }: WedgeKey): WedgeFeedResult {
    const scans: WedgeScan[] = [];
    // A scanner without a terminator whose idle timer has not fired yet (busy main thread): the
    // silence is over by now, so the burst is a scan whatever this key is.
    const idle = this.flushIdle(at);
    if (idle) scans.push(idle);

    if (IGNORED_KEYS.has(key)) return { scans, swallow: false, startedRun: false };

    const gap = at - this.lastAt;
    if ((key === 'Enter' || key === 'Tab') && !withModifier) {
      const scan = this.isBurst(this.o.minLength) && gap < this.o.idleEndMs;
      const code = this.chars.join('');
      this.reset();
      if (!scan) return { scans, swallow: false, startedRun: false };
      scans.push({ code, terminator: key });
      return { scans, swallow: true, startedRun: false };
    }

    if ((key.length !== 1 && !isSingleCodePoint(key)) || withModifier) {
      // Backspace, arrows, F-keys, shortcuts…: a person at the keyboard.
      this.reset();
      return { scans, swallow: false, startedRun: false };
    }

    const continues = this.chars.length > 0 && gap < this.o.idleEndMs && this.chars.length < MAX_RUN;
    const fast = continues && gap < this.o.maxGapMs;
    if (continues) {
      this.chars.push(key);
      if (fast) this.fastGaps++;
    } else {
      this.chars = [key];
      this.fastGaps = 0;
    }
    this.lastAt = at;
    return { scans, swallow: fast, startedRun: !continues };
  }

  /**
   * When a pending burst long enough to be a terminator-less scan is due to end, on the keys' clock;
   * null when nothing is pending. The page waits idleEndMs after handling the last key, then calls
   * flushIdle() with this (see use-wedge-scanner.ts: keys handled late must not be split by a timer).
   */
  idleDeadline(): number | null {
    return this.isBurst(this.o.minIdleLength) ? this.lastAt + this.o.idleEndMs : null;
  }

  /** The pending burst as a scan if it has been silent for idleEndMs by `now`; otherwise null. */
  flushIdle(now: number): WedgeScan | null {
    if (!this.isBurst(this.o.minIdleLength) || now - this.lastAt < this.o.idleEndMs) return null;
    const code = this.chars.join('');
    this.reset();
    return { code, terminator: 'idle' };
  }

  /** Forget the pending characters (focus moved to a text field, the window lost focus, …). */
  reset(): void {
    this.chars = [];
    this.fastGaps = 0;
  }

  private isBurst(minLength: number): boolean {
    const n = this.chars.length;
    return n >= minLength && this.fastGaps >= this.o.minFastShare * (n - 1);
  }
}

/** KeyboardEvent.key is one character, but an astral character is two UTF-16 units. */
function isSingleCodePoint(key: string): boolean {
  return [...key].length === 1;
}
