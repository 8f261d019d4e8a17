import { describe, expect, it } from 'vitest';
import type { Claim, ClaimFinding } from '../../shared/api.js';
import { appealText, clipPosition, type AppealClip } from '../../shared/appeal-text.js';
import { bySeverity, findingSeverity } from '../../shared/claim-severity.js';

const SHA_CLIP = 'a'.repeat(64);
const SHA_PHOTO = 'b'.repeat(64);

const clip: AppealClip = {
  id: 7,
  station: 'Bench 2',
  codeDetails: [
    { code: '123456789012345678', kind: 'order', scannedAt: '2026-12-05T05:20:01.000Z' },
    { code: 'SF3141592653589', kind: 'waybill', scannedAt: '2026-12-05T05:20:03.000Z' },
  ],
  startedAt: '2026-12-05T05:20:00.000Z',
  endedAt: '2026-12-05T05:20:42.000Z',
  video: { bytes: 1000, sha256: SHA_CLIP, durationMs: 42_000, fps: 15 },
  gaps: [],
};

const finding = (kind: ClaimFinding['kind'], en: string, zh: string): ClaimFinding => ({ kind, statement: { en, 'zh-CN': zh }, values: {} });
const NO_CAMERA = finding('no-camera-metadata', 'The file carries no camera make, model or capture time.', '文件中没有拍摄设备型号和拍摄时间。');
const AI = finding(
  'aigc-label',
  'The file carries a GB 45438-2025 AI-content label in XMP-TC260:Aigc: Label 1 (AI-generated), producer 0011\u202eXYZ, produce ID IMG-42.',
  '文件在 XMP-TC260:Aigc 中带有 GB 45438-2025 人工智能生成内容隐式标识：Label 1（人工智能生成），生成服务提供者 0011\u202eXYZ，内容制作编号 IMG-42。',
);
const EDITED = finding('edited-by', 'The file was last written by software: Photoshop.', '文件最后由以下软件写入：Photoshop。');

const claim = (files: Claim['files']): Claim => ({
  id: 3,
  clipId: 7,
  createdAt: '2026-12-06T01:00:00.000Z',
  actor: 'cs',
  platform: '淘宝',
  claimNumber: 'TB-778812',
  buyerWords: '杯子碎了',
  files,
});

const photo = (position: number, findings: ClaimFinding[], matches: Claim['files'][number]['matches'], originalName = `IMG_${position}.jpg`): Claim['files'][number] => ({
  position,
  kind: 'photo',
  originalName,
  bytes: 10,
  sha256: SHA_PHOTO,
  format: 'jpeg',
  width: 100,
  height: 100,
  hasPreview: true,
  findings,
  barcodes: [],
  matches,
});

