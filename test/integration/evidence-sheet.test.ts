/**
 * The evidence sheet drawn from a real clip MP4 by the real ffmpeg, read back as pixels and as PDF.
 *
 * The clip is made like the station's own: H.264 with a keyframe every second, cut by stream copy from
 * a point between keyframes, so the MP4's edit list hides the first frames (see clip-writer.ts). Every
 * frame shows its own number in large digits, so a tile that shows the wrong frame is told apart from
 * the right one.
 */
import { render } from '../../shared/messages/index.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvidenceSheetError, SHEET, type SheetInput, type SheetResult, renderEvidenceSheet } from '../../electron/station/export/evidence-sheet.js';
import { overlayFont } from '../../electron/station/resources.js';
import { decodeFully, ffmpegBin, sha256Of } from '../helpers/media.js';
import { pdfFonts, pdfText } from '../helpers/pdf-text.js';

const FPS = 25;
const CLIP_START_MS = Date.UTC(2025, 5, 15, 7, 0, 0, 0);
const STATION = '一号打包台';
const FINGERPRINT = 'SHA256:Xy3d9kq0ZrT2mWq8Yb1cV7nH4uJ6pL5sA0eF2gR9tKw';

function ffmpeg(args: string[]): Promise<Buffer> {
  return ffmpegBin().then(
    (bin) =>
      new Promise((resolve, reject) =>
        execFile(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { encoding: 'buffer', maxBuffer: 256 << 20 }, (err, stdout, stderr) =>
          err ? reject(new Error(String(stderr))) : resolve(stdout),
        ),
      ),
  );
}

/** Gray pixels of an image or a video frame, after `filters` (crop, scale …). */
async function gray(inputArgs: string[], filters: string, bytes: number): Promise<Buffer> {
  const out = await ffmpeg([...inputArgs, '-vf', `${filters},format=gray`, '-frames:v', '1', '-f', 'rawvideo', '-']);
  expect(out.length).toBe(bytes);
  return out;
}

const meanAbsDiff = (a: Buffer, b: Buffer): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

let dir: string;
let clip: string;
let clipSha: string;
/** Seconds of the clip's last shown frame (counted by decoding it, not read from the sheet). */
let lastSec: number;
let frameCount: number;
let sheet: SheetResult;
const scans: SheetInput['scans'] = [
  { atMs: CLIP_START_MS + 400, code: 'SF1234567890123', kind: 'waybill' },
  // 40 ms after the 5 s interval frame: both must be on the sheet.
  { atMs: CLIP_START_MS + 5_090, code: '260101-123456789012345', kind: 'order' },
  // Far after the clip: left out with a note, not a crash.
  { atMs: CLIP_START_MS + 90_000, code: 'JD0099', kind: 'waybill' },
];

