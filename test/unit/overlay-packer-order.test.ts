/**
 * The burned-in overlay names who packs and which order: the station line carries the signed-in
 * packer's name and badge, the codes line the clip's imported order number (when a waybill found
 * it). Both come from outside (a name typed in the settings, an order number from a shop's file) and
 * are escaped as the overlay escapes scanned codes.
 */
import { describe, expect, it } from 'vitest';
import { clipOverlayCodes, codesCommand, codesGraphValue, codesLine, overlayText, packerLabel } from '../../electron/station/recorder/overlay.js';

describe('the station line names the packer signed in', () => {
  it('station, operator, then the packer by name and badge; a badge without a name by its code', () => {
    expect(overlayText({ station: '一号台', operator: '李四', packer: { code: 'PK-WANG', name: '王小明' } })).toBe('一号台  ·  李四  ·  打包员 王小明 (PK-WANG)');
    expect(overlayText({ station: '一号台', packer: { code: 'PK-9', name: 'PK-9' } })).toBe('一号台  ·  打包员 PK-9');
    expect(overlayText({ station: '一号台', operator: '李四', packer: null })).toBe('一号台  ·  李四');
    expect(packerLabel({ code: 'PK-1', name: 'Ann' })).toBe('打包员 Ann (PK-1)');
  });

  it('stays one line: control and line-break characters become spaces, and a long station name does not push the packer off', () => {
    const text = overlayText({ station: 'S'.repeat(300), operator: 'op\nerator', packer: { code: 'PK-1', name: 'Ann\u2028%{localtime}\r' } });
    expect(text).not.toMatch(/[\n\r\u2028]/);
    expect(text.endsWith('  ·  打包员 Ann %{localtime}  (PK-1)')).toBe(true);
    expect(text).toContain('op erator');
  });
});

describe('the codes line adds the order a waybill found', () => {
  it('a waybill linked to an order shows the order number after the codes; a scanned order number is not repeated', () => {
    expect(clipOverlayCodes(['SF3141592653589'], '260101-555')).toEqual(['SF3141592653589', '订单 260101-555']);
    expect(clipOverlayCodes(['260101555', 'SF3141592653589'], '260101-555')).toEqual(['260101555', 'SF3141592653589']);
    expect(clipOverlayCodes(['SF3141592653589'], null)).toEqual(['SF3141592653589']);
    expect(codesLine(clipOverlayCodes(['SF1'], 'A-1'))).toBe('SF1  订单 A-1');
  });

  it('a hostile order number from a shop file cannot break out of the command or the filter graph', () => {
    const line = codesLine(clipOverlayCodes(['SF1'], "X'\n:reinit text=pwned;[out]\\"));
    expect(line).not.toContain('\n');
    // On stdin: one line, every quote, colon and backslash escaped for the option parser.
    const cmd = codesCommand(1.5, line);
    expect(cmd.split('\n')).toEqual([expect.any(String), '']);
    expect(cmd).toContain("X\\' \\:reinit text=pwned;[out]\\\\");
    // In the graph: escaped twice, and the graph's own separators escaped too.
    expect(codesGraphValue(line)).toContain('\\;\\[out\\]');
  });
});
