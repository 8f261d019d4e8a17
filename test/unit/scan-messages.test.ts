import { describe, expect, it } from 'vitest';
import { clipLength, scanMessage } from '../../electron/station/scans/messages.js';

describe('what the station says when a clip stops', () => {
  it('names the order and the clip’s length, in both languages', () => {
    expect(scanMessage('stop-code', 'PW-STOP', 'pack', { codes: ['SF1234567890', 'YT99'], lengthMs: 65_400 })).toEqual({
      'zh-CN': '录制结束：SF1234567890 YT99，时长 1 分 05 秒',
      en: 'Clip stopped: SF1234567890 YT99, 1 min 05 s',
    });
    expect(scanMessage('repeat-scan', 'SF1', 'pack', { codes: ['SF1'], lengthMs: 42_000 })).toEqual({ 'zh-CN': '再次扫描 SF1，录制结束，时长 42 秒', en: 'SF1 scanned again: clip stopped, 42 s' });
    expect(scanMessage('max-length', '', 'pack', { codes: ['A1'], lengthMs: 3_600_000 }).en).toBe('Maximum clip length reached: clip stopped: A1, 1 h 00 min');
    // Nothing known about the clip: the short sentence.
    expect(scanMessage('stop-code', 'PW-STOP', 'pack')).toEqual({ 'zh-CN': '录制结束', en: 'Clip stopped' });
  });

  it('words lengths in whole seconds, minutes and hours', () => {
    expect(clipLength(0)).toEqual({ 'zh-CN': '0 秒', en: '0 s' });
    expect(clipLength(59_499)).toEqual({ 'zh-CN': '59 秒', en: '59 s' });
    expect(clipLength(59_500)).toEqual({ 'zh-CN': '1 分 00 秒', en: '1 min 00 s' });
    expect(clipLength(7_384_000)).toEqual({ 'zh-CN': '2 小时 03 分', en: '2 h 03 min' });
  });
});
