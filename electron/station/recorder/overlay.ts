/**
 * The burned-in watermark's changing parts, which reach ffmpeg two different ways:
 *
 * - The station line (station, operator and signed-in packer name) is a file that drawtext re-reads before every frame
 *   (`reload=1`): a rename shows on the next frame, and no frame is evidence of which name was right
 *   a few milliseconds earlier. Written to a temporary file and renamed over the old one: drawtext
 *   must never see half a file (ffmpeg 4.1 aborts the filter graph on a failed read).
 * - The codes line says which clip a frame belongs to, so it must change on exactly the frame where
 *   one clip ends and the next begins. A file cannot do that: a frame stamped t is drawn a little
 *   after t (decoding, the fps filter holding one frame, measured ~70-130 ms), so a file written at
 *   the switch showed the next order's code on the last ~130 ms of the clip before. Instead the
 *   station queues a command in ffmpeg for a frame time (`codesCommand`, see overlay-timeline.ts):
 *   ffmpeg runs it before the first frame whose timestamp reaches that time. It also names the
 *   clip's imported order when a waybill found it: the order belongs to the clip, so it switches with it.
 */
import { rename, writeFile } from 'node:fs/promises';
import { writeFileSync, renameSync } from 'node:fs';
import { normalizeCode } from '../../../shared/api.js';

export interface OverlayContent {
  station: string;
  /** Who packs at this bench (settings); shown after the station name. */
  operator?: string;
  /**
   * The packer signed in by badge, if any: their name and badge code. Written into the file at the
   * sign-in, so it shows from the next frame on, as a rename does.
   */
  packer?: { code: string; name: string } | null;
}

/** Station, operator and packer names are each cut to this many characters (the line must stay on the picture). */
const STATION_PART_MAX = 80;

/** The station line, as the overlay file holds it: `station  ·  operator  ·  打包员 张三 (PK-007)`. */
export function overlayText(c: OverlayContent): string {
  const parts = [c.station];
  if (c.operator) parts.push(c.operator);
  if (c.packer) parts.push(packerLabel(c.packer));
  // Each part cut alone: a long station name must not push the packer off the line.
  return parts.map((p) => [...clean(p)].slice(0, STATION_PART_MAX).join('')).join('  ·  ');
}

/** A badge without a name (unknown to the station) shows its code alone. */
export function packerLabel(p: { code: string; name: string }): string {
  return p.name === p.code ? `打包员 ${p.code}` : `打包员 ${p.name} (${p.code})`;
}

/**
 * What the codes line lists for a clip: its scanned codes, then its imported order's number when
 * the clip was linked to the order by a waybill (a scanned order number is already among the codes).
 * The order number comes from a shop's file: codesLine cleans and escapes it like a scanned code.
 */
export function clipOverlayCodes(codes: readonly string[], orderNo: string | null | undefined): string[] {
  if (!orderNo) return [...codes];
  const norm = normalizeCode(orderNo);
  if (codes.some((c) => normalizeCode(c) === norm)) return [...codes];
  return [...codes, `订单 ${orderNo}`];
}

/** What the codes line shows when no clip is running (also the pre-roll of the next clip). */
export const NO_CODES = '—';

/**
 * The codes line: the running clip's order and waybill codes, or "—". Codes come from scanners: one
 * line of printable characters, short enough for ffmpeg's command line (see codesCommand).
 */
export function codesLine(codes: readonly string[]): string {
  const line = codes.length ? clean(codes.join('  ')) : NO_CODES;
  if (Buffer.byteLength(optionValue(line)) <= CODES_VALUE_MAX_BYTES) return line;
  let cut = '';
  for (const ch of line) {
    if (Buffer.byteLength(optionValue(`${cut}${ch}…`)) > CODES_VALUE_MAX_BYTES) break;
    cut += ch;
  }
  return `${cut}…`;
}

const clean = (s: string): string => s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');

/** The instance name of the codes line's drawtext in the recording graph (ffmpeg-command.ts). */
export const CODES_FILTER = 'drawtext@codes';

/**
 * ffmpeg reads a command line typed on its stdin as `<target> <time> <command> <argument>` with
 * sscanf (`%255[^\n]` for the argument): "text=" and the escaped text must stay within 255 bytes.
 */
const CODES_VALUE_MAX_BYTES = 255 - 'text='.length;

/** A value for ffmpeg's option-string parser (av_set_options_string): `\`, `'` and `:` escaped. */
function optionValue(s: string): string {
  return s.replace(/[\\':]/g, (c) => `\\${c}`);
}

/** The codes line's text as a filter-graph option value: escaped for the option parser, then for the graph parser. */
export function codesGraphValue(line: string): string {
  return optionValue(optionValue(line)).replace(/[[\],;]/g, (c) => `\\${c}`);
}

/**
 * The line typed on ffmpeg's stdin that changes the codes line at `runSec` (seconds on the run's
 * clock, the frames' own timestamps): `C` sends a command to every filter of that name, queued for
 * that time, and drawtext's `reinit` takes the new text (its other options are kept). ffmpeg polls
 * stdin every 100 ms between frames. drawtext cannot `reinit` a `textfile`, so the codes line is
 * given as `text` from the start.
 */
export function codesCommand(runSec: number, line: string): string {
  return `C${CODES_FILTER} ${runSec.toFixed(3)} reinit text=${optionValue(line)}\n`;
}

/**
 * Writes to one file go one after another: two at once (a rename in the settings while another
 * is saved) shared the temporary file, and the second rename found it gone.
 * In order, so the last call's text is what stays on screen.
 */
const chains = new Map<string, Promise<void>>();

export function writeOverlay(file: string, c: OverlayContent): Promise<void> {
  const text = overlayText(c);
  const next = (chains.get(file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  });
  chains.set(file, next);
  void next.finally(() => {
    if (chains.get(file) === next) chains.delete(file);
  }).catch(() => undefined);
  return next;
}

/** Synchronous twin for start-up, before ffmpeg is spawned (the file must exist when drawtext opens). */
export function writeOverlaySync(file: string, c: OverlayContent): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, overlayText(c), 'utf8');
  renameSync(tmp, file);
}