describe('the appeal text states the clip, the findings and the moments, in the language asked', () => {
  const c = claim([photo(1, [NO_CAMERA, EDITED, AI], [{ atSeconds: 12.44, score: 80 }, { atSeconds: 30, score: 20 }]), photo(2, [NO_CAMERA], [], 'a\u202egpj.exe')]);

  it('in Chinese: codes, station, packing time in the station zone, clip hash, AI label first, matched moments with their clock time', () => {
    const { text, chars, shortened } = appealText({ lang: 'zh-CN', clip, claim: c, utcOffsetMinutes: 480 });
    expect(shortened).toBe(false);
    expect(chars).toBe([...text].length);
    expect(text.split('\n')[0]).toBe('申诉说明（平台：淘宝，售后单号：TB-778812）');
    expect(text).toContain('订单号 123456789012345678，运单号 SF3141592653589 的包裹在打包工位“Bench 2”全程录像，录像时间 2026-12-05 13:20:00 至 2026-12-05 13:20:42（UTC+08:00），时长 42 秒。');
    expect(text).toContain('录像连续，无中断。');
    expect(text).toContain(`录像文件 SHA-256：${SHA_CLIP}`);
    const lines = text.split('\n');
    const p1 = lines.indexOf('照片 1（IMG_1.jpg）：');
    expect(p1).toBeGreaterThan(0);
    // Strongest first: the AI label, then the editor, then the absence of metadata.
    expect(lines[p1 + 2]).toMatch(/^ {2}- 文件在 XMP-TC260:Aigc 中带有 GB 45438-2025/);
    expect(lines[p1 + 3]).toBe('  - 文件最后由以下软件写入：Photoshop。');
    expect(lines[p1 + 4]).toBe('  - 文件中没有拍摄设备型号和拍摄时间。');
    expect(lines[p1 + 5]).toBe('  - 打包录像中与该照片最相似的画面：第 0:12.4 处（画面时间 13:20:12）；第 0:30.0 处（画面时间 13:20:30）（画面中叠加有录像时间和单号水印，可逐帧核对）。');
    expect(text).toContain('  - 未在打包录像中找到与该照片相似的画面。');
    // Text from files cannot reorder what the reviewer reads.
    expect(text).not.toMatch(/[\u202a-\u202e]/);
    expect(text).toContain('生成服务提供者 0011XYZ');
    expect(text).toContain('照片 2（agpj.exe）：');
    // Never the buyer's words, never a verdict.
    expect(text).not.toContain('杯子碎了');
    expect(text).not.toMatch(/伪造|欺诈|fake|fraud/i);
  });

  it('in English, with a gap said plainly and no title suffix when neither platform nor claim number is known', () => {
    const gappy: AppealClip = { ...clip, gaps: [{ id: 1, camera: 'usb', startedAt: '2026-12-05T05:20:10.000Z', endedAt: '2026-12-05T05:20:12.000Z', reason: 'camera lost' }] };
    const { text } = appealText({ lang: 'en', clip: gappy, claim: { ...c, platform: null, claimNumber: null }, utcOffsetMinutes: -300 });
    expect(text.split('\n')[0]).toBe('Appeal statement');
    expect(text).toContain('The parcel of order 123456789012345678, waybill SF3141592653589 was filmed throughout its packing at the packing station "Bench 2", from 2026-12-05 00:20:00 to 2026-12-05 00:20:42 (UTC-05:00), 42 s.');
    expect(text).toContain('The recording has 1 gap(s) where the camera recorded nothing');
    expect(text).not.toContain('continuous');
    expect(text).toContain('0:12.4 into the video (clock 00:20:12); 0:30.0 into the video (clock 00:20:30)');
    expect(text.indexOf('GB 45438-2025')).toBeLessThan(text.indexOf('Photoshop'));
  });

  it('shortened to a form limit: drops the lines that say least first, keeps the AI label and the moments, counts characters as people do', () => {
    const full = appealText({ lang: 'zh-CN', clip, claim: c, utcOffsetMinutes: 480 });
    const max = full.chars - 40;
    const short = appealText({ lang: 'zh-CN', clip, claim: c, utcOffsetMinutes: 480, maxChars: max });
    expect(short.shortened).toBe(true);
    expect(short.chars).toBeLessThanOrEqual(max);
    expect(short.chars).toBe([...short.text].length);
    expect(short.text).not.toContain('文件中没有拍摄设备型号和拍摄时间');
    expect(short.text).toContain('GB 45438-2025');
    expect(short.text).toContain('第 0:12.4 处');
    expect(short.text).toContain('Photoshop');

    // Tight: only what the appeal rests on survives, and the text still ends at a line, marked "…" if cut.
    const tight = appealText({ lang: 'zh-CN', clip, claim: c, utcOffsetMinutes: 480, maxChars: 200 });
    expect(tight.chars).toBeLessThanOrEqual(200);
    expect(tight.text.startsWith('申诉说明（平台：淘宝，售后单号：TB-778812）')).toBe(true);
    expect(tight.text).not.toContain('Photoshop');
    expect(tight.text).not.toContain(SHA_PHOTO);
  });

  it('weighs findings: labels and generator text are AI, editing and an early capture are notices, absence is neutral', () => {
    expect(findingSeverity('aigc-label')).toBe('ai');
    expect(findingSeverity('generator-text')).toBe('ai');
    expect(findingSeverity('ai-source-type')).toBe('ai');
    expect(findingSeverity('taken-before-packing')).toBe('notice');
    expect(findingSeverity('edited-by')).toBe('notice');
    expect(findingSeverity('camera')).toBe('info');
    expect(findingSeverity('no-camera-metadata')).toBe('neutral');
    expect(bySeverity([NO_CAMERA, EDITED, AI]).map((f) => f.kind)).toEqual(['aigc-label', 'edited-by', 'no-camera-metadata']);
    expect(clipPosition(75.25)).toBe('1:15.3');
    expect(clipPosition(3)).toBe('0:03.0');
  });
});
