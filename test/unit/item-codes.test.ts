import { describe, expect, it } from 'vitest';
import { Classifier, type Classified } from '../../electron/station/scans/classifier.js';
import { decide, shownCodes, type MachineState } from '../../electron/station/scans/clip-state-machine.js';
import { hasValidGs1CheckDigit } from '../../electron/station/scans/gs1-check-digit.js';
import { scanMessage } from '../../electron/station/scans/messages.js';
import { DEFAULT_SCAN_SETTINGS, validateScanSettings, withProductRules } from '../../electron/station/scans/scan-settings.js';

const c = new Classifier(DEFAULT_SCAN_SETTINGS);

describe('the GS1 check digit', () => {
  it.each([
    ['6921168509256', true], // Nongfu Spring 550 ml, GS1 China
    ['6921168509257', false],
    ['4006381333931', true], // EAN-13 from Germany
    ['036000291452', true], // UPC-A
    ['036000291453', false],
    ['96385074', true], // EAN-8
    ['96385075', false],
    ['10614141000415', true], // ITF-14 / GTIN-14
    ['10614141000416', false],
    ['9787111213826', true], // ISBN as EAN-13
  ])('%s → %s', (code, valid) => {
    expect(hasValidGs1CheckDigit(code)).toBe(valid);
  });

  it('is false for lengths no GTIN has and for anything but digits', () => {
    expect(hasValidGs1CheckDigit('1234567')).toBe(false); // 7 digits
    // A leading zero makes an EAN-13 the same GTIN-14, which checks; 15 digits is no GTIN.
    expect(hasValidGs1CheckDigit('06921168509256')).toBe(true);
    expect(hasValidGs1CheckDigit('006921168509256')).toBe(false);
    expect(hasValidGs1CheckDigit('692116850925X')).toBe(false);
    expect(hasValidGs1CheckDigit('')).toBe(false);
  });
});

describe('the default rules tell products and label QR codes from orders and waybills', () => {
  it.each([
    // Products: the check digit is valid and the prefix is a product's.
    ['6921168509256', 'item', 'product EAN-13 (China 690-699)'],
    ['6901234567892', 'item', 'product EAN-13 (China 690-699)'],
    ['9787111213826', 'item', 'book ISBN (EAN-13 978/979)'],
    ['036000291452', 'item', 'product UPC-A'],
    ['012345678905', 'item', 'product UPC-A'],
    ['69012341', 'item', 'product EAN-8 (China 69)'],
    // The same lengths without a valid check digit keep their order and waybill rules.
    ['6921168509257', 'waybill', 'ZTO / STO / Yunda / AWB'],
    ['036000291453', 'order', 'JD order'],
    ['69012342', 'order', 'other order number'],
    // A JD 12-digit order starting 2-9 is an order even when its last digit happens to check.
    ['301234567896', 'order', 'JD order'],
    ['301234567890', 'order', 'JD order'],
    // A 13-digit waybill outside the product prefixes stays a waybill, check digit or not.
    ['7731234567894', 'waybill', 'ZTO / STO / Yunda / AWB'],
    ['4312345678901', 'waybill', 'ZTO / STO / Yunda / AWB'],
    // Courier waybills.
    ['SF1234567890123', 'waybill', 'SF Express'],
    ['SF123456789012', 'waybill', 'SF Express'],
    ['73123456789012', 'waybill', 'ZTO / STO / Yunda / AWB'],
    ['YT1234567890123', 'waybill', 'YTO'],
    ['JDVA12345678901', 'waybill', 'JD Logistics'],
    ['JD0012345678901', 'waybill', 'JD Logistics'],
    // Label QR codes.
    ['https://www.zto.com/?num=73123456789012', 'ignore', 'url (QR code)'],
    ['HTTP://M.TB.CN/H.5X2Y', 'ignore', 'url (QR code)'],
    ['weixin://dl/business/?t=abc', 'ignore', 'url (QR code)'],
    ['www.sf-express.com/waybill/SF1234567890123', 'ignore', 'url (QR code)'],
    ['{"mailNo":"SF1234567890123","cpCode":"SF"}', 'ignore', 'label QR (structured data)'],
    ['SF1234567890123|广东省深圳市|138****0000', 'ignore', 'label QR (structured data)'],
    ['mailno=73123456789012&cp=ZTO', 'ignore', 'label QR (structured data)'],
    ['A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q7R8S9T0U1', 'ignore', 'label QR (long payload)'],
  ])('%s is a %s (%s)', (code, kind, rule) => {
    expect(c.classify(code)).toEqual({ kind, code, rule });
  });

  it('still rejects text that is nothing at all', () => {
    expect(c.classify('hello world')).toMatchObject({ kind: 'invalid', reason: 'no-rule' });
  });

  it('a rule with the check applies to GTIN lengths only: an operator rule for Japanese products', () => {
    const settings = validateScanSettings({
      ...DEFAULT_SCAN_SETTINGS,
      rules: [{ name: 'Japan EAN-13', kind: 'item', pattern: '^4[59]\\d{11}$', check: 'gs1' }, ...DEFAULT_SCAN_SETTINGS.rules],
    });
    const jp = new Classifier(settings);
    expect(jp.classify('4902102072625')).toEqual({ kind: 'item', code: '4902102072625', rule: 'Japan EAN-13' });
    expect(jp.classify('4902102072626')).toMatchObject({ kind: 'waybill' });
  });

  it('settings saved before the product rules still parse, starting clips on orders', () => {
    const { startOn: _, ...old } = DEFAULT_SCAN_SETTINGS;
    expect(validateScanSettings(old).startOn).toBe('order');
    expect(() => validateScanSettings({ ...DEFAULT_SCAN_SETTINGS, rules: [{ name: 'x', kind: 'item', pattern: '^1$', check: 'luhn' }] })).toThrow();
  });
});

