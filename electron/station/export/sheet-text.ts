/**
 * The words on the evidence sheet: labels in the station's language, and the few text-layout helpers
 * the sheet needs because ffmpeg's drawtext neither wraps nor measures for us.
 */

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
  /** "every 5 s and at each scan (amber captions) · 14 frames" */
  framesValue: (o: { intervalSeconds: number | null; tiles: number; scans: number }) => string;
}

/** zh-CN is bilingual: a Chinese merchant files it, a foreign platform's reviewer may read it. */
export const LABELS: Record<SheetLocale, SheetLabels> = {
  en: {
    title: 'PackWitness evidence sheet',
    codes: 'Codes',
    station: 'Station',
    mode: 'Mode',
    modes: { pack: 'pack (outbound)', return: 'return (unboxing)' },
    recorded: 'Recorded',
    clip: 'Clip',
    clipSha: 'Clip SHA-256',
    exportSha: 'Export SHA-256',
    key: 'Signing key',
    frames: 'Key frames',
    note: 'Note',
    scan: 'scan',
    framesValue: ({ intervalSeconds, tiles, scans }) =>
      `${intervalSeconds === null ? 'chosen times' : `every ${intervalSeconds} s`}${scans ? ' and at each scan (amber captions)' : ''} · ${tiles} frames · station clock`,
  },
  'zh-CN': {
    title: '打包见证 证据图 · PackWitness evidence sheet',
    codes: '单号 Codes',
    station: '工位 Station',
    mode: '模式 Mode',
    modes: { pack: '打包 pack', return: '退货拆包 return' },
    recorded: '录制 Recorded',
    clip: '片段 Clip',
    clipSha: '视频 Clip SHA-256',
    exportSha: '导出包 Export SHA-256',
    key: '签名密钥 Signing key',
    frames: '关键帧 Key frames',
    note: '说明 Note',
    scan: '扫码 scan',
    framesValue: ({ intervalSeconds, tiles, scans }) =>
      `${intervalSeconds === null ? '指定时刻 chosen times' : `每 ${intervalSeconds} 秒 every ${intervalSeconds} s`}${scans ? ' + 每次扫码(黄色标题) each scan (amber)' : ''} · ${tiles} 帧 frames · 工位时钟 station clock`,
  },
};

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
