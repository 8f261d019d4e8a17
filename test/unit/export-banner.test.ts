/**
 * The strip burned under an exported video's picture: its words come from the message catalogue in the
 * export's language, the same words as before they moved there.
 */
import { describe, expect, it } from 'vitest';
import type { Clip } from '../../shared/api.js';
import { bannerLines, localRange } from '../../electron/station/export/clip-export.js';
import { msg, render } from '../../shared/messages/index.js';

const clip = (over: Partial<Clip>): Clip =>
  ({ id: 42, codes: ['SF1234567890'], station: '一号台', mode: 'pack', startedAt: '2026-11-23T02:00:00.000Z', endedAt: '2026-11-23T02:01:30.000Z', video: { sha256: 'ab'.repeat(32) }, ...over }) as Clip;

describe('the export banner', () => {
  it('says the clip in Chinese and in English', () => {
    const range = localRange('2026-11-23T02:00:00.000Z', '2026-11-23T02:01:30.000Z');
    expect(bannerLines(clip({}), 'zh-CN')).toEqual(['SF1234567890', `一号台  ·  打包  ·  ${range}`, `片段 42  ·  SHA-256 ${'ab'.repeat(8)}…  ·  PackWitness`]);
    expect(bannerLines(clip({ mode: 'return' }), 'en')).toEqual(['SF1234567890', `一号台  ·  return unboxing  ·  ${range}`, `clip 42  ·  SHA-256 ${'ab'.repeat(8)}…  ·  PackWitness`]);
  });

  it('labels a sped-up video in the export\'s language', () => {
    expect(render(msg('banner.speed', { speed: 1.5 }), 'zh-CN')).toBe('1.5倍速 / 1.5x');
    expect(render(msg('banner.speed', { speed: 2 }), 'en')).toBe('2x speed');
  });

  it('names a clip without codes and an other camera, with its own hash', () => {
    const cam = { id: 'demo-2', sha256: 'cd'.repeat(32) };
    expect(bannerLines(clip({ codes: [], mode: 'ship' }), 'zh-CN', cam)).toEqual(['（无单号）', expect.stringContaining('  ·  发货交接  ·  '), `片段 42  ·  摄像头 demo-2  ·  SHA-256 ${'cd'.repeat(8)}…  ·  PackWitness`]);
    expect(bannerLines(clip({ codes: [] }), 'en', cam)).toEqual(['(no code)', expect.stringContaining('  ·  packing  ·  '), `clip 42  ·  camera demo-2  ·  SHA-256 ${'cd'.repeat(8)}…  ·  PackWitness`]);
  });
});