const T = 1_000_000;
const S = DEFAULT_SCAN_SETTINGS;
const SKU_FIRST = { ...S, startOn: 'item' as const };
const item = (code: string): Classified => ({ kind: 'item', code, rule: 'r' });
const waybill = (code: string): Classified => ({ kind: 'waybill', code, rule: 'r' });
const order = (code: string): Classified => ({ kind: 'order', code, rule: 'r' });
const idle: MachineState = { mode: 'pack', active: null, last: null };
const recording = (codes: Array<{ code: string; kind: 'order' | 'waybill' | 'item' }>): MachineState => ({
  mode: 'pack',
  active: { id: 7, startMs: T - 13_000, mode: 'pack', codes },
  last: { code: codes.at(-1)!.code, atMs: T - 10_000 },
});

describe('product codes in the clip state machine', () => {
  const cases: Array<{ name: string; state: MachineState; scan: Classified; settings?: typeof S; action: string; reason: string; effects: unknown[] }> = [
    {
      name: 'a product code while a clip runs is attached to it as an item',
      state: recording([{ code: 'SF1', kind: 'waybill' }]), scan: item('6921168509256'), action: 'attached', reason: 'item-attached',
      effects: [{ type: 'attach', id: 7, code: '6921168509256', kind: 'item', atMs: T }],
    },
    {
      name: 'a product code with no clip open is ignored, never starting one',
      state: idle, scan: item('6921168509256'), action: 'ignored', reason: 'item-no-clip', effects: [],
    },
    {
      name: 'a second unit of the same product keeps the clip going, even when a repeated label stops it',
      state: recording([{ code: 'SF1', kind: 'waybill' }, { code: '6921168509256', kind: 'item' }]), scan: item('6921168509256'), settings: { ...S, repeatScan: 'stop' },
      action: 'ignored', reason: 'already-on-clip', effects: [],
    },
    {
      name: 'SKU-first: a product code with no clip open starts one, with pre-roll',
      state: idle, scan: item('6921168509256'), settings: SKU_FIRST, action: 'started', reason: 'item-started',
      effects: [{ type: 'start', startMs: T - 3_000, mode: 'pack', code: '6921168509256', kind: 'item', atMs: T }],
    },
    {
      name: 'SKU-first: more products join the clip started on a product',
      state: recording([{ code: '6921168509256', kind: 'item' }]), scan: item('6901234567892'), settings: SKU_FIRST, action: 'attached', reason: 'item-attached',
      effects: [{ type: 'attach', id: 7, code: '6901234567892', kind: 'item', atMs: T }],
    },
    {
      name: 'SKU-first: the waybill scanned at the end files the clip under it',
      state: recording([{ code: '6921168509256', kind: 'item' }]), scan: waybill('SF1'), settings: SKU_FIRST, action: 'attached', reason: 'filed-under',
      effects: [{ type: 'attach', id: 7, code: 'SF1', kind: 'waybill', atMs: T }],
    },
    {
      name: 'SKU-first: an order number files it too, even with waybills not attached',
      state: recording([{ code: '6921168509256', kind: 'item' }]), scan: order('A1'), settings: { ...SKU_FIRST, attachWaybill: false }, action: 'attached', reason: 'filed-under',
      effects: [{ type: 'attach', id: 7, code: 'A1', kind: 'order', atMs: T }],
    },
    {
      name: 'SKU-first: once filed, the next product code is the next parcel',
      state: recording([{ code: '6921168509256', kind: 'item' }, { code: 'SF1', kind: 'waybill' }]), scan: item('6901234567892'), settings: SKU_FIRST, action: 'switched', reason: 'next-scan',
      effects: [
        { type: 'end', id: 7, endMs: T, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T, mode: 'pack', code: '6901234567892', kind: 'item', atMs: T },
      ],
    },
    {
      name: 'SKU-first: a waybill with no clip open still starts one (a parcel packed the usual way)',
      state: idle, scan: waybill('SF1'), settings: SKU_FIRST, action: 'started', reason: 'first-scan',
      effects: [{ type: 'start', startMs: T - 3_000, mode: 'pack', code: 'SF1', kind: 'waybill', atMs: T }],
    },
    {
      name: 'by default, the products scanned do not change what a second waybill means: the next parcel',
      state: recording([{ code: 'SF1', kind: 'waybill' }, { code: '6921168509256', kind: 'item' }]), scan: waybill('SF2'), action: 'switched', reason: 'next-scan',
      effects: [
        { type: 'end', id: 7, endMs: T, status: 'closed', reason: 'next-scan' },
        { type: 'start', startMs: T, mode: 'pack', code: 'SF2', kind: 'waybill', atMs: T },
      ],
    },
  ];
  it.each(cases)('$name', ({ state, scan, settings, action, reason, effects }) => {
    expect(decide(state, { type: 'scan', atMs: T, scan }, settings ?? S)).toEqual({ action, reason, effects });
  });

  it('a clip is shown by its numbers, or by its products until it has one', () => {
    expect(shownCodes([{ code: '6921168509256', kind: 'item' }])).toEqual(['6921168509256']);
    expect(shownCodes([{ code: '6921168509256', kind: 'item' }, { code: 'SF1', kind: 'waybill' }, { code: '6901234567892', kind: 'item' }])).toEqual(['SF1']);
    expect(shownCodes([])).toEqual([]);
  });

  it('says what happened in both languages', () => {
    expect(scanMessage('item-no-clip', '6921168509256', 'pack')).toEqual({
      'zh-CN': '6921168509256 是商品条码，不是订单号或运单号：未开始录制',
      en: '6921168509256 is a product code, not an order or waybill: nothing is recording',
    });
    expect(scanMessage('filed-under', 'SF1', 'pack').en).toBe('Clip filed under SF1');
    expect(scanMessage('item-attached', '6921168509256', 'pack')['zh-CN']).toBe('商品 6921168509256 已记入当前订单');
  });
});

