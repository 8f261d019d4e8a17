/**
 * Which codes the overlay shows at which moment, as the scans decided it: a list of switches, each
 * at a wall-clock instant that is also a clip boundary. The recorder turns each switch into a command
 * ffmpeg runs on the first frame stamped at or after it (overlay.ts), and every run it starts (a
 * camera change, a watchdog restart, a wall-clock jump, the end of a disk-full pause) begins with the
 * codes in force at its start and the switches still to come: no run inherits a stale code.
 *
 * Why a schedule and not "show this now": a frame is stamped when it arrives and drawn a moment
 * later, and ffmpeg takes a command between frames only every 100 ms. So the station decides a
 * switch OVERLAY_SWITCH_LEAD_MS ahead (limits.ts) and ends one clip and starts the next exactly
 * there; every frame of a clip then carries that clip's codes.
 */

export interface OverlaySwitch {
  atMs: number;
  codes: readonly string[];
}

/** How long a switch that has taken effect is kept: a run starting now needs the one in force. */
const KEEP_PAST_MS = 60_000;

export class OverlayTimeline {
  private switches: OverlaySwitch[] = [{ atMs: 0, codes: [] }];

  /**
   * Show `codes` from `atMs` on. Switches never go back in time: one asked for before the last is
   * moved to it (the later decision wins at that instant). Returns the instant actually used.
   */
  schedule(atMs: number, codes: readonly string[]): number {
    const last = this.switches.at(-1)!;
    const at = Math.max(atMs, last.atMs);
    if (at === last.atMs) this.switches[this.switches.length - 1] = { atMs: at, codes: [...codes] };
    else this.switches.push({ atMs: at, codes: [...codes] });
    this.prune(Date.now());
    return at;
  }

  /** The codes shown at `ms`. */
  codesAt(ms: number): readonly string[] {
    let codes: readonly string[] = [];
    for (const s of this.switches) {
      if (s.atMs > ms) break;
      codes = s.codes;
    }
    return codes;
  }

  /** Switches after `ms`, oldest first (what a run started at `ms` must still be told). */
  after(ms: number): OverlaySwitch[] {
    return this.switches.filter((s) => s.atMs > ms);
  }

  /** The codes of the last switch decided, whenever it takes effect. */
  get latest(): readonly string[] {
    return this.switches.at(-1)!.codes;
  }

  private prune(nowMs: number): void {
    // Keep the switch in force a minute ago and everything after it.
    const cutoff = nowMs - KEEP_PAST_MS;
    let first = 0;
    while (first + 1 < this.switches.length && this.switches[first + 1]!.atMs <= cutoff) first++;
    if (first) this.switches = this.switches.slice(first);
  }
}
