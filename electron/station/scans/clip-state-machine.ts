/**
 * The packer's whole job as a pure function: given what the station is doing and one event (a
 * classified scan, the clock reaching the maximum clip length, or the bench gone idle), decide the action and the effects.
 * No I/O here: the scan service applies the effects to the database, the overlay and the clip writer,
 * so every rule is testable as a table.
 */
import type { ClipMode, CodeKind, ScanAction, ScanReason } from '../../../shared/api.js';
import type { Classified } from './classifier.js';
import type { ScanSettings } from './scan-settings.js';

export interface ActiveClip {
  id: number;
  startMs: number;
  mode: ClipMode;
  codes: Array<{ code: string; kind: CodeKind }>;
}

export interface MachineState {
  mode: ClipMode;
  active: ActiveClip | null;
  /** The last accepted code and when, for double-scan detection. */
  last: { code: string; atMs: number } | null;
  /**
   * Where the last clip ended (its post-roll included, maybe still to come): the next clip's pre-roll
   * never reaches back into it, since those frames carry the earlier clip's codes.
   */
  lastEndMs?: number | null;
}

/**
 * When a decided boundary can be: `leadMs` after the deciding moment (OVERLAY_SWITCH_LEAD_MS: the
 * burned-in codes change on exactly that frame only if ffmpeg is told in time), then `snap`ped
 * between two frames (CameraWatchdog.frameBoundary). Without it (tests of the rules alone), boundaries
 * are at the scan.
 */
export interface BoundaryTiming {
  leadMs: number;
  snap: (ms: number) => number;
}

const AT_THE_SCAN: BoundaryTiming = { leadMs: 0, snap: (ms) => ms };

/**
 * `idle`: the scan service saw no scan and little motion in the picture since `lastActivityMs` (the
 * later of the last scan and the last picture that moved, recorder/motion.ts).
 */
export type MachineEvent = { type: 'scan'; atMs: number; scan: Classified } | { type: 'max-length'; atMs: number } | { type: 'idle'; atMs: number; lastActivityMs: number };

export type EndReason = 'next-scan' | 'stop-code' | 'repeat-scan' | 'cancel-code' | 'max-length' | 'idle';

export type Effect =
  | { type: 'start'; startMs: number; mode: ClipMode; code: string; kind: CodeKind; atMs: number }
  /**
   * `codesClearMs`: when the burned-in codes go, if later than the end (an idle stop ends the clip in
   * the past, at the last activity; the frames up to the decision still carry the clip's codes, so
   * the next clip's pre-roll must not reach back into them).
   */
  | { type: 'end'; id: number; endMs: number; status: 'closed' | 'cancelled'; reason: EndReason; codesClearMs?: number }
  | { type: 'attach'; id: number; code: string; kind: CodeKind; atMs: number }
  | { type: 'mode'; mode: ClipMode }
  /** Who packs at the bench from now on (null: nobody); clips started later record them. */
  | { type: 'packer'; badge: string | null };

/** The reasons are part of the API (shared/api.ts ScanReason): the screens choose a sound by them. */
export type Reason = ScanReason;

export interface Decision {
  action: ScanAction;
  reason: Reason;
  effects: Effect[];
}

type Settings = Pick<ScanSettings, 'preRollMs' | 'postRollMs' | 'maxClipMs' | 'doubleScanMs' | 'repeatScan' | 'attachWaybill'> &
  Partial<Pick<ScanSettings, 'handoverClipMs' | 'startOn' | 'idleStopMs'>>;

/** An order or waybill number names the parcel; a product code (item) never does. */
function namesParcel(c: { kind: CodeKind }): boolean {
  return c.kind !== 'item';
}

/**
 * The codes a clip is shown by (burned-in overlay, the station screen's large line): its order and
 * waybill numbers, not the products packed into it; a clip started on a product code (SKU-first) is
 * shown by that code until a number files it.
 */
export function shownCodes(codes: ReadonlyArray<{ code: string; kind: CodeKind }>): string[] {
  const named = codes.filter(namesParcel);
  return (named.length ? named : codes).map((c) => c.code);
}

