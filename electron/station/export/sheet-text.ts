/**
 * The words on the evidence sheet, in the export's language: the one source of every text on it, so
 * the picture (PNG/JPEG, drawn by ffmpeg) and the PDF (pdf-lib) say the same. Also the few
 * text-layout helpers the picture needs because ffmpeg's drawtext neither wraps nor measures for us.
 */

import { msg, render, type MessageCode, type MessageParam } from '../../../shared/messages/index.js';

export type SheetLocale = 'zh-CN' | 'en';

export interface SheetLabels {
  title: string;
  codes: string;
  station: string;
  mode: string;
  modes: Record<string, string>;
  recorded: string;
  clip: string;
  clipSha: string;
  exportSha: string;
  key: string;
  frames: string;
  note: string;
  scan: string;
  /** A camera of a clip filmed by several: a header row each, and its rows of frames. */
  camera: string;
  mainCamera: string;
  /** A stretch of the clip a camera recorded nothing of: a header row each, naming the camera and the times. */
  gap: string;
  gapValue: (g: { camera: string; fromMs: number; toMs: number | null; reason: string }, clipEndMs: number) => string;
  /** The same parcel's other clips: its packing clip on a hand-over clip's sheet, and back. */
  sameParcel: string;
  /** The imported order the clip packed, one row per item, and who packed it. */
  order: string;
  item: string;
  packer: string;
  itemValue: (o: { name: string; sku: string | null; qty: number }) => string;
  moreItems: (n: number) => string;
  sameParcelSha: string;
  created: string;
  /** The PDF's second page: the key frames as text. */
  framesPage: string;
  /** "every 5 s and at each scan (amber captions) · 14 frames" */
  framesValue: (o: { intervalSeconds: number | null; tiles: number; scans: number }) => string;
  createdValue: (iso: string) => string;
  /** The last note row when there are more notes than rows. */
  moreNotes: (n: number) => string;
  /** Why a frame time was moved, left out or thinned (sheet-frames.ts plans, these words say it). */
  notes: {
    scanOf: (code: string) => string;
    frameAt: (iso: string) => string;
    beforeLeftOut: (what: string, sec: string) => string;
    beforeFirst: (what: string, sec: string) => string;
    afterLeftOut: (what: string, sec: string) => string;
    afterLast: (what: string, sec: string) => string;
    thinned: (asked: number, kept: number, max: number) => string;
    widened: (asked: number, step: number, max: number) => string;
  };
}

/**
 * zh-CN is bilingual: a Chinese merchant files it, a foreign platform's reviewer may read it. The words
 * are the catalogue's `sheet.*` codes (shared/messages); notes are whole sentences, in Chinese only
 * there, or a note row would not fit its line twice over.
 */
function sheetLabels(lng: SheetLocale): SheetLabels {
  const s = (code: MessageCode, params?: Record<string, MessageParam>): string => render(msg(code, params), lng);
  return {
    title: s('sheet.title'),
    codes: s('sheet.codes'),
    station: s('sheet.station'),
    mode: s('sheet.mode'),
    recorded: s('sheet.recorded'),
    clip: s('sheet.clip'),
    clipSha: s('sheet.clipSha'),
    exportSha: s('sheet.exportSha'),
    key: s('sheet.key'),
    frames: s('sheet.frames'),
    note: s('sheet.note'),
    scan: s('sheet.scan'),
    camera: s('sheet.camera'),
    mainCamera: s('sheet.mainCamera'),
    gap: s('sheet.gap'),
    gapValue: (g, clipEndMs) =>
      s('sheet.gapValue', {
        camera: oneLine(g.camera),
        from: wallClockLabel(g.fromMs),
        to: g.toMs === null ? s('sheet.gapOpen') : wallClockLabel(g.toMs),
        seconds: ((Math.min(g.toMs ?? clipEndMs, clipEndMs) - g.fromMs) / 1000).toFixed(1),
        reason: oneLine(g.reason),
      }),
    sameParcel: s('sheet.sameParcel'),
    sameParcelSha: s('sheet.sameParcelSha'),
    order: s('sheet.order'),
    item: s('sheet.item'),
    packer: s('sheet.packer'),
    created: s('sheet.created'),
    framesPage: s('sheet.framesPage'),
    modes: { pack: s('sheet.modePack'), return: s('sheet.modeReturn'), ship: s('sheet.modeShip') },
    itemValue: ({ name, sku, qty }) => `${name} × ${qty}${sku ? ` · SKU ${sku}` : ''}`,
    moreItems: (n) => s('sheet.moreItems', { n }),
    framesValue: ({ intervalSeconds, tiles, scans }) =>
      s('sheet.framesValue', {
        interval: intervalSeconds === null ? msg('sheet.chosenTimes') : msg('sheet.everySeconds', { seconds: intervalSeconds }),
        scans: scans ? msg('sheet.andScans') : '',
        tiles,
      }),
    createdValue: (iso) => s('sheet.createdValue', { iso }),
    moreNotes: (n) => s('sheet.moreNotes', { n }),
    notes: {
      scanOf: (code) => s('sheet.noteScanOf', { code }),
      frameAt: (iso) => s('sheet.noteFrameAt', { iso }),
      beforeLeftOut: (what, sec) => s('sheet.noteBeforeLeftOut', { what, sec }),
      beforeFirst: (what, sec) => s('sheet.noteBeforeFirst', { what, sec }),
      afterLeftOut: (what, sec) => s('sheet.noteAfterLeftOut', { what, sec }),
      afterLast: (what, sec) => s('sheet.noteAfterLast', { what, sec }),
      thinned: (asked, kept, max) => s('sheet.noteThinned', { asked, kept, max }),
      widened: (asked, step, max) => s('sheet.noteWidened', { asked, step, max }),
    },
  };
}

