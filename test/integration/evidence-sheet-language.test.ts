/**
 * The evidence sheet's PDF speaks the export's language and can write Chinese: a station named
 * "杭州仓 1号打包台" records a clip, which is exported in zh-CN and in en through the HTTP job API; the
 * PDF's text, read back by poppler's pdftotext (not by pdf-lib), carries the station name and the
 * mode's name in that language, and its fonts are embedded subsets.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, ScanResponse, routes } from '../../shared/api.js';
import { LABELS } from '../../electron/station/export/sheet-text.js';
import { pdfFonts, pdfText } from '../helpers/pdf-text.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const STATION = '杭州仓 1号打包台';
const ORDER = '260311884512345678';

describe('the evidence sheet PDF in the export’s language', () => {
  let station: StationProcess;
  let clip: Clip;

  beforeAll(async () => {
    station = await startStation({ args: ['--station', STATION] });
    const scan = async (code: string): Promise<ScanResponse> =>
      ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    await sleep(2_000);
    const started = await scan(ORDER);
    await sleep(2_000);
    await scan('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(started.id!))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the clip video');
  }, 60_000);
  afterAll(async () => {
    await station?.stop();
  });

  async function exportSheet(locale: 'zh-CN' | 'en'): Promise<{ pdf: string; bytes: number }> {
    const res = await station.api(routes.clipExport(clip.id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'original', sheet: true, locale }) });
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    const done = await waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      return j.state === 'queued' || j.state === 'running' ? undefined : j;
    }, 60_000, 'the export job');
    expect(done.state, done.error ?? '').toBe('done');
    const file = await station.api(routes.exportFile(job.id, 'sheet-pdf'));
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    const pdf = join(station.dataDir, `sheet-${locale}.pdf`);
    writeFileSync(pdf, bytes);
    return { pdf, bytes: bytes.length };
  }

  it('zh-CN: the station name and the Chinese mode name as text, in an embedded subset of the shipped font', async () => {
    const { pdf, bytes } = await exportSheet('zh-CN');
    const text = pdfText(pdf);
    expect(text).toContain(STATION);
    expect(text).toContain(LABELS['zh-CN'].modes.pack);
    expect(text).toContain(LABELS['zh-CN'].station);
    expect(text).toContain(LABELS['zh-CN'].framesPage);
    expect(text).toContain(ORDER);
    expect(text).toContain(clip.video!.sha256);
    expect(text).not.toMatch(/\?{2,}/);
    const fonts = pdfFonts(pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['WenQuanYiMicroHei', 'WenQuanYiMicroHeiMono']);
    for (const f of fonts) expect(f, f.name).toMatchObject({ type: 'CID TrueType', embedded: true, subset: true, unicode: true });
    // The whole font is 5 MB; the subsets are a few KB, beside the sheet picture (a JPEG under 1 MB).
    console.log(`zh-CN evidence sheet PDF: ${bytes} bytes`);
    expect(bytes).toBeLessThan(1_300_000);
  }, 90_000);

  it('en: English words, the same mode name as the picture, and still the Chinese station name', async () => {
    const { pdf } = await exportSheet('en');
    const text = pdfText(pdf);
    expect(text).toContain(STATION);
    expect(text).toContain(LABELS.en.modes.pack);
    expect(text).toContain(LABELS.en.framesPage);
    expect(text).not.toContain(LABELS['zh-CN'].station);
    expect(text).not.toMatch(/\?{2,}/);
  }, 90_000);
});