function input(over: Partial<SheetInput> = {}): SheetInput {
  return {
    ffmpegPath: '',
    videoPath: clip,
    clipStartMs: CLIP_START_MS,
    intervalSeconds: 5,
    scans,
    title: { codes: ['SF1234567890123', '260101-123456789012345'], station: STATION, mode: 'pack', startIso: new Date(CLIP_START_MS).toISOString(), endIso: new Date(CLIP_START_MS + 12_000).toISOString(), clipId: 42 },
    hashes: { clipSha256: clipSha, exportSha256: 'e'.repeat(64), keyFingerprint: FINGERPRINT },
    locale: 'zh-CN',
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-sheet-'));
  const font = overlayFont().replace(/\\/g, '/').replace(/:/g, '\\:');
  const src = join(dir, 'source.ts');
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${FPS}`, '-t', '14',
    '-vf', `drawtext=fontfile='${font}':text='%{frame_num}':fontsize=90:x=20:y=110:fontcolor=white:box=1:boxcolor=black:boxborderw=6`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-g', String(FPS), '-keyint_min', String(FPS), '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p', src,
  ]);
  // Cut from the keyframe at 1 s, shown from 0.4 s later (as clip-writer.ts cuts a clip).
  clip = join(dir, 'clip.mp4');
  await ffmpeg(['-ss', '1.0005', '-t', '12.4', '-i', src, '-map', '0:v:0', '-c', 'copy', '-output_ts_offset', '-0.4', '-movflags', '+faststart', clip]);
  clipSha = sha256Of(clip);
  frameCount = (await decodeFully(clip)).frames;
  lastSec = (frameCount - 1) / FPS;
  sheet = await renderEvidenceSheet({ ...input(), ffmpegPath: await ffmpegBin() }, join(dir, 'out'), 'clip-42-sheet');
}, 120_000);

describe('evidence sheet', () => {
  it('has a tile for every interval frame and every scan moment, captioned with the frame’s own time', () => {
    const shown = sheet.frames.map((f) => [f.kind, (f.atMs - CLIP_START_MS) / 1000]);
    // 25 fps: the scan at 5.090 s shows the frame at 5.080 s.
    expect(shown).toEqual([
      ['interval', 0],
      ['scan', 0.4],
      ['interval', 5],
      ['scan', 5.08],
      ['interval', 10],
      ['interval', lastSec],
    ]);
    expect(lastSec).toBeGreaterThan(12);
    expect(sheet.frames[3]!.codes).toEqual(['260101-123456789012345']);
    expect(sheet.frames[3]!.label).toContain('260101-123456789012345');
    // A zh-CN sheet says it in Chinese.
    expect(sheet.notes).toEqual([expect.stringMatching(/^扫码 JD0099 在视频结束后 7\d\.\d 秒：未收入。$/)]);
  });

  it('writes a PNG and a JPEG that decode to the laid-out size, under the byte budget', async () => {
    const { width, height } = sheet.layout;
    for (const file of [sheet.png, sheet.jpg]) {
      const rgb = await ffmpeg(['-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
      expect(rgb.length).toBe(width * height * 3);
    }
    expect(width).toBe(1600);
    // 6 tiles: two rows under the header.
    expect(height).toBe(sheet.layout.gridY + 2 * sheet.layout.tileHeight + sheet.layout.gap + SHEET.margin);
    expect(sheet.bytes.png).toBe(readFileSync(sheet.png).length);
    expect(sheet.bytes.png).toBeLessThan(SHEET.maxImageBytes);
    expect(sheet.bytes.jpg).toBeLessThan(SHEET.maxImageBytes);
    expect(sheet.encoding.withinBudget).toBe(true);
  });

  it('shows in each tile the very frame of its time, not a neighbour', async () => {
    const { tileWidth: w, pictureHeight: h, tileHeight, gap, gridX, gridY, columns } = sheet.layout;
    for (const [i, f] of sheet.frames.entries()) {
      const n = Math.round(((f.atMs - CLIP_START_MS) / 1000) * FPS);
      const x = gridX + (i % columns) * (w + gap);
      const y = gridY + Math.floor(i / columns) * (tileHeight + gap);
      const tile = await gray(['-i', sheet.png], `crop=${w}:${h}:${x}:${y}`, w * h);
      // The reference decodes the clip from its start and picks the frame by number: no seeking involved.
      const frame = (k: number) => gray(['-i', clip], `select=eq(n\\,${k}),scale=${w}:${h}:flags=area`, w * h);
      const same = meanAbsDiff(tile, await frame(n));
      const before = n > 0 ? meanAbsDiff(tile, await frame(n - 1)) : Infinity;
      const after = n < frameCount - 1 ? meanAbsDiff(tile, await frame(n + 1)) : Infinity;
      // Measured: ~1.5 for the right frame (palette and scaling), over 4 for either neighbour.
      expect(same, `tile ${i} (frame ${n})`).toBeLessThan(3);
      expect(same, `tile ${i} against frame ${n - 1}`).toBeLessThan(before);
      expect(same, `tile ${i} against frame ${n + 1}`).toBeLessThan(after);
    }
  });

  it('draws the Chinese station name in the header', async () => {
    // The station is the second header row (one row of codes above it); its value starts right of the
    // widest label ("导出包 Export SHA-256", about 260 px) and is five CJK glyphs of one em (20 px) each.
    const baseline = SHEET.margin + SHEET.titleFont + 18 + SHEET.headerFont + SHEET.headerLine;
    const band = await gray(['-i', sheet.png], `crop=400:${SHEET.headerLine}:200:${baseline - SHEET.headerFont - 4}`, 400 * SHEET.headerLine);
    const darkColumns = new Set<number>();
    for (let i = 0; i < band.length; i++) if (band[i]! < 100) darkColumns.add(i % 400);
    const glyphs = [...darkColumns].map((c) => Math.floor(c / SHEET.headerFont));
    // Ink in at least five separate one-em columns: the glyphs were drawn, not skipped or blank.
    expect(new Set(glyphs).size).toBeGreaterThanOrEqual(5);
  });

  it('writes a PDF whose text and metadata carry the full hashes and the key fingerprint', async () => {
    const bytes = readFileSync(sheet.pdf);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getCreator()).toBe('PackWitness');
    expect(doc.getTitle()).toContain('#42');
    expect(doc.getCreationDate()?.getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(doc.getKeywords()).toContain(clipSha);
    expect(doc.getKeywords()).toContain(FINGERPRINT);
    const text = pdfText(sheet.pdf);
    expect(text).toContain(clipSha);
    expect(text).toContain('e'.repeat(64));
    expect(text).toContain(FINGERPRINT);
    expect(text).toContain('SF1234567890123');
    // The Chinese station name, mode and notes are real text in an embedded font, not "?????".
    expect(text).toContain(STATION);
    expect(text).toContain('打包 pack');
    expect(text).toContain(sheet.notes[0]);
    expect(text).not.toContain('?');
    for (const f of pdfFonts(sheet.pdf)) expect(f, f.name).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(bytes.length).toBe(sheet.bytes.pdf);
  });

  it('leaves only the finished files, under their fixed names', () => {
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['clip-42-sheet.jpg', 'clip-42-sheet.pdf', 'clip-42-sheet.png']);
  });

  it('lists the order the clip packed, item by item with SKU and quantity, and who packed it, as PDF text', async () => {
    const items = [
      { name: '白瓷马克杯 350ml', sku: 'MUG-350', qty: 2 },
      { name: 'Gift box\nforged line', sku: null, qty: 1 },
      ...Array.from({ length: 10 }, (_, i) => ({ name: `Spoon ${i + 1}`, sku: `SP-${i + 1}`, qty: 1 })),
    ];
    const r = await renderEvidenceSheet(
      {
        ...input({ order: { orderNo: '260101-555', platform: '淘宝', items }, packer: { code: 'PK-WANG', name: '王小明' } }),
        ffmpegPath: await ffmpegBin(),
      },
      join(dir, 'order'),
    );
    // pdftotext reads the label column before the values.
    const text = pdfText(r.pdf).replace(/\s+/g, ' ');
    expect(text).toContain('打包员 Packer 订单 Order 商品 Item');
    expect(text).toContain('王小明 (PK-WANG) 260101-555 · 淘宝 白瓷马克杯');
    expect(text).toContain('白瓷马克杯 350ml × 2 · SKU MUG-350');
    expect(text).toContain('Gift box forged line × 1');
    expect(text).toContain('Spoon 7 × 1 · SKU SP-7');
    // Twelve items: nine rows of items and one that says how many more.
    expect(text).not.toContain('Spoon 8 ×');
    expect(text).toContain('另有 3 件商品 and 3 more items');
  });

  it('uses explicit frame times, leaving out those outside the video with a note', async () => {
    const out = join(dir, 'explicit');
    const r = await renderEvidenceSheet(
      { ...input({ frameTimesMs: [CLIP_START_MS - 30_000, CLIP_START_MS + 2_000, CLIP_START_MS + 13_000, CLIP_START_MS + 99_000], scans: [] }), ffmpegPath: await ffmpegBin(), locale: 'en' },
      out,
    );
    // 13 s is within the 2 s tolerance after the clip's end: moved onto the last frame.
    expect(r.frames.map((f) => (f.atMs - CLIP_START_MS) / 1000)).toEqual([2, lastSec]);
    expect(r.notes).toHaveLength(3);
    expect(r.notes.filter((n) => n.endsWith('left out.'))).toHaveLength(2);
    expect(readdirSync(out).sort()).toEqual(['evidence-sheet.jpg', 'evidence-sheet.pdf', 'evidence-sheet.png']);
  });

  it('refuses an unreadable video in one sentence naming the file, and writes nothing', async () => {
    const broken = join(dir, 'broken.mp4');
    writeFileSync(broken, Buffer.alloc(4096, 7));
    for (const videoPath of [broken, join(dir, 'missing.mp4')]) {
      const out = join(dir, 'refused');
      const err = await renderEvidenceSheet({ ...input({ videoPath }), ffmpegPath: await ffmpegBin() }, out).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EvidenceSheetError);
      expect((err as Error).message).toMatch(new RegExp(`^The clip video ${videoPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be read \\(.+\\)\\.$`));
      // The export panel words it in its language from the message.
      expect(render((err as EvidenceSheetError).text!, 'zh-CN')).toMatch(/^无法读取片段视频 .+（.+）。$/);
      expect(() => readdirSync(out)).toThrow();
    }
  });

  it('refuses a file name that could leave the output folder, and an interval that is no interval', async () => {
    const ffmpegPath = await ffmpegBin();
    await expect(renderEvidenceSheet({ ...input(), ffmpegPath }, join(dir, 'x'), '../escape')).rejects.toThrow(EvidenceSheetError);
    await expect(renderEvidenceSheet({ ...input({ intervalSeconds: 0 }), ffmpegPath }, join(dir, 'x'))).rejects.toThrow(/interval must be a positive number of seconds, not 0\./);
    expect(() => readdirSync(join(dir, 'x'))).toThrow();
  });
});
