/**
 * Every refusal a person can meet from the station's real routes carries a catalogue code, and the
 * UI renders it in Chinese: an English-only sentence coming back fails here. The English `error`
 * stays the sentence logs, the CLI and scripts read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponse, routes } from '../../shared/api.js';
import { render, renderKnown, type MessageCode } from '../../shared/messages/index.js';
import { refusalText } from '../../renderer/src/i18n/refusal-text.js';
import { startStation, type StationProcess } from '../helpers/station-process.js';

const HAN = /\p{Script=Han}/u;

/** The body as sent, checked: a known code, its English as `error`, and a Chinese rendering. */
async function refusalOf(res: Response, status: number, code: MessageCode): Promise<ErrorResponse> {
  expect(res.status, code).toBe(status);
  const body = ErrorResponse.parse(await res.json());
  expect(body.code, body.error).toBe(code);
  const m = { code: body.code!, params: body.params };
  expect(body.error).toBe(renderKnown(m, 'en'));
  const zh = refusalText(body, 'zh-CN');
  expect(zh, body.error).toMatch(HAN);
  expect(zh).toBe(render({ code, params: body.params as never }, 'zh-CN'));
  return body;
}

describe('station refusals are catalogue messages', () => {
  let st: StationProcess;
  beforeAll(async () => {
    st = await startStation({ camera: null });
  }, 60_000);
  afterAll(async () => {
    await st?.stop();
  });

  it('an unknown address and a missing token', async () => {
    await refusalOf(await st.api('/api/no-such-thing'), 404, 'http.notFound');
    await refusalOf(await fetch(`${st.origin}${routes.status}`), 401, 'http.unauthorized');
  });

  it('clips, their files and searches', async () => {
    const noClip = await refusalOf(await st.api(routes.clip(999_999)), 404, 'export.noClip');
    expect(refusalText(noClip, 'zh-CN')).toBe('没有片段 999999');
    await refusalOf(await st.api(routes.clipAudit(999_999)), 404, 'export.noClip');
    await refusalOf(await st.api(`${routes.clip(999_999)}/thumbnail.jpg`), 404, 'clips.noThumbnailYet');
    await refusalOf(await st.api(`${routes.clip(999_999)}/video`), 404, 'clipExport.noVideoYet');
    await refusalOf(await st.api(`${routes.clips}?from=yesterday`), 400, 'stats.periodNotDates');
    await refusalOf(await st.api(`${routes.clips}?cursor=${encodeURIComponent(Buffer.from('{"m":"x"}').toString('base64url'))}`), 400, 'clips.cursorUnknown');
    await refusalOf(await st.api(`${routes.segments}?from=soon`), 400, 'http.fromToIsoTimes');
  });

  it('exports, the crash log and claim previews', async () => {
    await refusalOf(await st.api('/api/exports/nope'), 404, 'export.noExport');
    await refusalOf(await st.api('/api/exports/nope', { method: 'DELETE' }), 404, 'export.noExport');
    await refusalOf(await st.api('/api/exports/nope/files/bogus'), 400, 'export.noFileKind');
    await refusalOf(await st.api('/api/exports/nope/files/video'), 404, 'export.noFileOfKind');
    await refusalOf(await st.api('/api/logs/crash?limit=0'), 400, 'crashLog.limitWhole');
    await refusalOf(await st.api('/api/claims/1/photos/1/preview.jpg'), 404, 'claim.noPreviewOfFile');
  });

  it('order imports: the request, the file and its rows', async () => {
    const post = (path: string, body: string, type: string, query = 'name=x.csv') => st.api(`${path}?${query}`, { method: 'POST', headers: { 'content-type': type }, body });
    await refusalOf(await post(routes.ordersFile, '{}', 'application/json'), 415, 'orders.sendFileAsBody');
    await refusalOf(await post(routes.ordersFile, 'a\n1\n', 'application/octet-stream', 'name=x.csv&mapping=%7B%22orderNo%22%3A5%7D'), 400, 'orders.mappingJson');
    const noColumn = await refusalOf(await post(routes.ordersFile, '商品,数量\n杯子,1\n', 'application/octet-stream', 'name=shop.csv'), 422, 'orders.noOrderNoColumn');
    expect(refusalText(noColumn, 'zh-CN')).toMatch(/^shop\.csv 里没有订单号列/);
    const noRow = await refusalOf(await post(routes.ordersFile, '订单编号,数量\n=HYPERLINK(1),1\n,2\n', 'application/octet-stream', 'name=bad.csv'), 422, 'orders.noImportableRow');
    expect(noRow.error).toBe('bad.csv has no row that can be imported (line 2: the order number is a formula (=HYPERLINK(1)); line 3: the order number is empty); nothing was imported.');
    expect(refusalText(noRow, 'zh-CN')).toBe('bad.csv 里没有可以导入的行（第 2 行：订单号是公式（=HYPERLINK(1)）；第 3 行：订单号为空）；什么也没有导入。');
    const pushed = await refusalOf(
      await st.api(routes.orders, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orders: [{ orderNo: '=1' }] }) }),
      400,
      'orders.noImportableOrder',
    );
    expect(refusalText(pushed, 'zh-CN')).toBe('没有可以导入的订单（第 1 个订单：订单号是公式（=1））；什么也没有导入。');
  });
});
