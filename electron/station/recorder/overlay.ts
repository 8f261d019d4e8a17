/**
 * The burned-in watermark's changing part. ffmpeg's drawtext re-reads this file before every frame
 * (`reload=1`), so what we write here is on the very next frame.
 *
 * Written to a temporary file and renamed over the old one: drawtext must never see half a file
 * (ffmpeg 4.1 aborts the filter graph on a failed read).
 */
import { rename, writeFile } from 'node:fs/promises';
import { writeFileSync, renameSync } from 'node:fs';

export interface OverlayContent {
  station: string;
  /** Who packs at this bench (settings); shown after the station name. */
  operator?: string;
  /** Active order / waybill codes; empty when no clip is running. */
  codes: readonly string[];
}

export function overlayText(c: OverlayContent): string {
  const codes = c.codes.length ? c.codes.join('  ') : '—';
  // Codes come from scanners: keep them to one line of printable characters.
  const who = c.operator ? `${c.station}  ·  ${c.operator}` : c.station;
  return `${clean(who)}\n${clean(codes)}`;
}

const clean = (s: string): string => s.replace(/[\p{Cc}\p{Cf}]/gu, ' ').slice(0, 200);

/**
 * Writes to one file go one after another: two at once (a scan switching clips while a waybill is
 * attached, a rename in the settings) shared the temporary file, and the second rename found it gone.
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
