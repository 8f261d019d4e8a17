/**
 * The names of the files a reviewer receives. A platform's upload form, a downloads folder
 * and an e-mail all show the file name first, so it says which order and which clip it is:
 *
 *   SF1234567890123_20261204-0912_clip-42.mp4          the video as recorded
 *   SF1234567890123_20261204-0912_clip-42_shopee.mp4   re-encoded for a preset (or `_fit` for typed limits)
 *   …_sheet.pdf / …_sheet.png / …_sheet.jpg            the evidence sheet
 *   SF1234567890123_20261204-0912_clip-42/  and  .zip   the bundle folder and its zip
 *
 * Every export was `evidence-sheet.pdf`, which a downloads folder turns into "evidence-sheet (1).pdf"
 * by the second parcel, and nobody can tell which order that is.
 *
 * Names keep to the bundle's path alphabet (manifest.ts `BundlePath`: letters, digits, `.`, `_`, `-`):
 * `sha256sum -c` and every unzip tool read them alike, and no character needs quoting in a shell.
 * A code's other characters (Chinese, spaces, `/`, `#` of a Shopify order) each become `-`, runs of
 * `-` become one, and `_` too becomes `-` so that `_` only ever separates the name's parts. A code with
 * nothing left (all Chinese) is left out: the clip id still names the clip.
 */
import type { Clip } from '../../../shared/api.js';
import { EXPORT_NAME_CODE_MAX_CHARS } from '../limits.js';

/** `text` in the name alphabet, at most `max` characters, with no leading or trailing `-`. */
export function nameSafe(text: string, max: number): string {
  return text
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** The code a reviewer looks the parcel up by: the first order number scanned, else the first code. */
export function nameCode(clip: Pick<Clip, 'codeDetails'>): string {
  const code = clip.codeDetails.find((c) => c.kind === 'order') ?? clip.codeDetails[0];
  return code ? nameSafe(code.code, EXPORT_NAME_CODE_MAX_CHARS) : '';
}

/** `YYYYMMDD-HHMM` of the clip's start in the station's time zone, as its burned-in clock shows it. */
export function nameTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/**
 * The export's base name: `<code>_<YYYYMMDD-HHMM>_clip-<id>`, plus `_<tag>` for a re-encoded video
 * (the preset id, or `fit`), so the original and a fitted export of one clip never share a name.
 */
export function exportBaseName(clip: Pick<Clip, 'id' | 'startedAt' | 'codeDetails'>, tag: string | null = null): string {
  const parts = [nameCode(clip), nameTime(clip.startedAt), `clip-${clip.id}`, tag === null ? '' : nameSafe(tag, 32)];
  return parts.filter(Boolean).join('_');
}

/** The files of one export, by the base name. */
export function exportFileNames(base: string): { video: string; sheetBase: string; bundle: string; zip: string } {
  return { video: `${base}.mp4`, sheetBase: `${base}_sheet`, bundle: base, zip: `${base}.zip` };
}

/**
 * A camera's name as part of a file name: letters and digits of any script kept (a Chinese camera name
 * stays readable in a downloads folder), every other character (spaces, `/`, `\\`, `:`, controls, bidi
 * marks) a `-`, at most 40 characters; the camera's id when nothing is left. Never the raw name.
 */
export function cameraFileLabel(name: string, id: string): string {
  const label = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return label || nameSafe(id, 40) || 'camera';
}

/** One camera's clip video as a download: `<export base name>_<camera name>.mp4`. */
export function cameraVideoFileName(clip: Pick<Clip, 'id' | 'startedAt' | 'codeDetails'>, cameraName: string, cameraId: string): string {
  return `${exportBaseName(clip)}_${cameraFileLabel(cameraName, cameraId)}.mp4`;
}

/** A Content-Disposition for a file to save: an ASCII name for old clients and the UTF-8 one (RFC 6266) for the rest. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
