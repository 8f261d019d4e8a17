/**
 * The appeal text of a claim (申诉说明): plain text a merchant pastes into a platform's
 * appeal form. It states only facts the station recorded (when and where the parcel was packed, the
 * clip's hash, the metadata findings of each buyer photo, the clip moments that look most like it),
 * never a verdict on the buyer.
 *
 * Length: /work/shared/PRODUCT.md records no platform's limit on appeal text (only on videos and
 * images), so the text is kept short by default and `maxChars` shortens it for a form that counts:
 * whole lines are dropped, least important first (neutral, then plain capture facts, then photo
 * hashes…), and only if that is not enough is it cut at a line end with "…". Characters are counted
 * as code points, as a person (and a form's counter) sees them.
 *
 * Pure (no Node, no DOM): the station's route and tests use it; any text from files (producer names,
 * file names) is stripped of control and bidi characters, so a pasted line cannot be reordered.
 */
import type { Claim, Clip } from './api.js';
import { bySeverity, findingSeverity } from './claim-severity.js';

export type AppealLang = 'zh-CN' | 'en';

export type AppealClip = Pick<Clip, 'id' | 'station' | 'codeDetails' | 'startedAt' | 'endedAt' | 'video' | 'gaps'> & { order?: Clip['order'] };

export interface AppealTextInput {
  lang: AppealLang;
  clip: AppealClip;
  claim: Claim;
  /** The station clock's offset from UTC at the clip's start, in minutes east (China: 480). */
  utcOffsetMinutes: number;
  /** Shorten to at most this many characters (code points); absent: the whole text. */
  maxChars?: number;
}

export interface AppealText {
  text: string;
  /** Code points in `text`. */
  chars: number;
  /** Lines were dropped or the text was cut to fit `maxChars`. */
  shortened: boolean;
}

/** Below this a text cannot say anything useful; the route refuses a smaller maxChars. */
export const APPEAL_MIN_CHARS = 80;
export const APPEAL_MAX_CHARS = 20_000;

interface Line {
  text: string;
  drop: number;
}

// eslint-disable-next-line no-control-regex -- the control and bidi characters are what it removes
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/gu;

