/**
 * One buyer file, checked: what it is by its content (ExifTool's file type, not its name), its size
 * in pixels against the limit before anything decodes it, a full decode in a child process (a
 * truncated or mislabelled photo is refused here), and its metadata findings. Used by the claim
 * intake (HTTP) and `packwitness claim` alike.
 */
import { CLAIM_MAX_PIXELS } from '../limits.js';
import { msg, LocalizedError } from '../localized-error.js';
import { log } from '../log.js';
import type { ClaimFinding } from '../../../shared/api.js';
import { findingsFrom } from './findings.js';
import { readTags, type Tags } from './metadata-reader.js';
import { decodePhoto } from './photo-decode.js';
import type { C2paFacts } from './c2pa-reader.js';

export type ClaimFileKind = 'photo' | 'video';

/** ExifTool's FileType → our format name. */
const PHOTO_TYPES: Record<string, string> = { JPEG: 'jpeg', PNG: 'png', WEBP: 'webp', HEIC: 'heic', HEIF: 'heic', AVIF: 'avif' };
const VIDEO_TYPES: Record<string, string> = { MP4: 'mp4', MOV: 'mov', M4V: 'mp4', '3GP': '3gp' };

export interface InspectedFile {
  format: string;
  width: number | null;
  height: number | null;
  /** The preview JPEG was written (every photo that decodes, HEIC through libheif's wasm build; not videos). */
  preview: boolean;
  findings: ClaimFinding[];
  /** Barcodes and QR codes read in a photo. */
  codes: Array<{ format: string; text: string }>;
  tags: Tags;
}

/**
 * @param label how the person knows the file ("photo 2 (IMG_0042.jpg)"), for the refusal sentence.
 * @throws LocalizedError with one sentence in both languages when the file is refused.
 */
export async function inspectFile(path: string, kind: ClaimFileKind, label: string, clipStartMs: number, previewPath: string): Promise<InspectedFile> {
  let tags: Tags;
  try {
    tags = await readTags(path);
  } catch (err) {
    throw new LocalizedError(msg('inspectFile.couldNotBeRead', { label, detail: oneLine(err) }));
  }
  const fileType = (tags['File:FileType'] ?? '').toUpperCase();
  const format = (kind === 'photo' ? PHOTO_TYPES : VIDEO_TYPES)[fileType];
  if (!format) {
    throw new LocalizedError(
      kind === 'photo'
        ? msg('inspectFile.notPhoto', { label, content: fileType ? msg('inspectFile.contentIs', { fileType }) : '' })
        : msg('inspectFile.notVideo', { label, content: fileType ? msg('inspectFile.contentIs', { fileType }) : '' }),
    );
  }
  const [width, height] = dimensions(tags);
  if (kind === 'photo' && width !== null && height !== null && width * height > CLAIM_MAX_PIXELS) {
    throw new LocalizedError(
      msg('inspectFile.tooManyPixels', { label, width, height, millions: CLAIM_MAX_PIXELS / 1e6 }),
    );
  }
  let preview = false;
  let codes: InspectedFile['codes'] = [];
  let c2pa: C2paFacts | null = null;
  if (kind === 'photo') {
    const decoded = await decodePhoto(path, previewPath);
    c2pa = decoded.c2pa ?? null;
    if (decoded.c2paError) log.info(`${label}: its C2PA manifest could not be read: ${decoded.c2paError}`);
    if (decoded.ok) {
      preview = true;
      codes = decoded.codes ?? [];
    }
    else if (decoded.timedOut) {
      throw new LocalizedError(msg('inspectFile.decodeTimeout', { label }));
    } else if (!(decoded.unsupported && format === 'heic')) {
      // A HEIC no decoder here reads (a codec libheif lacks): the metadata still counts, the UI shows no preview.
      throw new LocalizedError(msg('inspectFile.cannotDecode', { label, format: format.toUpperCase() }));
    }
  }
  return { format, width, height, preview, findings: findingsFrom(tags, { clipStartMs, c2pa }), codes, tags };
}

function dimensions(tags: Tags): [number | null, number | null] {
  const size = /^(\d+)\s*x\s*(\d+)$/.exec(tags['Composite:ImageSize'] ?? '');
  if (size) return [Number(size[1]), Number(size[2])];
  const w = Object.entries(tags).find(([k]) => k.endsWith(':ImageWidth'))?.[1];
  const h = Object.entries(tags).find(([k]) => k.endsWith(':ImageHeight'))?.[1];
  return [w && /^\d+$/.test(w) ? Number(w) : null, h && /^\d+$/.test(h) ? Number(h) : null];
}

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200);
}
