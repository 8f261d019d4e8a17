import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditResponse, Claim, ClaimIdentifyResponse, ClaimsResponse, Clip, ErrorResponse, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { AIGC_LABEL, cameraJpeg, closeFixtureTool, jpegWithAigcXmpAttribute, jpegWithAigcXmpElement, plainJpeg, pngBomb, pngWithText, waybillPhoto } from '../helpers/claim-fixtures.js';
import { ffmpegBin } from '../helpers/media.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('a claim on a clip over HTTP: the buyer files stored as received, findings read, bad files refused', () => {
  let station: StationProcess;
  let clipId: number;
  let clipStart: string;
  const dir = tempDataDir('pw-claim-fixtures-');
  const file = (n: string) => join(dir, n);

  beforeAll(async () => {
    station = await startStation();
    await sleep(800);
    const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    clipId = ScanResponse.parse(await (await post('SF1234567890123')).json()).id!;
    await sleep(1_500);
    await post('PW-STOP');
    const clip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(clipId))).json());
      return c.video ? c : undefined;
    }, 20_000, 'the clip video');
    clipStart = clip.startedAt;

    await jpegWithAigcXmpAttribute(file('ai.jpg'));
    await jpegWithAigcXmpElement(file('ai-element.jpg'), file('ai.xmp'), { ...AIGC_LABEL, Label: '2', ProduceID: 'ELEMENT-7' });
    await pngWithText(file('sd.png'), { parameters: 'a cracked ceramic mug, photo, Steps: 20, Sampler: Euler a' });
    // Taken the day before the clip, in China's zone.
    const before = new Date(Date.parse(clipStart) - 24 * 3600_000 + 8 * 3600_000).toISOString().replace('T', ' ').replace(/-/g, ':').slice(0, 19);
    await cameraJpeg(file('phone.jpg'), before, '+08:00');
    await plainJpeg(file('bare.jpg'));
    writeFileSync(file('truncated.jpg'), readFileSync(file('bare.jpg')).subarray(0, 900));
    writeFileSync(file('text.jpg'), 'this is not a picture at all\n'.repeat(20));
    await pngBomb(file('bomb.png'));
    await waybillPhoto(file('waybill.jpg'), 'SF1234567890123');
    await closeFixtureTool();
  }, 90_000);
  afterAll(async () => {
    await station?.stop();
  });

  const send = async (files: Array<[field: string, path: string, name?: string]>, fields: Record<string, string> = {}, actor = 'cs-wang') => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [field, path, name] of files) form.append(field, new Blob([readFileSync(path)]), name ?? path.split('/').pop());
    return station.api(routes.clipClaims(clipId), { method: 'POST', body: form, headers: { 'x-packwitness-actor': actor } });
  };

  it('stores five photos with their SHA-256, read-only, states the findings, protects the clip and audits who added them', async () => {
    const res = await send([['photo', file('ai.jpg')], ['photo', file('sd.png')], ['photo', file('phone.jpg')], ['photo', file('bare.jpg'), 'IMG_\u202e0042.jpg'], ['photo', file('ai-element.jpg')]], {
      platform: 'Taobao',
      claimNumber: 'TB-778812',
      buyerWords: '杯子碎了',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const claim = Claim.parse(await res.json());
    expect(claim).toMatchObject({ clipId, platform: 'Taobao', claimNumber: 'TB-778812', buyerWords: '杯子碎了', actor: 'cs-wang' });
    expect(claim.files.map((f) => [f.position, f.kind, f.format, f.hasPreview])).toEqual([
      [1, 'photo', 'jpeg', true],
      [2, 'photo', 'png', true],
      [3, 'photo', 'jpeg', true],
      [4, 'photo', 'jpeg', true],
      [5, 'photo', 'jpeg', true],
    ]);
    // The name is kept as text, without the right-to-left override that would disguise it.
    expect(claim.files[3]!.originalName).toBe('IMG_0042.jpg');
    for (const [i, name] of ['ai.jpg', 'sd.png', 'phone.jpg', 'bare.jpg', 'ai-element.jpg'].entries()) {
      expect(claim.files[i]!.sha256).toBe(sha(file(name)));
      const stored = join(station.dataDir, 'claims', `clip-${clipId}`, `claim-${claim.id}`, `${i + 1}-photo.${claim.files[i]!.format}`);
      expect(sha(stored)).toBe(sha(file(name)));
      expect(statSync(stored).mode & 0o222).toBe(0);
    }
    const kinds = claim.files.map((f) => f.findings.map((x) => x.kind));
    expect(kinds[0]).toContain('aigc-label');
    const label = claim.files[0]!.findings.find((x) => x.kind === 'aigc-label')!;
    expect(label.values).toMatchObject({ carrier: 'XMP-TC260:Aigc', Label: '1', ContentProducer: AIGC_LABEL.ContentProducer, ProduceID: AIGC_LABEL.ProduceID });
    expect(kinds[1]).toEqual(['generator-text', 'no-camera-metadata']);
    expect(claim.files[1]!.findings[0]!.values['PNG:Parameters']).toContain('cracked ceramic mug');
    expect(kinds[2]).toEqual(['camera', 'taken-at', 'taken-before-packing']);
    expect(claim.files[2]!.findings[2]!.statement['zh-CN']).toContain('早于打包视频开始时间');
    expect(kinds[3]).toEqual(['no-camera-metadata']);
    expect(claim.files[4]!.findings.find((x) => x.kind === 'aigc-label')!.values).toMatchObject({ carrier: 'XMP-TC260:Aigc', Label: '2', ProduceID: 'ELEMENT-7' });

    const preview = await station.api(routes.claimPhotoPreview(claim.id, 2));
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await preview.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const list = ClaimsResponse.parse(await (await station.api(routes.clipClaims(clipId))).json());
    expect(list.claims.map((c) => c.id)).toEqual([claim.id]);
    expect(Clip.parse(await (await station.api(routes.clip(clipId))).json()).protected).toBe(true);
    const audit = AuditResponse.parse(await (await station.api(routes.clipAudit(clipId))).json());
    const claimEntry = audit.entries.find((e) => e.action === 'claim')!;
    expect(claimEntry.actor).toBe('cs-wang');
    expect(claimEntry.detail).toContain(`claim ${claim.id}: 5 photos (Taobao, claim TB-778812)`);
    expect(audit.entries.find((e) => e.action === 'protect')?.detail).toBe(`claim ${claim.id}`);
  });

  it('refuses a truncated photo, a text file named .jpg, a decompression bomb and ten photos, each in one sentence, keeping nothing', async () => {
    const before = ClaimsResponse.parse(await (await station.api(routes.clipClaims(clipId))).json()).claims.length;
    const cases: Array<[Array<[string, string, string?]>, number, RegExp]> = [
      [[['photo', file('bare.jpg')], ['photo', file('truncated.jpg')]], 422, /^photo 2 \(truncated\.jpg\) is damaged or incomplete and cannot be decoded as JPEG\.$/],
      [[['photo', file('text.jpg')]], 422, /^photo 1 \(text\.jpg\) is not a JPEG, PNG, WebP or HEIC photo( \(its content is \w+\))?\.$/],
      [[['photo', file('bomb.png')]], 422, /^photo 1 \(bomb\.png\) declares 40000 × 40000 pixels, more than the 120 million a photo may have\.$/],
      [Array.from({ length: 10 }, (): [string, string] => ['photo', file('bare.jpg')]), 400, /^A claim holds at most 9 photos\.$/],
      [[], 422, /^A claim needs at least one photo or video from the buyer\.$/],
    ];
    for (const [files, status, sentence] of cases) {
      const res = await send(files);
      const body = ErrorResponse.parse(await res.json());
      expect(res.status, body.error).toBe(status);
      expect(body.error).toMatch(sentence);
      expect(body.message?.['zh-CN']).toBeTruthy();
    }
    expect(ClaimsResponse.parse(await (await station.api(routes.clipClaims(clipId))).json()).claims.length).toBe(before);
    const incoming = join(station.dataDir, 'claims', '.incoming');
    expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
  });

  it('refuses a photo over 50 MB with 413 while the station keeps recording', async () => {
    const big = file('big.jpg');
    writeFileSync(big, readFileSync(file('bare.jpg')));
    truncateSync(big, 51 * 1024 * 1024);
    const res = await send([['photo', big]]);
    expect(res.status).toBe(413);
    expect(ErrorResponse.parse(await res.json()).error).toBe('photo 1 (big.jpg) is larger than 50 MB.');
    const status = StatusResponse.parse(await (await station.api(routes.status)).json());
    expect(status.recording).toBe(true);
    expect((await send([['photo', file('bare.jpg')]])).status).toBe(201);
  });

  it('reads the GB 45438 label from a claim video\'s MP4 udta/meta key and stores the video beside a photo', async () => {
    const video = file('claim.mp4');
    // The fixture is made with ffmpeg; the station never decodes buyer files with it.
    execFileSync(await ffmpegBin(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=160x120:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p',
      '-movflags', 'use_metadata_tags', '-metadata', `AIGC=${JSON.stringify({ ...AIGC_LABEL, ProduceID: 'VID-3' })}`, video]);
    const res = await send([['photo', file('bare.jpg')], ['video', video]], { platform: 'Douyin' });
    expect(res.status, await res.clone().text()).toBe(201);
    const claim = Claim.parse(await res.json());
    expect(claim.files.map((f) => [f.position, f.kind, f.format, f.hasPreview])).toEqual([[1, 'photo', 'jpeg', true], [2, 'video', 'mp4', false]]);
    expect(claim.files[1]!.sha256).toBe(sha(video));
    expect(claim.files[1]!.findings.find((x) => x.kind === 'aigc-label')!.values).toMatchObject({ carrier: 'Keys:AIGC', ProduceID: 'VID-3' });
    // A photo sent as the video is refused by its content.
    const wrong = await send([['video', file('bare.jpg')]]);
    expect(wrong.status).toBe(422);
    expect(ErrorResponse.parse(await wrong.json()).error).toBe('the video (bare.jpg) is not an MP4 or MOV video (its content is JPEG).');
  });

  it('`packwitness claim` checks photos against the clip by its code while the station records, storing nothing', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [cliPath, 'claim', '--data', station.dataDir, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    const before = readdirSync(join(station.dataDir, 'claims', `clip-${clipId}`)).length;
    const r = run(['--code', 'sf-1234567890123', '--json', file('ai.jpg'), file('phone.jpg')]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { clip: { id: number }; photos: Array<{ sha256: string; findings: Array<{ kind: string }>; matches: unknown[]; error: null | string }> };
    expect(out.clip.id).toBe(clipId);
    expect(out.photos.map((p) => p.sha256)).toEqual([sha(file('ai.jpg')), sha(file('phone.jpg'))]);
    expect(out.photos[0]!.findings.map((f) => f.kind)).toEqual(['aigc-label', 'no-camera-metadata']);
    expect(out.photos[1]!.findings.map((f) => f.kind)).toEqual(['camera', 'taken-at', 'taken-before-packing']);
    expect(out.photos.every((p) => Array.isArray(p.matches) && p.error === null)).toBe(true);

    const zh = run(['--clip', String(clipId), '--lang', 'zh-CN', file('sd.png'), file('truncated.jpg')]);
    expect(zh.status).toBe(1);
    expect(zh.stdout).toContain('[generator-text] 文件中含有图像生成工具写入的文本（Parameters）。');
    expect(zh.stdout).toContain('refused: photo 2 (truncated.jpg) is damaged or incomplete and cannot be decoded as JPEG.');
    expect(readdirSync(join(station.dataDir, 'claims', `clip-${clipId}`)).length).toBe(before);

    const none = run(['--code', 'NOPE-0000', file('ai.jpg')]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('packwitness: No clip carries the code "NOPE-0000".\n');
    expect(run(['--clip', '1', '--code', 'X', file('ai.jpg')]).status).toBe(2);
  });

  it('finds the clip from the waybill barcode in a photo dropped on the library, and names it on the claim photo', async () => {
    const form = new FormData();
    form.append('photo', new Blob([readFileSync(file('waybill.jpg'))]), 'waybill.jpg');
    form.append('photo', new Blob([readFileSync(file('bare.jpg'))]), 'bare.jpg');
    const res = await station.api(routes.claimIdentify, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const found = ClaimIdentifyResponse.parse(await res.json());
    expect(found.photos).toEqual([
      { name: 'waybill.jpg', barcodes: [{ format: 'Code128', text: 'SF1234567890123', clipIds: [clipId] }], error: null },
      { name: 'bare.jpg', barcodes: [], error: null },
    ]);
    const claim = Claim.parse(await (await send([['photo', file('waybill.jpg')]])).json());
    expect(claim.files[0]!.barcodes).toEqual([{ format: 'Code128', text: 'SF1234567890123', clipIds: [clipId] }]);
    expect(readdirSync(join(station.dataDir, 'claims', '.incoming'))).toEqual([]);

    const cli = spawnSync(process.execPath, [cliPath, 'claim', '--data', station.dataDir, '--json', file('waybill.jpg')], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { clip: { id: number } }).clip.id).toBe(clipId);
    const none = spawnSync(process.execPath, [cliPath, 'claim', '--data', station.dataDir, file('bare.jpg')], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('packwitness: No barcode was read in the photos; give --clip ID or --code CODE.\n');
  });

  it('answers 404 for a claim on a clip that does not exist', async () => {
    const form = new FormData();
    form.append('photo', new Blob([readFileSync(file('bare.jpg'))]), 'a.jpg');
    const res = await station.api(routes.clipClaims(987654), { method: 'POST', body: form });
    expect(res.status).toBe(404);
  });
});
