/**
 * The `c2pa-manifest` finding: a JPEG signed by the test with a C2PA manifest whose action says a
 * generative model created it, and a PNG whose manifest says a camera did, read by the station's
 * decode child (dist/, a process of its own: the manifest is hostile input) with `@trustnxt/c2pa-ts`;
 * a broken manifest is one logged reason and the photo still counts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { C2paFacts } from '../../electron/station/claims/c2pa-reader.js';
import { readC2pa } from '../../electron/station/claims/c2pa-reader.js';
import { findingsFrom } from '../../electron/station/claims/findings.js';
import { bySeverity, findingSeverity } from '../../shared/claim-severity.js';
import { IPTC_AI, IPTC_CAMERA, withC2paManifest } from '../helpers/c2pa-fixture.js';
import { repoRoot, tempDataDir } from '../helpers/station-process.js';

const CHILD = join(repoRoot, 'dist', 'electron', 'station', 'claims', 'photo-decode-child.js');
const dir = tempDataDir('pw-c2pa-');
const file = (name: string) => join(dir, name);

interface Answer {
  ok: boolean;
  c2pa?: C2paFacts | null;
  c2paError?: string;
  codes?: unknown[];
}

function decodeInChild(input: string): Answer {
  const r = spawnSync(process.execPath, [CHILD, input, `${input}.preview.jpg`, String(120_000_000), '640'], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Answer;
}

describe('C2PA content credentials in claim photos', () => {
  beforeAll(async () => {
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c84' } }).jpeg().toFile(file('plain.jpg'));
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#48c' } }).png().toFile(file('plain.png'));
    await withC2paManifest(file('plain.jpg'), file('ai.jpg'), { generator: 'DreamPix Studio', version: '2.1', digitalSourceType: IPTC_AI });
    await withC2paManifest(file('plain.png'), file('camera.png'), { generator: 'Phone Camera', version: '1.0', digitalSourceType: IPTC_CAMERA });
  }, 30_000);

  it('reads the claim generator and the generative-AI action in the decode child, and words it as the strongest finding', () => {
    const ai = decodeInChild(file('ai.jpg'));
    expect(ai.ok).toBe(true);
    expect(ai.c2pa).toEqual({ claimGenerator: 'DreamPix Studio 2.1', actions: ['c2pa.created'], digitalSourceTypes: [IPTC_AI], generativeAi: true, signatureValid: true, fileUnchanged: true, manifests: 1 });

    const findings = findingsFrom({}, { clipStartMs: 0, c2pa: ai.c2pa });
    const f = findings.find((x) => x.kind === 'c2pa-manifest')!;
    expect(f.statement.en).toBe(
      'The file carries a C2PA content credential from "DreamPix Studio 2.1" whose actions say the content was created by a generative AI model; its signature verifies and the file is unchanged since signing (the signer is not checked against a trust list).',
    );
    expect(f.statement['zh-CN']).toBe('文件带有 C2PA 内容凭证（生成方“DreamPix Studio 2.1”），其操作记录表明内容由生成式 AI 模型创建；签名有效，签名后文件未被改动（未核对签名者是否可信）。');
    expect(f.values).toMatchObject({ claimGenerator: 'DreamPix Studio 2.1', actions: 'c2pa.created', digitalSourceType: IPTC_AI, generativeAi: 'yes', signatureValid: 'yes' });
    expect(findingSeverity(f.kind, f.values)).toBe('ai');
    expect(bySeverity(findings)[0]!.kind).toBe('c2pa-manifest');
  });

  it('reads a camera credential in a PNG as a fact to look at, not an AI label', () => {
    const cam = decodeInChild(file('camera.png'));
    expect(cam.ok).toBe(true);
    expect(cam.c2pa).toMatchObject({ claimGenerator: 'Phone Camera 1.0', digitalSourceTypes: [IPTC_CAMERA], generativeAi: false, signatureValid: true });
    const f = findingsFrom({}, { clipStartMs: 0, c2pa: cam.c2pa })[0]!;
    expect(f.statement.en).toBe('The file carries a C2PA content credential from "Phone Camera 1.0"; its signature verifies and the file is unchanged since signing (the signer is not checked against a trust list).');
    expect(findingSeverity(f.kind, f.values)).toBe('notice');
  });

  it('says nothing of a file without a manifest, and says so when the pixels changed after signing', async () => {
    expect(decodeInChild(file('plain.jpg'))).toMatchObject({ ok: true, c2pa: null });
    expect(findingsFrom({}, { clipStartMs: 0, c2pa: null }).map((f) => f.kind)).not.toContain('c2pa-manifest');
    // The last bytes before EOI are image data covered by the data hash.
    const bytes = readFileSync(file('ai.jpg'));
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file('tampered.jpg'), bytes);
    const tampered = (await readC2pa(bytes))!;
    expect(tampered).toMatchObject({ signatureValid: true, fileUnchanged: false });
    expect(findingsFrom({}, { clipStartMs: 0, c2pa: tampered })[0]!.statement.en).toContain('its signature verifies but the file was changed after signing');
  });

  it('keeps the photo when its manifest is malformed: the child names why, the station records on', () => {
    const bytes = readFileSync(file('ai.jpg'));
    // Break the claim box's label so the store has no claim to read.
    const at = bytes.indexOf('c2pa.claim');
    expect(at).toBeGreaterThan(0);
    bytes.write('zzzz.zzzzz', at, 'latin1');
    writeFileSync(file('broken.jpg'), bytes);
    const broken = decodeInChild(file('broken.jpg'));
    expect(broken.ok).toBe(true);
    expect(broken.c2pa).toBeNull();
    expect(broken.c2paError).toMatch(/\S/);
  });
});
