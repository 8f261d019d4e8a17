/**
 * How far the segment chain may have got, kept beside the station key (`keys/chain-reserve.json`), out
 * of the database: when the database is lost, this is what proves which seq numbers are already taken.
 * The chain reserves CHAIN_RESERVE_BLOCK numbers at a time, written before the entry that needs them,
 * so the file never says less than any seq the database holds, at the cost of one small write per
 * ~1,000 segments. A recovery starts its epoch above it (and above what the files on disk prove).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN_RESERVE_BLOCK } from '../limits.js';
import { KEYS_DIR } from './station-keys.js';

export const CHAIN_RESERVE_FILE = 'chain-reserve.json';

export class ChainReserve {
  private through: number | null;
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, KEYS_DIR, CHAIN_RESERVE_FILE);
    this.through = this.read();
  }

  /** The highest seq the file says may have been used, or null when there is no (readable) file. */
  read(): number | null {
    try {
      const v = (JSON.parse(readFileSync(this.file, 'utf8')) as { reservedThroughSeq?: unknown }).reservedThroughSeq;
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
    } catch {
      return null;
    }
  }

  /** Make sure `seq` is covered; writes (atomically, fsynced) only when it is not. */
  cover(seq: number): void {
    if (this.through !== null && seq <= this.through) return;
    const through = seq + CHAIN_RESERVE_BLOCK - 1;
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ reservedThroughSeq: through, note: 'PackWitness: no evidence-chain seq above this has been used; kept outside the database so a recovery never reuses one' })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.through = through;
  }
}
