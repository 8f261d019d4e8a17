/**
 * The packer's whole job as a pure function: given what the station is doing and one event (a
 * classified scan, or the clock reaching the maximum clip length), decide the action and the effects.
 * No I/O here: the scan service applies the effects to the database, the overlay and the clip writer,
 * so every rule is testable as a table.
 */
import type { ClipMode, CodeKind, ScanAction } from '../../../shared/api.js';
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
}

export type MachineEvent = { type: 'scan'; atMs: number; scan: Classified } | { type: 'max-length'; atMs: number };

export type EndReason = 'next-scan' | 'stop-code' | 'repeat-scan' | 'cancel-code' | 'max-length';

export type Effect =
  | { type: 'start'; startMs: number; mode: ClipMode; code: string; kind: CodeKind; atMs: number }
  | { type: 'end'; id: number; endMs: number; status: 'closed' | 'cancelled'; reason: EndReason }
  | { type: 'attach'; id: number; code: string; kind: CodeKind; atMs: number }
  | { type: 'mode'; mode: ClipMode };

export type Reason =
  | EndReason
  | 'first-scan'
  | 'waybill-attached'
  | 'double-scan'
  | 'already-on-clip'
  | 'nothing-to-stop'
  | 'ignore-rule'
  | 'mode-set'
  | 'empty'
  | 'control-characters'
  | 'too-long'
  | 'no-rule'
  | 'unknown-command'
  | 'not-expired';

export interface Decision {
  action: ScanAction;
  reason: Reason;
  effects: Effect[];
}

type Settings = Pick<ScanSettings, 'preRollMs' | 'postRollMs' | 'maxClipMs' | 'doubleScanMs' | 'repeatScan' | 'attachWaybill'>;

export function decide(state: MachineState, event: MachineEvent, s: Settings): Decision {
  const active = state.active;
  if (event.type === 'max-length') {
    if (!active || event.atMs - active.startMs < s.maxClipMs) return { action: 'ignored', reason: 'not-expired', effects: [] };
    return { action: 'stopped', reason: 'max-length', effects: [{ type: 'end', id: active.id, endMs: active.startMs + s.maxClipMs, status: 'closed', reason: 'max-length' }] };
  }

  const { scan, atMs } = event;
  if (scan.kind === 'invalid') return { action: 'rejected', reason: scan.reason, effects: [] };
  if (scan.kind === 'ignore') return { action: 'ignored', reason: 'ignore-rule', effects: [] };
  if (state.last && state.last.code.toUpperCase() === scan.code.toUpperCase() && atMs - state.last.atMs < s.doubleScanMs) {
    return { action: 'ignored', reason: 'double-scan', effects: [] };
  }

  if (scan.kind === 'command') {
    switch (scan.command) {
      case 'stop':
        if (!active) return { action: 'ignored', reason: 'nothing-to-stop', effects: [] };
        return { action: 'stopped', reason: 'stop-code', effects: [{ type: 'end', id: active.id, endMs: atMs + s.postRollMs, status: 'closed', reason: 'stop-code' }] };
      case 'cancel':
        if (!active) return { action: 'ignored', reason: 'nothing-to-stop', effects: [] };
        return { action: 'stopped', reason: 'cancel-code', effects: [{ type: 'end', id: active.id, endMs: atMs, status: 'cancelled', reason: 'cancel-code' }] };
      case 'pack':
      case 'return': {
        const mode: ClipMode = scan.command;
        return { action: 'mode', reason: 'mode-set', effects: [{ type: 'mode', mode }] };
      }
    }
  }

  const { code, kind } = scan;
  if (!active) {
    return { action: 'started', reason: 'first-scan', effects: [{ type: 'start', startMs: atMs - s.preRollMs, mode: state.mode, code, kind, atMs }] };
  }
  if (active.codes.some((c) => c.code.toUpperCase() === code.toUpperCase())) {
    if (s.repeatScan === 'ignore') return { action: 'ignored', reason: 'already-on-clip', effects: [] };
    return { action: 'stopped', reason: 'repeat-scan', effects: [{ type: 'end', id: active.id, endMs: atMs + s.postRollMs, status: 'closed', reason: 'repeat-scan' }] };
  }
  if (kind === 'waybill' && s.attachWaybill && !active.codes.some((c) => c.kind === 'waybill')) {
    return { action: 'attached', reason: 'waybill-attached', effects: [{ type: 'attach', id: active.id, code, kind, atMs }] };
  }
  return {
    action: 'switched',
    reason: 'next-scan',
    effects: [
      { type: 'end', id: active.id, endMs: atMs, status: 'closed', reason: 'next-scan' },
      { type: 'start', startMs: atMs, mode: state.mode, code, kind, atMs },
    ],
  };
}
