import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claim, Clip, ErrorResponse, ScanResponse, routes } from '../../shared/api.js';
import { AIGC_LABEL, closeFixtureTool, jpegWithAigcXmpAttribute, plainJpeg } from '../helpers/claim-fixtures.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const WAYBILL = 'SF2718281828459';

describe('GET /api/clips/:id/claims/:claim/appeal-text: the appeal text of a stored claim, as plain text', () => {
  let station: StationProcess;
  let clip: Clip;
  let otherClipId: number;
  let claim: Claim;
  const dir = tempDataDir('pw-claim-appeal-');

  beforeAll(async () => {
    station = await startStation();
    await sleep(800);
    const post = async (code: string) =>
      ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const id = (await post(WAYBILL)).id!;
    await sleep(1_500);
    otherClipId = (await post('YT5550001112')).id!;
    await sleep(1_000);
    await post('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(id))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the clip video');

    await jpegWithAigcXmpAttribute(join(dir, 'ai.jpg'));
    await plainJpeg(join(dir, 'bare.jpg'));
    await closeFixtureTool();
    const form = new FormData();
    form.append('platform', '拼多多');
    form.append('claimNumber', 'PDD-55\u202e01');
    for (const n of ['ai.jpg', 'bare.jpg']) form.append('photo', new Blob([readFileSync(join(dir, n))]), n);
    const res = await station.api(routes.clipClaims(clip.id), { method: 'POST', body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    claim = Claim.parse(await res.json());
  }, 120_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('answers in Chinese by default and in English when asked: the clip facts, the AI label first, as text/plain that is never sniffed', async () => {
    const zh = await station.api(`/api/clips/${clip.id}/claims/${claim.id}/appeal-text`);
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(zh.headers.get('x-content-type-options')).toBe('nosniff');
    expect(zh.headers.get('x-packwitness-shortened')).toBe('0');
    const text = await zh.text();
    // The title carries the claim number without the bidi override the form field held.
    expect(text.split('\n')[0]).toBe('申诉说明（平台：拼多多，售后单号：PDD-5501）');
    expect(text).toContain(`运单号 ${WAYBILL} 的包裹在打包工位`);
    expect(text).toContain(`录像文件 SHA-256：${clip.video!.sha256}`);
    expect(text).toContain(`生成服务提供者 ${AIGC_LABEL.ContentProducer}，内容制作编号 ${AIGC_LABEL.ProduceID}`);
    expect(text).toContain('照片 2（bare.jpg）：');
    expect(text.indexOf('GB 45438-2025')).toBeLessThan(text.indexOf('照片 2'));
    // The station's zone, as the overlay in the video shows it.
    const offset = -new Date(clip.startedAt).getTimezoneOffset();
    const local = new Date(Date.parse(clip.startedAt) + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(text).toContain(`录像时间 ${local}`);

    const en = await (await station.api(routes.claimAppealText(clip.id, claim.id, 'en'))).text();
    expect(en.split('\n')[0]).toBe('Appeal statement (platform: 拼多多, claim number: PDD-5501)');
    expect(en).toContain(`waybill ${WAYBILL} was filmed throughout its packing`);
    expect(en).toContain(`producer ${AIGC_LABEL.ContentProducer}, produce ID ${AIGC_LABEL.ProduceID}`);
  });

  it('shortens to maxChars, keeping the AI label', async () => {
    const full = await (await station.api(routes.claimAppealText(clip.id, claim.id, 'zh-CN'))).text();
    const max = [...full].length - 60;
    const res = await station.api(routes.claimAppealText(clip.id, claim.id, 'zh-CN', max));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-packwitness-shortened')).toBe('1');
    const text = await res.text();
    expect([...text].length).toBeLessThanOrEqual(max);
    expect(text).toContain('GB 45438-2025');
  });

  it('refuses bad ids and parameters with one sentence: malformed is 400, unknown or another clip\'s claim is 404', async () => {
    const cases: Array<[string, number, string]> = [
      [`/api/clips/${clip.id}/claims/999999/appeal-text`, 404, `Clip ${clip.id} has no claim 999999.`],
      [`/api/clips/${otherClipId}/claims/${claim.id}/appeal-text`, 404, `Clip ${otherClipId} has no claim ${claim.id}.`],
      ['/api/clips/999999/claims/1/appeal-text', 404, 'There is no clip 999999.'],
      [`/api/clips/${clip.id}/claims/abc/appeal-text`, 400, 'the claim number must be a whole number'],
      [`/api/clips/${clip.id}/claims/0${claim.id}/appeal-text`, 400, 'the claim number must be a whole number'],
      [`/api/clips/${clip.id}/claims/..%2F..%2Fpackwitness.db/appeal-text`, 400, 'the claim number must be a whole number'],
      [`/api/clips/0x${clip.id.toString(16)}/claims/${claim.id}/appeal-text`, 400, 'the clip id must be a whole number from 1 to 9007199254740991 written in plain digits, e.g. 42'],
      [`/api/clips/${clip.id}/claims/${claim.id}/appeal-text?lang=fr`, 400, 'lang must be zh-CN or en'],
      [`/api/clips/${clip.id}/claims/${claim.id}/appeal-text?maxChars=5`, 400, 'maxChars must be a whole number from 80 to 20000'],
      [`/api/clips/${clip.id}/claims/${claim.id}/appeal-text?maxChars=1e3`, 400, 'maxChars must be a whole number from 80 to 20000'],
    ];
    for (const [path, status, sentence] of cases) {
      const res = await station.api(path);
      expect(res.status, path).toBe(status);
      const body = ErrorResponse.parse(await res.json());
      expect(body.error, path).toBe(sentence);
      expect(body.message?.['zh-CN'], path).toBeTruthy();
    }
  });

  it('serves a claim photo preview only by claim and photo number, as a JPEG never sniffed', async () => {
    const ok = await station.api(routes.claimPhotoPreview(claim.id, 1));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await station.api(routes.claimPhotoPreview(claim.id, 9))).status).toBe(404);
    expect((await station.api(`/api/claims/${claim.id}/photos/..%2F1/preview.jpg`)).status).toBe(400);
  });
});
