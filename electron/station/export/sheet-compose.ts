/**
 * The picture of a sheet (evidence sheet, claim sheet): captioned tiles in a grid under a title and a
 * header of label/value rows, drawn by one ffmpeg filter graph into a full-colour PPM that the caller
 * then encodes (JPEG, PNG). Every text goes through a file (`textfile`, `expansion=none`), never into
 * the graph itself: codes and buyers' words are hostile text, and drawtext would read `%{…}` in them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeFilterValue } from '../recorder/camera-spec.js';
import { overlayFont } from '../resources.js';
import { runFfmpeg } from './evidence-sheet.js';
import { textEms } from './sheet-text.js';

export interface HeaderRow {
  label: string;
  value: string;
}

export interface TileSheet {
  /** Picture files, one per tile, each `tile.width` x `tile.pictureHeight`; null: an empty cell (white). */
  tiles: Array<string | null>;
  /** One per tile: its caption background (ffmpeg colour) and one or two lines under the picture (null for an empty cell). */
  captions: Array<{ background: string; line1: string; line2?: string } | null>;
  tile: { width: number; pictureHeight: number; height: number };
  /** Baselines of the caption's lines, below the picture. */
  captionBaselines: [number, number];
  columns: number;
  gap: number;
  canvas: { width: number; height: number; gridX: number; gridY: number };
  title: string;
  header: HeaderRow[];
  fonts: { title: number; header: number; headerLine: number; caption: number };
  margin: number;
}

export async function composeTileSheet(ffmpegPath: string, work: string, s: TileSheet, failure: string): Promise<string> {
  let n = 0;
  const font = escapeFilterValue(overlayFont());
  const draw = async (value: string, size: number, x: number, baseline: number, color = 'black'): Promise<string> => {
    const file = join(work, `text-${n++}.txt`);
    await writeFile(file, value, 'utf8');
    return `drawtext=fontfile=${font}:textfile=${escapeFilterValue(file)}:expansion=none:fontsize=${size}:fontcolor=${color}:x=${x}:y=${baseline}-max_glyph_a`;
  };
  const { width: w, pictureHeight: h, height: tileH } = s.tile;
  const cellW = w + s.gap;
  const cellH = tileH + s.gap;
  const chains: string[] = [];
  // Only the pictures are ffmpeg inputs: an empty cell takes no input number.
  const inputOf = new Map<number, number>();
  for (const [i, t] of s.tiles.entries()) if (t !== null) inputOf.set(i, inputOf.size);
  for (const [i, c] of s.captions.entries()) {
    if (c === null) continue;
    const steps = [`[${inputOf.get(i)!}:v]format=rgb24`, `pad=${w}:${tileH}:0:0:color=${c.background}`, await draw(c.line1, s.fonts.caption, 6, h + s.captionBaselines[0])];
    if (c.line2) steps.push(await draw(c.line2, s.fonts.caption, 6, h + s.captionBaselines[1]));
    // The gap goes on as white padding: xstack leaves uncovered pixels black.
    chains.push(`${steps.join(',')},pad=${cellW}:${cellH}:0:0:color=white[t${i}]`);
  }
  const cells = Math.ceil(s.captions.length / s.columns) * s.columns;
  const stack: string[] = [];
  const positions: string[] = [];
  for (let i = 0; i < cells; i++) {
    if (i >= s.captions.length || s.captions[i] === null) chains.push(`color=c=white:s=${cellW}x${cellH}:r=1,trim=end_frame=1,format=rgb24[t${i}]`);
    stack.push(`[t${i}]`);
    positions.push(`${(i % s.columns) * cellW}_${Math.floor(i / s.columns) * cellH}`);
  }
  chains.push(`${stack.join('')}xstack=inputs=${cells}:layout=${positions.join('|')}[grid]`);

  const head = [`[grid]pad=${s.canvas.width}:${s.canvas.height}:${s.canvas.gridX}:${s.canvas.gridY}:color=white`];
  head.push(await draw(s.title, s.fonts.title, s.margin, s.margin + s.fonts.title));
  const labelWidth = Math.ceil(Math.max(...s.header.map((r) => textEms(r.label))) * s.fonts.header) + 18;
  const firstBaseline = s.margin + s.fonts.title + 18 + s.fonts.header;
  for (const [r, row] of s.header.entries()) {
    const baseline = firstBaseline + r * s.fonts.headerLine;
    if (row.label) head.push(await draw(row.label, s.fonts.header, s.margin, baseline, '0x555555'));
    if (row.value) head.push(await draw(row.value, s.fonts.header, s.margin + labelWidth, baseline));
  }
  chains.push(`${head.join(',')}[sheet]`);

  const graph = join(work, 'graph.txt');
  await writeFile(graph, chains.join(';\n'), 'utf8');
  const out = join(work, 'sheet.ppm');
  await runFfmpeg(ffmpegPath, [...s.tiles.flatMap((t) => (t === null ? [] : ['-i', t])), '-filter_complex_script', graph, '-map', '[sheet]', '-frames:v', '1', '-c:v', 'ppm', '-f', 'image2', out], failure);
  return out;
}
