import { describe, expect, it } from 'vitest';
import { exifTimeToMs, findingsFrom } from '../../electron/station/claims/findings.js';
import { renderKnown } from '../../shared/messages/index.js';

const CLIP_START = Date.parse('2026-12-03T06:00:00.000Z');
const ctx = { clipStartMs: CLIP_START, localOffsetMinutes: () => 480 };
const kinds = (tags: Record<string, string>) => findingsFrom(tags, ctx).map((f) => f.kind);
const LABEL = '{"Label":"1","ContentProducer":"001191110108MA01KP2T5U00000","ProduceID":"abc","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}';

describe('claim photo metadata findings', () => {
  it('reads the GB 45438 label from every carrier real files use, with producer and ID in both languages', () => {
    for (const tags of <Array<Record<string, string>>>[
      { 'XMP-TC260:Aigc': LABEL },
      { 'XMP-TC260:Aigc': LABEL.replace(/"/g, '&quot;') },
      { 'PNG:AIGC': LABEL },
      { 'ExifIFD:UserComment': `{"AIGC":${LABEL}}` },
      { 'IFD0:ImageDescription': `{"AIGC":${JSON.stringify(LABEL)}}` },
      { 'Keys:AIGC': LABEL },
    ]) {
      const f = findingsFrom(tags, ctx).find((x) => x.kind === 'aigc-label');
      expect(f, JSON.stringify(tags)).toBeDefined();
      expect(f!.values).toMatchObject({ Label: '1', ContentProducer: '001191110108MA01KP2T5U00000', ProduceID: 'abc', carrier: Object.keys(tags)[0] });
      expect(f!.statement.en).toContain('Label 1 (AI-generated), producer 001191110108MA01KP2T5U00000, produce ID abc');
      expect(f!.statement['zh-CN']).toContain('人工智能生成');
    }
    expect(findingsFrom({ 'XMP-TC260:Aigc': LABEL.replace('"1"', '"3"') }, ctx)[0]!.statement.en).toContain('suspected');
  });

  it('says the same label once when ExifTool repeats it in a derived group, and ignores text that is not a label', () => {
    expect(kinds({ 'IFD0:ImageDescription': `{"AIGC":${LABEL}}`, 'MWG:Description': `{"AIGC":${LABEL}}` }).filter((k) => k === 'aigc-label')).toHaveLength(1);
    expect(kinds({ 'IFD0:ImageDescription': 'Label on the box, cracked' })).not.toContain('aigc-label');
    expect(kinds({ 'ExifIFD:UserComment': '{"Label":' })).not.toContain('aigc-label');
  });

  it('names IPTC AI source types, generator text chunks and the editing software as facts', () => {
    const f = findingsFrom(
      {
        'XMP-iptcExt:DigitalSourceType': 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
        'PNG:Parameters': 'a cracked mug, Steps: 20',
        'PNG:Workflow': '{}',
        'IFD0:Software': 'Adobe Photoshop 26.1',
        'XMP-x:XMPToolkit': 'Image::ExifTool 13.59',
      },
      ctx,
    );
    expect(f.map((x) => x.kind)).toEqual(['ai-source-type', 'generator-text', 'edited-by', 'no-camera-metadata']);
    expect(f[0]!.statement.en).toContain('compositeWithTrainedAlgorithmicMedia');
    expect(f[1]!.statement.en).toBe('The file holds text that image generators write (Parameters, Workflow).');
    expect(f[2]!.statement.en).toBe('The file was last written by software: Adobe Photoshop 26.1.');
    expect(kinds({ 'XMP-iptcExt:DigitalSourceType': 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' })).toEqual(['no-camera-metadata']);
  });

  it('gives camera and capture time, and a capture before the clip started, using the offset the file gives', () => {
    const f = findingsFrom({ 'IFD0:Make': 'Xiaomi', 'IFD0:Model': '23127PN0CC', 'ExifIFD:DateTimeOriginal': '2026:12:03 13:30:00', 'ExifIFD:OffsetTimeOriginal': '+08:00' }, ctx);
    expect(f.map((x) => x.kind)).toEqual(['camera', 'taken-at', 'taken-before-packing']);
    expect(f[1]!.values.utc).toBe('2026-12-03T05:30:00.000Z');
    expect(f[2]!.statement.en).toBe('The capture time in the file is 30 minutes before the packing clip starts (2026-12-03T06:00:00.000Z).');
    // The UI renders each finding from its message: the stored two-language statement, word for word.
    for (const x of f) for (const lng of ['en', 'zh-CN'] as const) expect(renderKnown(x.text!, lng)).toBe(x.statement[lng]);
    // After the clip: no "before packing" finding.
    expect(kinds({ 'ExifIFD:DateTimeOriginal': '2026:12:05 10:00:00+08:00' })).toEqual(['taken-at']);
  });

  it('reads a capture time without a zone in the station zone and says so', () => {
    const f = findingsFrom({ 'ExifIFD:DateTimeOriginal': '2026:12:03 14:30:00' }, ctx);
    expect(f.map((x) => x.kind)).toEqual(['taken-at']);
    expect(f[0]!.values.utc).toBe('2026-12-03T06:30:00.000Z');
    expect(f[0]!.statement.en).toContain('no time zone in the file');
  });

  it('says plainly that missing camera metadata proves nothing alone', () => {
    const f = findingsFrom({ 'File:FileType': 'JPEG' }, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.kind).toBe('no-camera-metadata');
    expect(f[0]!.statement.en).toMatch(/proves nothing/);
    expect(f[0]!.statement['zh-CN']).toMatch(/不能说明/);
  });

  it('parses ExifTool date text with Z, offsets and fractions, and refuses junk', () => {
    expect(exifTimeToMs('2026:01:02 03:04:05Z', undefined, () => 0)).toEqual({ ms: Date.parse('2026-01-02T03:04:05Z'), zoned: true });
    expect(exifTimeToMs('2026:01:02 03:04:05.250-05:00', undefined, () => 0)!.ms).toBe(Date.parse('2026-01-02T08:04:05.250Z'));
    expect(exifTimeToMs('0000:00:00 00:00:00', undefined, () => 0)).toBeNull();
    expect(exifTimeToMs('yesterday', undefined, () => 0)).toBeNull();
  });
});