describe('product rules for settings saved before them', () => {
  // The default list as stations saved it before product codes existed.
  const before = { ...DEFAULT_SCAN_SETTINGS, rules: DEFAULT_SCAN_SETTINGS.rules.filter((r) => r.kind !== 'item') };

  it('go just before the first rule that took a product code, so an EAN stops being an order or waybill', () => {
    expect(new Classifier(before).classify('6921168509256')).toMatchObject({ kind: 'waybill' });
    const after = withProductRules(before)!;
    const names = after.rules.map((r) => r.name);
    expect(names.indexOf('product EAN-13 (China 690-699)')).toBe(names.indexOf('ZTO / STO / Yunda / AWB') - 4);
    expect(names.indexOf('Taobao / Tmall order')).toBeLessThan(names.indexOf('product EAN-13 (China 690-699)'));
    const c2 = new Classifier(validateScanSettings(after));
    expect(c2.classify('6921168509256')).toMatchObject({ kind: 'item' });
    expect(c2.classify('036000291452')).toMatchObject({ kind: 'item' });
    expect(c2.classify('301234567896')).toMatchObject({ kind: 'order', rule: 'JD order' });
  });

  it('go at the end of a list that took no product code, and are not added twice', () => {
    const own = { ...DEFAULT_SCAN_SETTINGS, rules: [{ name: 'SF only', kind: 'waybill' as const, pattern: '^SF\\d{12,13}$' }] };
    expect(withProductRules(own)!.rules.map((r) => r.kind)).toEqual(['waybill', 'item', 'item', 'item', 'item']);
    expect(withProductRules(DEFAULT_SCAN_SETTINGS)).toBeNull();
  });
});
