import { describe, expect, it } from 'vitest';
import { decide, isIdle, type MachineState } from '../../electron/station/scans/clip-state-machine.js';
import { DEFAULT_SCAN_SETTINGS, validateScanSettings } from '../../electron/station/scans/scan-settings.js';

const T = 10_000_000;
const S = { ...DEFAULT_SCAN_SETTINGS, idleStopMs: 60_000 }; // post-roll 2 s
const open: MachineState = { mode: 'pack', active: { id: 7, startMs: T - 120_000, mode: 'pack', codes: [{ code: 'SF1', kind: 'waybill' }] }, last: { code: 'SF1', atMs: T - 117_000 } };
const lead = { leadMs: 500, snap: (ms: number) => ms };

describe('the idle stop', () => {
  it('ends the open clip at its last activity (plus the post-roll) once the bench was idle for the set time', () => {
    const lastActivityMs = T - 60_000;
    expect(decide(open, { type: 'idle', atMs: T, lastActivityMs }, S, lead)).toEqual({
      action: 'stopped',
      reason: 'idle',
      // The empty minute is not on the clip; the codes on screen change at the decision's boundary.
      effects: [{ type: 'end', id: 7, endMs: lastActivityMs + 2_000, status: 'closed', reason: 'idle', codesClearMs: T + 500 }],
    });
  });

  it('waits the whole idle time', () => {
    expect(decide(open, { type: 'idle', atMs: T, lastActivityMs: T - 59_999 }, S, lead)).toEqual({ action: 'ignored', reason: 'not-idle', effects: [] });
    expect(isIdle(T, T - 59_999, S)).toBe(false);
    expect(isIdle(T, T - 60_000, S)).toBe(true);
  });

  it('does nothing when turned off or when no clip is open', () => {
    expect(decide(open, { type: 'idle', atMs: T, lastActivityMs: T - 3_600_000 }, { ...S, idleStopMs: 0 }, lead).action).toBe('ignored');
    expect(isIdle(T, T - 3_600_000, { idleStopMs: 0 })).toBe(false);
    expect(decide({ ...open, active: null }, { type: 'idle', atMs: T, lastActivityMs: T - 3_600_000 }, S, lead).action).toBe('ignored');
  });

  it('never ends a clip before it started, nor after the decision', () => {
    // A clip started (after the previous one's post-roll) later than the last activity seen.
    const late: MachineState = { ...open, active: { ...open.active!, startMs: T - 50_000 } };
    expect(decide(late, { type: 'idle', atMs: T, lastActivityMs: T - 70_000 }, S, lead).effects[0]).toMatchObject({ endMs: T - 50_000 });
    // A post-roll longer than the idle time: the end is the decision's boundary, not later.
    const short = { ...S, idleStopMs: 3_000, postRollMs: 5_000 };
    expect(decide(open, { type: 'idle', atMs: T, lastActivityMs: T - 3_000 }, short, lead).effects[0]).toMatchObject({ endMs: T + 500, codesClearMs: T + 500 });
  });

  it('is a setting: 5 minutes by default, 0 turns it off, and settings saved before it existed get the default', () => {
    expect(DEFAULT_SCAN_SETTINGS.idleStopMs).toBe(300_000);
    expect(DEFAULT_SCAN_SETTINGS.idleStopMs).toBeLessThan(DEFAULT_SCAN_SETTINGS.maxClipMs);
    const { idleStopMs: _, ...saved } = DEFAULT_SCAN_SETTINGS;
    expect(validateScanSettings(saved).idleStopMs).toBe(300_000);
    expect(validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, idleStopMs: 0 }).idleStopMs).toBe(0);
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, idleStopMs: 1_000 })).toThrow(/idle stop is 0 \(off\) or at least 3 seconds/);
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, idleStopMs: 5 * 3600_000 })).toThrow(/idleStopMs/);
  });
});