/** One line of text from outside (a file, a form): no control, bidi or line-break characters. */
function clean(text: string): string {
  return text.replace(UNSAFE, '').trim();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `2026-12-05 21:20:01` in the station's zone, and `UTC+08:00`. */
function stationTime(iso: string, offsetMin: number): string {
  return new Date(Date.parse(iso) + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
function zoneLabel(offsetMin: number): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `UTC${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** A position in the clip: 0:12.4 (tenths: the reviewer scrubs to it). */
export function clipPosition(seconds: number): string {
  const t = Math.max(0, seconds);
  const m = Math.floor(t / 60);
  return `${m}:${(t - m * 60).toFixed(1).padStart(4, '0')}`;
}

function durationText(ms: number, lang: AppealLang): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  if (lang === 'zh-CN') return m > 0 ? `${m} 分 ${s % 60} 秒` : `${s} 秒`;
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

const W = {
  'zh-CN': {
    title: (claimNo: string | null, platform: string | null) =>
      `申诉说明${claimNo || platform ? `（${[platform ? `平台：${platform}` : '', claimNo ? `售后单号：${claimNo}` : ''].filter(Boolean).join('，')}）` : ''}`,
    clipHead: '一、打包录像',
    codes: (order: string[], waybill: string[]) => [order.length ? `订单号 ${order.join('、')}` : '', waybill.length ? `运单号 ${waybill.join('、')}` : ''].filter(Boolean).join('，'),
    packed: (codes: string, station: string, from: string, to: string | null, zone: string, dur: string | null) =>
      `${codes ? `${codes} 的` : '该'}包裹在打包工位“${station}”全程录像，录像时间 ${from}${to ? ` 至 ${to}` : ''}（${zone}）${dur ? `，时长 ${dur}` : ''}。`,
    continuous: '录像连续，无中断。',
    gaps: (n: number) => `录像中有 ${n} 处摄像头未录到画面的中断，时间见证据包。`,
    hash: (h: string) => `录像文件 SHA-256：${h}`,
    itemsHead: (orderNo: string) => `订单 ${orderNo} 的商品：`,
    item: (name: string, sku: string | null, qty: number) => `  - ${name} × ${qty}${sku ? `（SKU ${sku}）` : ''}`,
    photosHead: '二、买家照片核验',
    photo: (n: number, name: string) => `照片 ${n}（${name}）：`,
    video: (name: string) => `买家视频（${name}）：`,
    fileHash: (h: string) => `  文件 SHA-256：${h}`,
    finding: (s: string) => `  - ${s}`,
    matches: (list: string) => `  - 打包录像中与该照片最相似的画面：${list}（画面中叠加有录像时间和单号水印，可逐帧核对）。`,
    match: (pos: string, clock: string) => `第 ${pos} 处（画面时间 ${clock}）`,
    noMatch: '  - 未在打包录像中找到与该照片相似的画面。',
    listSep: '；',
    closing: '以上为对录像文件和买家文件的客观记录，录像原件、买家文件原件及其哈希值可随时提供核验。',
  },
  en: {
    title: (claimNo: string | null, platform: string | null) =>
      `Appeal statement${claimNo || platform ? ` (${[platform ? `platform: ${platform}` : '', claimNo ? `claim number: ${claimNo}` : ''].filter(Boolean).join(', ')})` : ''}`,
    clipHead: '1. Packing video',
    codes: (order: string[], waybill: string[]) => [order.length ? `order ${order.join(', ')}` : '', waybill.length ? `waybill ${waybill.join(', ')}` : ''].filter(Boolean).join(', '),
    packed: (codes: string, station: string, from: string, to: string | null, zone: string, dur: string | null) =>
      `The parcel${codes ? ` of ${codes}` : ''} was filmed throughout its packing at the packing station "${station}", from ${from}${to ? ` to ${to}` : ''} (${zone})${dur ? `, ${dur}` : ''}.`,
    continuous: 'The recording is continuous, with no gap.',
    gaps: (n: number) => `The recording has ${n} gap(s) where the camera recorded nothing; their times are in the evidence bundle.`,
    hash: (h: string) => `SHA-256 of the video file: ${h}`,
    itemsHead: (orderNo: string) => `Items of order ${orderNo}:`,
    item: (name: string, sku: string | null, qty: number) => `  - ${name} × ${qty}${sku ? ` (SKU ${sku})` : ''}`,
    photosHead: "2. The buyer's photos",
    photo: (n: number, name: string) => `Photo ${n} (${name}):`,
    video: (name: string) => `Buyer's video (${name}):`,
    fileHash: (h: string) => `  SHA-256 of the file: ${h}`,
    finding: (s: string) => `  - ${s}`,
    matches: (list: string) => `  - The moments of the packing video that look most like this photo: ${list} (the time and order number are burned into the picture; check frame by frame).`,
    match: (pos: string, clock: string) => `${pos} into the video (clock ${clock})`,
    noMatch: '  - No moment of the packing video looks like this photo.',
    listSep: '; ',
    closing: "These are records of the video file and the buyer's files. The original video, the buyer's files and their hashes can be provided for checking at any time.",
  },
} as const;

/**
 * How soon a line goes when the text must be shortened (higher first; 0 never). AI findings are what
 * the appeal rests on and stay with the clip facts; a lack of metadata (which proves nothing) goes first.
 */
const DROP = {
  ai: 0,
  neutral: 9,
  info: 8,
  closing: 7,
  fileHash: 6,
  notice: 5,
  clipHash: 4,
  noMatch: 3,
  // What should have been in the box: kept over every photo line but the matched moments.
  items: 2,
  matches: 1,
} as const;

/** The lines of the appeal text, each with how soon it may be dropped. */
function lines(input: AppealTextInput): Line[] {
  const { lang, clip, claim, utcOffsetMinutes: off } = input;
  const w = W[lang];
  const out: Line[] = [];
  const push = (text: string, drop = 0): void => void out.push({ text, drop });

  push(w.title(claim.claimNumber ? clean(claim.claimNumber) : null, claim.platform ? clean(claim.platform) : null));
  push('', 0);
  push(w.clipHead);
  const orders = [...new Set([...(clip.order ? [clip.order.orderNo] : []), ...clip.codeDetails.filter((c) => c.kind === 'order').map((c) => c.code)].map(clean))];
  const waybills = [...new Set(clip.codeDetails.filter((c) => c.kind === 'waybill').map((c) => clean(c.code)))];
  const durationMs = clip.video?.durationMs ?? (clip.endedAt ? Date.parse(clip.endedAt) - Date.parse(clip.startedAt) : null);
  push(
    w.packed(
      w.codes(orders, waybills),
      clean(clip.station),
      stationTime(clip.startedAt, off),
      clip.endedAt ? stationTime(clip.endedAt, off) : null,
      zoneLabel(off),
      durationMs === null ? null : durationText(durationMs, lang),
    ),
  );
  push(clip.gaps.length ? w.gaps(clip.gaps.length) : w.continuous);
  if (clip.video) push(w.hash(clip.video.sha256), DROP.clipHash);
  // The imported order's items (names and SKUs come from the shop's export: cleaned like file names).
  // One block: shortening drops the whole list, never its tail (a partial list would say less was ordered).
  if (clip.order?.items.length) {
    const items = clip.order.items.map((it) => w.item(clean(it.name), it.sku ? clean(it.sku) : null, it.qty));
    push([w.itemsHead(clean(clip.order.orderNo)), ...items].join('\n'), DROP.items);
  }

  push('', 0);
  push(w.photosHead);
  let photoNo = 0;
  for (const f of claim.files) {
    const name = clean(f.originalName);
    push(f.kind === 'photo' ? w.photo(++photoNo, name) : w.video(name));
    push(w.fileHash(f.sha256), DROP.fileHash);
    for (const finding of bySeverity(f.findings)) {
      const severity = findingSeverity(finding.kind, finding.values);
      push(w.finding(clean(finding.statement[lang])), DROP[severity]);
    }
    if (f.kind === 'photo') {
      if (f.matches.length) {
        const list = f.matches.map((m) => w.match(clipPosition(m.atSeconds), stationTime(new Date(Date.parse(clip.startedAt) + m.atSeconds * 1000).toISOString(), off).slice(11))).join(w.listSep);
        push(w.matches(list), DROP.matches);
      } else if (clip.video) {
        push(w.noMatch, DROP.noMatch);
      }
    }
  }
  push('', DROP.closing);
  push(w.closing, DROP.closing);
  return out;
}

const countChars = (s: string): number => [...s].length;

/** The appeal text for one claim on its clip, in one language. */
export function appealText(input: AppealTextInput): AppealText {
  let ls = lines(input);
  const join = (xs: Line[]): string => xs.map((l) => l.text).join('\n');
  let text = join(ls);
  const max = input.maxChars;
  if (max === undefined || countChars(text) <= max) return { text, chars: countChars(text), shortened: false };

  // Drop the lines that matter least first (highest `drop`), the later ones of a rank before earlier ones.
  const levels = [...new Set(ls.map((l) => l.drop).filter((d) => d > 0))].sort((a, b) => b - a);
  for (const level of levels) {
    for (let i = ls.length - 1; i >= 0 && countChars(text) > max; i--) {
      if (ls[i]!.drop !== level) continue;
      ls = [...ls.slice(0, i), ...ls.slice(i + 1)];
      text = join(ls);
    }
    if (countChars(text) <= max) break;
  }
  text = text.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '');
  if (countChars(text) > max) {
    // Still too long: cut at the last line end that fits, else mid-line, and say so with "…".
    const cps = [...text].slice(0, max - 1);
    const lastBreak = cps.lastIndexOf('\n');
    text = `${(lastBreak > max / 2 ? cps.slice(0, lastBreak) : cps).join('')}…`;
  }
  return { text, chars: countChars(text), shortened: true };
}
