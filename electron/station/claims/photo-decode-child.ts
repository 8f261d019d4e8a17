/**
 * Child process: decodes one buyer photo with sharp and writes the station's preview JPEG.
 *
 * Runs apart from the station (photo-decode.ts forks it) because the file is hostile: a decoder bug,
 * a decompression bomb that slips past the header check, or a file that takes minutes to decode
 * costs this child (killed at its time limit), never the recording. sharp's `limitInputPixels`
 * refuses a picture larger than the limit however its header was read.
 *
 * argv: input path, preview path, pixel limit, preview size. Answers one JSON line on stdout.
 */
import sharp from 'sharp';

export interface DecodeAnswer {
  ok: boolean;
  format?: string;
  width?: number;
  height?: number;
  /** sharp's message when it could not decode (logged; the person gets photo-decode.ts's sentence). */
  error?: string;
  /** True when libvips in this build has no decoder for the format (HEIC): not the file's fault. */
  unsupported?: boolean;
}

async function main(): Promise<void> {
  const [input, preview, maxPixels, previewPx] = process.argv.slice(2);
  if (!input || !preview || !maxPixels || !previewPx) throw new Error('usage: photo-decode-child INPUT PREVIEW MAX_PIXELS PREVIEW_PX');
  // One thread: the machine records video; a claim photo can wait.
  sharp.concurrency(1);
  sharp.cache(false);
  const options = { limitInputPixels: Number(maxPixels), failOn: 'truncated' as const, sequentialRead: true };
  let answer: DecodeAnswer;
  try {
    const meta = await sharp(input, options).metadata();
    // rotate(): the preview shows the photo upright, as the buyer's phone showed it.
    await sharp(input, options)
      .rotate()
      .resize(Number(previewPx), Number(previewPx), { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 88 })
      .toFile(preview);
    answer = { ok: true, format: meta.format, width: meta.width, height: meta.height };
  } catch (err) {
    const message = (err as Error).message;
    answer = { ok: false, error: message, unsupported: /heif|compression format has not been built in|unsupported/i.test(message) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error).message } satisfies DecodeAnswer)}\n`);
  process.exitCode = 1;
});
