import { describe, expect, it } from 'vitest';
import type { Classified } from '../../electron/station/scans/classifier.js';
import { decide, type MachineState } from '../../electron/station/scans/clip-state-machine.js';
import { DEFAULT_SCAN_SETTINGS } from '../../electron/station/scans/scan-settings.js';

const S = DEFAULT_SCAN_SETTINGS; // pre-roll 3 s, post-roll 2 s, double scan 2 s, repeat → keep recording, attach waybills
const T = 1_000_000;
const order = (code: string): Classified => ({ kind: 'order', code, rule: 'r' });
const waybill = (code: string): Classified => ({ kind: 'waybill', code, rule: 'r' });
const cmd = (command: 'stop' | 'cancel' | 'pack' | 'return'): Classified => ({ kind: 'command', code: `PW-${command.toUpperCase()}`, command });

const idle: MachineState = { mode: 'pack', active: null, last: null };
const recording = (codes: Array<{ code: string; kind: 'order' | 'waybill' }>, last = codes.at(-1)!.code, lastAt = T - 10_000): MachineState => ({
  mode: 'pack',
  active: { id: 7, startMs: T - 13_000, mode: 'pack', codes },
  last: { code: last, atMs: lastAt },
});

describe('the clip state machine', () => {
  const cases: Array<{ name: string; state: MachineState; scan: Classified; settings?: Partial<typeof S>; action: string; reason: string; effects: unknown[] }> = [
    {
      name: 'an order with no clip running starts one, pre-roll before the scan',
      state: idle, scan: order('A1'), action: 'started', reason: 'first-scan',
      effects: [{ type: 'start', startMs: T - 3_000, mode: 'pack', code: 'A1', kind: 'order', atMs: T }],
    },
    {
      name: 'a waybill with no clip running starts one too',
      state: idle, scan: waybill('SF1'), action: 'started', reason: 'first-scan',
      effects: [{ type: 'start', startMs: T - 3_000, mode: 'pack', code: 'SF1', kind: 'waybill', atMs: T }],
    },
    {
      name: 'a different order while recording ends the clip at the scan and starts the next (no pre-roll)',
      state: recording([{ code: 'A1', kind: 'order' }]), scan: order('B2'), action: 'switched', reason: 'next-scan',
      effects: [
        { type: 'end', id: 7, endMs: T, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T, mode: 'pack', code: 'B2', kind: 'order', atMs: T },
      ],
    },
    {
      name: 'a waybill while an order is recording is attached to it',
      state: recording([{ code: 'A1', kind: 'order' }]), scan: waybill('SF1'), action: 'attached', reason: 'waybill-attached',
      effects: [{ type: 'attach', id: 7, code: 'SF1', kind: 'waybill', atMs: T }],
    },
    {
      name: 'a second waybill means the next parcel: switch',
      state: recording([{ code: 'A1', kind: 'order' }, { code: 'SF1', kind: 'waybill' }]), scan: waybill('SF2'), action: 'switched', reason: 'next-scan',
      effects: [
        { type: 'end', id: 7, endMs: T, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T, mode: 'pack', code: 'SF2', kind: 'waybill', atMs: T },
      ],
    },
    {
      name: 'with attaching turned off, a waybill switches',
      state: recording([{ code: 'A1', kind: 'order' }]), scan: waybill('SF1'), settings: { attachWaybill: false }, action: 'switched', reason: 'next-scan',
      effects: [
        { type: 'end', id: 7, endMs: T, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T, mode: 'pack', code: 'SF1', kind: 'waybill', atMs: T },
      ],
    },
    {
      name: 'the same code within 2 s is a double scan: ignored',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 300), scan: order('a1'), action: 'ignored', reason: 'double-scan', effects: [],
    },
    // Packers rescan a label when unsure it beeped; stopping there would leave the rest of the packing out of the clip.
    {
      name: 'the same code later, by default: already recording, the clip goes on',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 5_000), scan: order('A1'), action: 'ignored', reason: 'already-on-clip', effects: [],
    },
    {
      name: 'the same code 30 s later, by default: still the same clip',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 30_000), scan: order('a1'), action: 'ignored', reason: 'already-on-clip', effects: [],
    },
    {
      name: 'the same code later stops the clip, with post-roll, when so configured',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 5_000), scan: order('A1'), settings: { repeatScan: 'stop' }, action: 'stopped', reason: 'repeat-scan',
      effects: [{ type: 'end', id: 7, endMs: T + 2_000, status: 'closed', reason: 'repeat-scan' }],
    },
    {
      name: 'an attached waybill scanned again later, by default: already recording',
      state: recording([{ code: 'A1', kind: 'order' }, { code: 'SF1', kind: 'waybill' }], 'SF1', T - 5_000), scan: waybill('SF1'), action: 'ignored', reason: 'already-on-clip', effects: [],
    },
    {
      name: 'an attached waybill scanned again later stops the clip when so configured',
      state: recording([{ code: 'A1', kind: 'order' }, { code: 'SF1', kind: 'waybill' }], 'SF1', T - 5_000), scan: waybill('SF1'), settings: { repeatScan: 'stop' }, action: 'stopped', reason: 'repeat-scan',
      effects: [{ type: 'end', id: 7, endMs: T + 2_000, status: 'closed', reason: 'repeat-scan' }],
    },
    {
      name: 'a shorter double-scan window: the same code 800 ms later is a repeat, not a double scan',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 800), scan: order('A1'), settings: { doubleScanMs: 500, repeatScan: 'stop' }, action: 'stopped', reason: 'repeat-scan',
      effects: [{ type: 'end', id: 7, endMs: T + 2_000, status: 'closed', reason: 'repeat-scan' }],
    },
    {
      name: 'a longer double-scan window: the same code 5 s later is still a double scan',
      state: recording([{ code: 'A1', kind: 'order' }], 'A1', T - 5_000), scan: order('A1'), settings: { doubleScanMs: 8_000, repeatScan: 'stop' }, action: 'ignored', reason: 'double-scan', effects: [],
    },
    {
      name: 'a double-scan window of 0: PW-STOP twice at once stops, then finds nothing to stop',
      state: { ...idle, last: { code: 'PW-STOP', atMs: T } }, scan: cmd('stop'), settings: { doubleScanMs: 0 }, action: 'ignored', reason: 'nothing-to-stop', effects: [],
    },
    {
      name: 'PW-STOP ends the clip with post-roll',
      state: recording([{ code: 'A1', kind: 'order' }]), scan: cmd('stop'), action: 'stopped', reason: 'stop-code',
      effects: [{ type: 'end', id: 7, endMs: T + 2_000, status: 'closed', reason: 'stop-code' }],
    },
    { name: 'PW-STOP with nothing recording is ignored', state: idle, scan: cmd('stop'), action: 'ignored', reason: 'nothing-to-stop', effects: [] },
    {
      name: 'PW-STOP twice within 2 s: the second is a double scan',
      state: { ...idle, last: { code: 'PW-STOP', atMs: T - 500 } }, scan: cmd('stop'), action: 'ignored', reason: 'double-scan', effects: [],
    },
    {
      name: 'PW-CANCEL cancels the clip at once (kept, marked cancelled)',
      state: recording([{ code: 'A1', kind: 'order' }]), scan: cmd('cancel'), action: 'stopped', reason: 'cancel-code',
      effects: [{ type: 'end', id: 7, endMs: T, status: 'cancelled', reason: 'cancel-code' }],
    },
    { name: 'PW-CANCEL with nothing recording is ignored', state: idle, scan: cmd('cancel'), action: 'ignored', reason: 'nothing-to-stop', effects: [] },
    { name: 'PW-RETURN switches the mode', state: idle, scan: cmd('return'), action: 'mode', reason: 'mode-set', effects: [{ type: 'mode', mode: 'return' }] },
    { name: 'PW-PACK switches back', state: { ...idle, mode: 'return' }, scan: cmd('pack'), action: 'mode', reason: 'mode-set', effects: [{ type: 'mode', mode: 'pack' }] },
    {
      name: 'a clip started in return mode is a return clip',
      state: { ...idle, mode: 'return' }, scan: order('R9'), action: 'started', reason: 'first-scan',
      effects: [{ type: 'start', startMs: T - 3_000, mode: 'return', code: 'R9', kind: 'order', atMs: T }],
    },
    { name: 'garbage is rejected with its reason', state: recording([{ code: 'A1', kind: 'order' }]), scan: { kind: 'invalid', code: '', reason: 'empty' }, action: 'rejected', reason: 'empty', effects: [] },
    { name: 'an ignore-rule match is ignored', state: idle, scan: { kind: 'ignore', code: 'https://x', rule: 'url' }, action: 'ignored', reason: 'ignore-rule', effects: [] },
  ];

  it.each(cases)('$name', ({ state, scan, settings, action, reason, effects }) => {
    const d = decide(state, { type: 'scan', atMs: T, scan }, { ...S, ...settings });
    expect(d).toEqual({ action, reason, effects });
  });

  it('ends a forgotten clip at exactly the maximum length, decided the lead before it', () => {
    const st = recording([{ code: 'A1', kind: 'order' }]);
    const start = st.active!.startMs;
    const lead = { leadMs: 500, snap: (ms: number) => ms };
    expect(decide(st, { type: 'max-length', atMs: start + S.maxClipMs - 501 }, S, lead)).toEqual({ action: 'ignored', reason: 'not-expired', effects: [] });
    expect(decide(st, { type: 'max-length', atMs: start + S.maxClipMs - 500 }, S, lead)).toEqual({
      action: 'stopped',
      reason: 'max-length',
      effects: [{ type: 'end', id: 7, endMs: start + S.maxClipMs, status: 'closed', reason: 'max-length' }],
    });
    // A timer that fired late ends the clip where the codes can still change on its frame: the lead from now.
    expect(decide(st, { type: 'max-length', atMs: start + S.maxClipMs + 40 }, S, lead).effects).toEqual([{ type: 'end', id: 7, endMs: start + S.maxClipMs + 540, status: 'closed', reason: 'max-length' }]);
    expect(decide(idle, { type: 'max-length', atMs: T }, S).action).toBe('ignored');
  });

  describe('with the overlay lead: every boundary is where the burned-in codes can change on its very frame', () => {
    const lead = { leadMs: 500, snap: (ms: number) => Math.ceil(ms / 100) * 100 + 50 };
    const at = (state: MachineState, scan: Classified, over: Partial<typeof S> = {}) => decide(state, { type: 'scan', atMs: T, scan }, { ...S, ...over }, lead).effects;

    it('a switch ends the clip and starts the next at the same instant, the lead after the scan, between two frames', () => {
      expect(at(recording([{ code: 'A1', kind: 'order' }]), order('B2'))).toEqual([
        { type: 'end', id: 7, endMs: T + 550, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T + 550, mode: 'pack', code: 'B2', kind: 'order', atMs: T },
      ]);
    });

    it('PW-STOP keeps the post-roll, and a post-roll shorter than the lead becomes the lead', () => {
      expect(at(recording([{ code: 'A1', kind: 'order' }]), cmd('stop'))).toEqual([{ type: 'end', id: 7, endMs: T + 2_050, status: 'closed', reason: 'stop-code' }]);
      expect(at(recording([{ code: 'A1', kind: 'order' }]), cmd('stop'), { postRollMs: 0 })).toEqual([{ type: 'end', id: 7, endMs: T + 550, status: 'closed', reason: 'stop-code' }]);
    });

    it('PW-CANCEL ends the lead after the scan', () => {
      expect(at(recording([{ code: 'A1', kind: 'order' }]), cmd('cancel'))).toEqual([{ type: 'end', id: 7, endMs: T + 550, status: 'cancelled', reason: 'cancel-code' }]);
    });

    it('the pre-roll never reaches back into the last clip, whose frames carry its codes', () => {
      expect(at({ ...idle, lastEndMs: T - 1_000 }, order('C3'))).toEqual([{ type: 'start', startMs: T - 1_000, mode: 'pack', code: 'C3', kind: 'order', atMs: T }]);
      expect(at({ ...idle, lastEndMs: T - 10_000 }, order('C3'))).toEqual([{ type: 'start', startMs: T - 3_000, mode: 'pack', code: 'C3', kind: 'order', atMs: T }]);
      // Scanned during the last clip's post-roll: the clip starts where that one ends.
      expect(at({ ...idle, lastEndMs: T + 1_500 }, order('C3'))).toEqual([{ type: 'start', startMs: T + 1_500, mode: 'pack', code: 'C3', kind: 'order', atMs: T }]);
    });

    it('a clip that starts in the future ends no earlier than its start', () => {
      const future: MachineState = { mode: 'pack', active: { id: 9, startMs: T + 1_500, mode: 'pack', codes: [{ code: 'C3', kind: 'order' }] }, last: { code: 'C3', atMs: T - 3_000 } };
      expect(at(future, order('D4'))).toEqual([
        { type: 'end', id: 9, endMs: T + 1_500, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T + 1_500, mode: 'pack', code: 'D4', kind: 'order', atMs: T },
      ]);
    });
  });
});