export const LABELS: Record<SheetLocale, SheetLabels> = { en: sheetLabels('en'), 'zh-CN': sheetLabels('zh-CN') };

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/**
 * Approximate rendered width in ems for WenQuanYi Micro Hei: CJK glyphs are one em, its Latin glyphs
 * average about 0.55 (0.6 leaves a margin). Only used to wrap and shorten, so erring wide is safe.
 */
export function textEms(s: string): number {
  let ems = 0;
  for (const ch of s) ems += WIDE.test(ch) ? 1 : 0.6;
  return ems;
}

/** One line of printable text: scanners and settings can carry control characters. */
export const oneLine = (s: string): string => s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');

/** Cut to `maxEms`, ending with … when something was cut. */
export function fitLine(s: string, maxEms: number): string {
  if (textEms(s) <= maxEms) return s;
  let out = '';
  for (const ch of s) {
    if (textEms(out + ch) > maxEms - 0.6) break;
    out += ch;
  }
  return `${out}…`;
}

/** Words (split at spaces) wrapped into lines of at most `maxEms`, at most `maxLines` (the last one shortened). */
export function wrapWords(s: string, maxEms: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/(?<= )/)) {
    if (line && textEms(line + word.trimEnd()) > maxEms) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += word;
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines.map((l) => fitLine(l, maxEms));
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitLine(`${kept[maxLines - 1]!} ${lines.slice(maxLines).join(' ')}`, maxEms);
  return kept;
}

/**
 * A long hex digest in groups of eight ("3f2a9c1d 0b7e…"): a reviewer compares it group by group
 * with what sha256sum prints. Anything that is not plain hex is shown as given.
 */
export function groupHex(s: string): string {
  return /^[0-9a-f]{16,}$/i.test(s) ? (s.match(/.{1,8}/g) ?? [s]).join(' ') : s;
}

/** What the header says about a clip: the same facts for the picture and the PDF. */
export interface SheetFacts {
  codes: string[];
  station: string;
  mode: string;
  startIso: string;
  endIso: string;
  clipId: number;
  /** Seconds of video, and its pixel size ("1280×720") when known. */
  durationSec: number;
  size: string | null;
  clipSha256: string;
  exportSha256?: string;
  keyFingerprint: string;
  frames: { intervalSeconds: number | null; tiles: number; scans: number };
  /** Already worded in the sheet's language (planFrames). */
  notes: string[];
  /**
   * The same parcel's clips in other modes (Clip.related): the reviewer sees the parcel was
   * also filmed leaving (or being packed), and the hash the other clip's own bundle will show.
   */
  related?: Array<{ mode: string; station: string; startIso: string; clipId: number; sha256: string | null }>;
  /** The imported order the clip packed, as the station took it at the scan: what should be in the box. */
  order?: { orderNo: string; platform: string | null; items: ReadonlyArray<{ name: string; sku: string | null; qty: number }> } | null;
  /** Who packed it: the packer's name and badge (the badge alone when it had no name). */
  packer?: { code: string; name: string } | null;
  /** A clip filmed by several cameras: each, the main one first (its frames are the first row of each group). */
  cameras?: Array<{ id: string; name: string; main: boolean }>;
  /** Every camera's gaps within the clip (its name, the wall-clock stretch, the reason): where its frames are frozen or missing. */
  gaps?: Array<{ camera: string; fromMs: number; toMs: number | null; reason: string }>;
}

