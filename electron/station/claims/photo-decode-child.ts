/**
 * Child process: decodes one buyer photo with sharp and writes the station's preview JPEG.
 *
 * Runs apart from the station (photo-decode.ts forks it) because the file is hostile: a decoder bug,
 * a decompression bomb that slips past the header check, or a file that takes minutes to decode
 * costs this child (killed at its time limit), never the recording. sharp's `limitInputPixels`
 * refuses a picture larger than the limit however its header was read.
 *
 * The C2PA manifest is read here too (c2pa-reader.ts), from the file's bytes (the intake's size
 * limit bounds them), before sharp: a HEIC whose pixels cannot be decoded still has its manifest read.
 *
 * HEIC: sharp's libvips has no HEVC decoder, so a HEIC sharp refuses is decoded by libheif's wasm
 * build (heic-decoder.ts) under the same pixel limit, and sharp takes its RGBA pixels from there.
 *
 * argv: input path, preview path, pixel limit, preview size. Answers one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { readC2pa, type C2paFacts } from './c2pa-reader.js';
import { decodeHeic, looksLikeHeic } from './heic-decoder.js';

export interface DecodeAnswer {
  ok: boolean;
  format?: string;
  width?: number;
  height?: number;
  /** sharp's message when it could not decode (logged; the person gets photo-decode.ts's sentence). */
  error?: string;
  /** True when no decoder here reads the format: not the file's fault. */
  unsupported?: boolean;
  /** Which decoder made the pixels: sharp's libvips, or libheif's wasm build for a HEIC sharp cannot read. */
  decoder?: 'sharp' | 'libheif-wasm';
  /** Barcodes and QR codes in the photo (a waybill label the buyer photographed), as read. */
  codes?: Array<{ format: string; text: string }>;
  /** The C2PA manifest the file carries (null: none), read whether or not sharp can decode the pixels. */
  c2pa?: C2paFacts | null;
  /** Why a C2PA manifest that is there could not be read. */
  c2paError?: string;
}

/** The C2PA manifest, or why it could not be read: never a reason to refuse the photo. */
async function c2pa(input: string): Promise<Pick<DecodeAnswer, 'c2pa' | 'c2paError'>> {
  try {
    return { c2pa: await readC2pa(readFileSync(input)) };
  } catch (err) {
    return { c2pa: null, c2paError: String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200) };
  }
}

/**
 * Barcodes are looked for at up to this many pixels on the longest side: a waybill label a buyer
 * photographs fills a tenth of a 12 MP photo, and its bars stay several pixels wide at this size.
 */
const BARCODE_PX = 2400;

/** zxing-wasm's .wasm from node_modules (the package would fetch it from a CDN otherwise; stations are offline). */
async function loadZxing(): Promise<void> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
}

/** A fresh sharp pipeline on the photo's pixels (sharp instances are single-use). */
type Pixels = () => sharp.Sharp;

async function barcodes(open: Pixels): Promise<Array<{ format: string; text: string }>> {
  await loadZxing();
  const { data, info } = await open()
    .rotate()
    .resize(BARCODE_PX, BARCODE_PX, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const found = await readBarcodes(
    { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0],
    { tryHarder: true, tryRotate: true, tryDownscale: true, maxNumberOfSymbols: 8 },
  );
  return found.filter((r) => r.isValid && r.text).map((r) => ({ format: r.format, text: r.text }));
}

async function main(): Promise<void> {
  const [input, preview, maxPixels, previewPx] = process.argv.slice(2);
  if (!input || !preview || !maxPixels || !previewPx) throw new Error('usage: photo-decode-child INPUT PREVIEW MAX_PIXELS PREVIEW_PX');
  // One thread: the machine records video; a claim photo can wait.
  sharp.concurrency(1);
  sharp.cache(false);
  const options = { limitInputPixels: Number(maxPixels), failOn: 'truncated' as const, sequentialRead: true };
  let answer: DecodeAnswer;
  const manifest = await c2pa(input);
  try {
    let open: Pixels = () => sharp(input, options);
    let meta: { format?: string; width?: number; height?: number };
    let decoder: DecodeAnswer['decoder'] = 'sharp';
    try {
      meta = await open().metadata();
      // Decoding a few rows fails fast when libvips cannot decode the pixels (HEVC), before the preview is attempted.
      if (meta.format === 'heif') await open().extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
    } catch (err) {
      const bytes = readFileSync(input);
      if (!looksLikeHeic(bytes)) throw err;
      // libheif applies the file's rotation and mirror itself: the pixels come out upright.
      const heic = await decodeHeic(bytes, Number(maxPixels));
      open = () => sharp(heic.rgba, { raw: { width: heic.width, height: heic.height, channels: 4 }, limitInputPixels: Number(maxPixels) });
      meta = { format: 'heif', width: heic.width, height: heic.height };
      decoder = 'libheif-wasm';
    }
    // rotate(): the preview shows the photo upright, as the buyer's phone showed it.
    await open()
      .rotate()
      .resize(Number(previewPx), Number(previewPx), { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 88 })
      .toFile(preview);
    answer = { ok: true, format: meta.format, width: meta.width, height: meta.height, decoder, codes: await barcodes(open), ...manifest };
  } catch (err) {
    const message = (err as Error).message;
    answer = { ok: false, error: message, unsupported: /compression format has not been built in|unsupported/i.test(message), ...manifest };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error).message } satisfies DecodeAnswer)}\n`);
  process.exitCode = 1;
});
