/**
 * The side-by-side composite: every camera's view of a clip in one MP4, for platforms that take one
 * file. Pure layout here; the encode is transcode.ts's (same plan rules: trim, speed-up, size cap).
 *
 * Two cameras sit side by side, three or four in a 2x2 grid (four in a row would be 4x as wide as
 * tall, and a platform's player shrinks it to a strip). Every view is scaled to the main camera's
 * height (its picture is the one a reviewer reads the label in), letterboxed into cells of one width.
 */
import type { FitSource } from './fit-plan.js';

export interface CompositeLayout {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  /** The grid's picture size and frame rate: what the fit plan scales and caps as one source. */
  source: Omit<FitSource, 'durationSec'>;
}

export function compositeLayout(views: ReadonlyArray<{ width: number; height: number; fps: number }>): CompositeLayout {
  if (views.length < 2) throw new Error('a composite needs two views or more');
  const main = views[0]!;
  const columns = 2;
  const rows = Math.ceil(views.length / columns);
  const cellHeight = even(main.height);
  const cellWidth = Math.max(...views.map((v) => even((cellHeight * v.width) / v.height)));
  return { columns, rows, cellWidth, cellHeight, source: { width: columns * cellWidth, height: rows * cellHeight, fps: main.fps } };
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}