/** Items beyond this many are summed up in one row: the sheet stays a page. */
export const SHEET_MAX_ITEMS = 10;

/** The sheet names this many of the parcel's other clips (a packing and a hand-over clip is the usual pair). */
export const SHEET_MAX_RELATED = 3;

/**
 * One header row: `hash` values are digests a reviewer compares (never shortened; the picture groups
 * them by eight, the PDF keeps them whole so they copy as one word), `codes` may wrap over rows.
 */
export interface SheetRow {
  label: string;
  value: string;
  kind: 'text' | 'codes' | 'hash' | 'note';
}

/** The header rows, in order, with their full values (each renderer fits them to its width). */
export function sheetRows(L: SheetLabels, f: SheetFacts): SheetRow[] {
  const rows: SheetRow[] = [
    { label: L.codes, value: f.codes.map(oneLine).join('   ') || '—', kind: 'codes' },
    { label: L.station, value: oneLine(f.station) || '—', kind: 'text' },
    { label: L.mode, value: L.modes[f.mode] ?? oneLine(f.mode), kind: 'text' },
    { label: L.recorded, value: `${isoLabel(f.startIso)}  →  ${isoLabel(f.endIso)}`, kind: 'text' },
    { label: L.clip, value: [`#${f.clipId}`, `${f.durationSec.toFixed(1)} s`, f.size].filter(Boolean).join(' · '), kind: 'text' },
    { label: L.clipSha, value: oneLine(f.clipSha256), kind: 'hash' },
  ];
  if (f.exportSha256) rows.push({ label: L.exportSha, value: oneLine(f.exportSha256), kind: 'hash' });
  rows.push({ label: L.key, value: oneLine(f.keyFingerprint), kind: 'hash' });
  if (f.packer) rows.push({ label: L.packer, value: oneLine(f.packer.name === f.packer.code ? f.packer.code : `${f.packer.name} (${f.packer.code})`), kind: 'text' });
  if (f.order) {
    rows.push({ label: L.order, value: oneLine([f.order.orderNo, f.order.platform].filter(Boolean).join(' · ')), kind: 'text' });
    const items = f.order.items;
    // One row for the summary rather than the last item: "and 1 more" would hide as much as it shows.
    const shown = items.length > SHEET_MAX_ITEMS ? items.slice(0, SHEET_MAX_ITEMS - 1) : items;
    for (const it of shown) rows.push({ label: L.item, value: oneLine(L.itemValue(it)), kind: 'text' });
    if (shown.length < items.length) rows.push({ label: L.item, value: L.moreItems(items.length - shown.length), kind: 'text' });
  }
  for (const c of f.cameras ?? []) rows.push({ label: L.camera, value: oneLine(`${c.name} (${c.id})${c.main ? ` · ${L.mainCamera}` : ''}`), kind: 'text' });
  for (const g of f.gaps ?? []) rows.push({ label: L.gap, value: L.gapValue(g, Date.parse(f.endIso)), kind: 'text' });
  rows.push({ label: L.frames, value: L.framesValue(f.frames), kind: 'text' });
  for (const r of (f.related ?? []).slice(0, SHEET_MAX_RELATED)) {
    rows.push({ label: L.sameParcel, value: `${L.modes[r.mode] ?? oneLine(r.mode)} · ${oneLine(r.station)} · ${isoLabel(r.startIso)} · #${r.clipId}`, kind: 'text' });
    if (r.sha256) rows.push({ label: L.sameParcelSha, value: oneLine(r.sha256), kind: 'hash' });
  }
  for (const n of f.notes) rows.push({ label: L.note, value: oneLine(n), kind: 'note' });
  return rows;
}

/** A wall-clock instant as the sheet prints it: station time with its UTC offset. */
export function isoLabel(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? wallClockLabel(ms) : oneLine(iso);
}

/**
 * "2025-06-01 14:03:05.123 UTC+08:00": the station's local time with its offset, so a reviewer in
 * another time zone reads the same instant. The offset is the one in force at that moment (DST).
 */
export function wallClockLabel(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const sign = off >= 0 ? '+' : '-';
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
  return `${date} ${time} UTC${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
}
