/**
 * How many bytes PackWitness's footage really takes on disk: segment files (runs/**.ts) and clip
 * videos (clips/**.mp4). Walked on disk rather than summed from the index, because the index keeps
 * rows for files retention deleted, and a crash can leave files the index never saw.
 *
 * A walk over months of segments is ~10^6 stat calls, so a result is reused for a minute and a
 * second walk never starts while one runs.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const FOOTAGE_REFRESH_MS = 60_000;

/** The footage bytes under one data folder, walked now. Files vanishing mid-walk (retention) are skipped. */
export async function measureFootageBytes(dataDir: string): Promise<number> {
  return (await sumFiles(join(dataDir, 'runs'), '.ts')) + (await sumFiles(join(dataDir, 'clips'), '.mp4'));
}

async function sumFiles(dir: string, ext: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await sumFiles(p, ext);
    else if (e.isFile() && e.name.endsWith(ext)) total += await stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

export class FootageMeter {
  private last: { bytes: number; atMs: number } | null = null;
  private running: Promise<{ bytes: number; atMs: number }> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly maxAgeMs = FOOTAGE_REFRESH_MS,
  ) {}

  /** The latest measurement, walking the folders first when there is none younger than maxAgeMs. */
  async read(): Promise<{ bytes: number; atMs: number }> {
    if (this.last && Date.now() - this.last.atMs < this.maxAgeMs) return this.last;
    this.running ??= (async () => {
      const atMs = Date.now();
      const bytes = await measureFootageBytes(this.dataDir);
      return { bytes, atMs };
    })().finally(() => (this.running = null));
    this.last = await this.running;
    return this.last;
  }
}
