import { Fragment, type ReactNode } from 'react';

/**
 * Where `query` occurs in `text`, compared the way the server searches (normalizeCode in
 * shared/api.ts: upper case, spaces and dashes ignored), as [start, end) ranges of `text`.
 * "53589" is found in "SF3141592653589"; "1234-567" in "123-1234567-1234567".
 */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  const frag = query.toUpperCase().replace(/[\s-]/g, '');
  if (!frag) return [];
  let norm = '';
  // For each character of `norm`, the index in `text` it came from.
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/[\s-]/.test(ch)) continue;
    const up = ch.toUpperCase();
    norm += up;
    for (let k = 0; k < up.length; k++) origin.push(i);
  }
  const ranges: Array<[number, number]> = [];
  for (let pos = norm.indexOf(frag); pos !== -1; pos = norm.indexOf(frag, pos + frag.length)) {
    const start = origin[pos]!;
    const end = origin[pos + frag.length - 1]! + 1;
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  return ranges;
}

/** `text` with every occurrence of the searched fragment marked. */
export function Highlight({ text, query }: { text: string; query: string }) {
  const ranges = matchRanges(text, query);
  if (!ranges.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(<Fragment key={`t${at}`}>{text.slice(at, start)}</Fragment>);
    parts.push(
      <mark key={`m${start}`} className="match">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(<Fragment key={`t${at}`}>{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}