/** How long a clip of this mode may run: a hand-over clip is short, never longer than the maximum. */
export function maxClipMsFor(mode: ClipMode, s: Settings): number {
  return mode === 'ship' && s.handoverClipMs !== undefined ? Math.min(s.maxClipMs, s.handoverClipMs) : s.maxClipMs;
}

/**
 * Whether the bench has been idle long enough to end the open clip: the idle stop is on
 * (`idleStopMs` > 0) and nothing happened for that long.
 */
export function isIdle(atMs: number, lastActivityMs: number, s: Partial<Pick<ScanSettings, 'idleStopMs'>>): boolean {
  const idleStopMs = s.idleStopMs ?? 0;
  return idleStopMs > 0 && atMs - lastActivityMs >= idleStopMs;
}

/**
 * Boundaries: a switch ends the old clip and starts the next at the same instant, the lead after the
 * scan; a stop ends after the post-roll (at least the lead); a start from idle begins the pre-roll
 * before the scan, but never before the last clip's end. No boundary is earlier than the running
 * clip's start (a clip started in the future, after a post-roll, may end up empty rather than overlap).
 */
export function decide(state: MachineState, event: MachineEvent, s: Settings, timing: BoundaryTiming = AT_THE_SCAN): Decision {
  const active = state.active;
  const after = (ms: number): number => Math.max(timing.snap(ms), active?.startMs ?? -Infinity);
  if (event.type === 'max-length') {
    if (!active) return { action: 'ignored', reason: 'not-expired', effects: [] };
    const maxMs = maxClipMsFor(active.mode, s);
    if (event.atMs + timing.leadMs - active.startMs < maxMs) return { action: 'ignored', reason: 'not-expired', effects: [] };
    const endMs = after(Math.max(active.startMs + maxMs, event.atMs + timing.leadMs));
    return { action: 'stopped', reason: 'max-length', effects: [{ type: 'end', id: active.id, endMs, status: 'closed', reason: 'max-length' }] };
  }
  if (event.type === 'idle') {
    if (!active || !isIdle(event.atMs, event.lastActivityMs, s)) return { action: 'ignored', reason: 'not-idle', effects: [] };
    // The empty table after the last activity stays off the clip: it ends the post-roll after that
    // activity (at the latest at the decision), while the codes stay on screen until the decision's boundary.
    const codesClearMs = after(event.atMs + timing.leadMs);
    const endMs = Math.min(after(event.lastActivityMs + s.postRollMs), codesClearMs);
    return { action: 'stopped', reason: 'idle', effects: [{ type: 'end', id: active.id, endMs, status: 'closed', reason: 'idle', codesClearMs }] };
  }

  const { scan, atMs } = event;
  if (scan.kind === 'invalid') return { action: 'rejected', reason: scan.reason, effects: [] };
  if (scan.kind === 'ignore') return { action: 'ignored', reason: 'ignore-rule', effects: [] };
  if (state.last && state.last.code.toUpperCase() === scan.code.toUpperCase() && atMs - state.last.atMs < s.doubleScanMs) {
    return { action: 'ignored', reason: 'double-scan', effects: [] };
  }

  // A badge signs its packer in (the one before out); PW-LOGOUT signs out. No clip changes: the
  // clip running keeps the packer it started with.
  if (scan.kind === 'packer') {
    return scan.logout
      ? { action: 'packer', reason: 'packer-signed-out', effects: [{ type: 'packer', badge: null }] }
      : { action: 'packer', reason: 'packer-signed-in', effects: [{ type: 'packer', badge: scan.code.toUpperCase() }] };
  }

  if (scan.kind === 'command') {
    switch (scan.command) {
      case 'stop':
        if (!active) return { action: 'ignored', reason: 'nothing-to-stop', effects: [] };
        return { action: 'stopped', reason: 'stop-code', effects: [{ type: 'end', id: active.id, endMs: after(atMs + Math.max(s.postRollMs, timing.leadMs)), status: 'closed', reason: 'stop-code' }] };
      case 'cancel':
        if (!active) return { action: 'ignored', reason: 'nothing-to-stop', effects: [] };
        return { action: 'stopped', reason: 'cancel-code', effects: [{ type: 'end', id: active.id, endMs: after(atMs + timing.leadMs), status: 'cancelled', reason: 'cancel-code' }] };
      case 'pack':
      case 'return':
      case 'ship': {
        const mode: ClipMode = scan.command;
        return { action: 'mode', reason: 'mode-set', effects: [{ type: 'mode', mode }] };
      }
    }
  }

  const { code, kind } = scan;
  if (kind === 'item') return decideItem(state, atMs, code, s, timing);
  if (!active) {
    const startMs = Math.max(atMs - s.preRollMs, state.lastEndMs ?? -Infinity);
    return { action: 'started', reason: 'first-scan', effects: [{ type: 'start', startMs, mode: state.mode, code, kind, atMs }] };
  }
  if (active.codes.some((c) => c.code.toUpperCase() === code.toUpperCase())) {
    if (s.repeatScan === 'ignore') return { action: 'ignored', reason: 'already-on-clip', effects: [] };
    return { action: 'stopped', reason: 'repeat-scan', effects: [{ type: 'end', id: active.id, endMs: after(atMs + Math.max(s.postRollMs, timing.leadMs)), status: 'closed', reason: 'repeat-scan' }] };
  }
  // A clip started on a product code (SKU-first) is filed under the first number scanned: the label
  // printed after packing belongs to the parcel on the bench, not to a new one.
  if (!active.codes.some(namesParcel)) {
    return { action: 'attached', reason: 'filed-under', effects: [{ type: 'attach', id: active.id, code, kind, atMs }] };
  }
  if (kind === 'waybill' && s.attachWaybill && !active.codes.some((c) => c.kind === 'waybill')) {
    return { action: 'attached', reason: 'waybill-attached', effects: [{ type: 'attach', id: active.id, code, kind, atMs }] };
  }
  const boundary = after(atMs + timing.leadMs);
  return {
    action: 'switched',
    reason: 'next-scan',
    effects: [
      { type: 'end', id: active.id, endMs: boundary, status: 'closed', reason: 'next-scan' },
      { type: 'start', startMs: boundary, mode: state.mode, code, kind, atMs },
    ],
  };
}

