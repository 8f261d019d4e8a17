import { describe, expect, it } from 'vitest';
import { Classifier } from '../../electron/station/scans/classifier.js';
import { decide, maxClipMsFor, type MachineState } from '../../electron/station/scans/clip-state-machine.js';
import { scanMessage } from '../../electron/station/scans/messages.js';
import { DEFAULT_SCAN_SETTINGS, ScanSettingsError, validateScanSettings } from '../../electron/station/scans/scan-settings.js';

const S = DEFAULT_SCAN_SETTINGS;
const T = 1_000_000;

describe('hand-over mode: the PW-SHIP command code', () => {
  const c = new Classifier(S);

  it.each(['PW-SHIP', 'pw-ship', ' PW-SHIP\r\n', ']C1PW-SHIP'])('%j is the ship command', (raw) => {
    expect(c.classify(raw)).toMatchObject({ kind: 'command', command: 'ship' });
  });

  it('is configurable like the other command codes, and the old code then means nothing', () => {
    const custom = new Classifier(validateScanSettings({ ...S, commands: { ...S.commands, ship: 'FAHUO-GO' } }));
    expect(custom.classify('FAHUO-GO')).toMatchObject({ kind: 'command', command: 'ship' });
    expect(custom.classify('PW-SHIP')).toMatchObject({ kind: 'invalid', reason: 'unknown-command' });
  });

  it('keeps settings saved before hand-over existed: PW-SHIP, not the dispatch point, 30 s hand-over clips', () => {
    const { dispatchPoint: _d, handoverClipMs: _h, ...older } = S;
    const { ship: _s, ...olderCommands } = S.commands;
    const parsed = validateScanSettings({ ...older, commands: olderCommands, maxClipMs: 120_000 });
    expect(parsed.commands.ship).toBe('PW-SHIP');
    expect(parsed.dispatchPoint).toBe(false);
    expect(parsed.handoverClipMs).toBe(30_000);
    expect(parsed.maxClipMs).toBe(120_000);
  });

  it('refuses a ship code equal to another command, and a hand-over length out of range, in one sentence', () => {
    expect(() => validateScanSettings({ ...S, commands: { ...S.commands, ship: 'pw-stop' } })).toThrow(ScanSettingsError);
    expect(() => validateScanSettings({ ...S, handoverClipMs: 1_000 })).toThrow(/handoverClipMs/);
    expect(() => validateScanSettings({ ...S, dispatchPoint: 'yes' })).toThrow(/dispatchPoint/);
  });
});

describe('hand-over mode in the clip state machine', () => {
  const idle: MachineState = { mode: 'pack', active: null, last: null };

  it('PW-SHIP switches the mode without touching a clip, and the next waybill starts a hand-over clip', () => {
    const ship = c('ship');
    expect(decide(idle, { type: 'scan', atMs: T, scan: ship }, S)).toEqual({ action: 'mode', reason: 'mode-set', effects: [{ type: 'mode', mode: 'ship' }] });
    const d = decide({ ...idle, mode: 'ship' }, { type: 'scan', atMs: T, scan: { kind: 'waybill', code: 'SF1234567890123', rule: 'r' } }, S);
    expect(d.effects).toEqual([{ type: 'start', startMs: T - S.preRollMs, mode: 'ship', code: 'SF1234567890123', kind: 'waybill', atMs: T }]);
  });

  it('ends a hand-over clip at the hand-over length, a packing clip only at the maximum', () => {
    const running = (mode: 'pack' | 'ship'): MachineState => ({ mode, active: { id: 7, startMs: T, mode, codes: [{ code: 'SF1', kind: 'waybill' }] }, last: null });
    expect(decide(running('ship'), { type: 'max-length', atMs: T + 29_999 }, S).action).toBe('ignored');
    expect(decide(running('ship'), { type: 'max-length', atMs: T + 30_000 }, S)).toEqual({
      action: 'stopped',
      reason: 'max-length',
      effects: [{ type: 'end', id: 7, endMs: T + 30_000, status: 'closed', reason: 'max-length' }],
    });
    expect(decide(running('pack'), { type: 'max-length', atMs: T + 30_000 }, S).action).toBe('ignored');
    expect(maxClipMsFor('pack', S)).toBe(S.maxClipMs);
    // A maximum shorter than the hand-over length still wins.
    expect(maxClipMsFor('ship', { ...S, maxClipMs: 20_000 })).toBe(20_000);
  });

  it('says the mode in both languages', () => {
    expect(scanMessage('mode-set', 'PW-SHIP', 'ship')).toEqual({ 'zh-CN': '已切换为发货交接模式', en: 'Mode: hand-over' });
  });
});

function c(command: 'ship'): { kind: 'command'; code: string; command: 'ship' } {
  return { kind: 'command', code: 'PW-SHIP', command };
}