/**
 * A product's code (an EAN on the box, a SKU label). It never names a parcel, so by default it never
 * starts a clip: with one open it joins it (searchable, the evidence of what went in), with none it
 * is ignored and said so. With `startOn: 'item'` (label printed after packing) it starts a clip when
 * none is open, and once that clip has its number, the next product code is the next parcel.
 */
function decideItem(state: MachineState, atMs: number, code: string, s: Settings, timing: BoundaryTiming): Decision {
  const active = state.active;
  const skuFirst = s.startOn === 'item';
  if (!active) {
    if (!skuFirst) return { action: 'ignored', reason: 'item-no-clip', effects: [] };
    const startMs = Math.max(atMs - s.preRollMs, state.lastEndMs ?? -Infinity);
    return { action: 'started', reason: 'item-started', effects: [{ type: 'start', startMs, mode: state.mode, code, kind: 'item', atMs }] };
  }
  // A second unit of the same product: the clip goes on, whatever repeatScan says about labels.
  if (active.codes.some((c) => c.code.toUpperCase() === code.toUpperCase())) return { action: 'ignored', reason: 'already-on-clip', effects: [] };
  if (skuFirst && active.codes.some(namesParcel)) {
    const boundary = Math.max(timing.snap(atMs + timing.leadMs), active.startMs);
    return {
      action: 'switched',
      reason: 'next-scan',
      effects: [
        { type: 'end', id: active.id, endMs: boundary, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: boundary, mode: state.mode, code, kind: 'item', atMs },
      ],
    };
  }
  return { action: 'attached', reason: 'item-attached', effects: [{ type: 'attach', id: active.id, code, kind: 'item', atMs }] };
}
