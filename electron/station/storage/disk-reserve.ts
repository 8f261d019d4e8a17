/**
 * A reserve file ("ballast") in the data folder. When the disk fills faster than the 5-s check can
 * see (another program writes a big file), ffmpeg and SQLite hit ENOSPC; deleting the reserve then
 * gives back room at once, so the index can record the last segment, the run's end and the gap, and
 * retention can mark what it deletes, instead of failing with "database or disk is full".
 * It is made again when recording resumes.
 */
import { closeSync, existsSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { log } from '../log.js';

const CHUNK = 1024 * 1024;

export class DiskReserve {
  constructor(
    private readonly file: string,
    readonly bytes: number,
  ) {}

  present(): boolean {
    return existsSync(this.file);
  }

  /**
   * Writes the reserve (real zeros: a sparse file would hold no space). Synchronous on purpose: it
   * runs at start-up and on resume, ~64 MB, and a half-made reserve must never be left behind.
   */
  create(): boolean {
    if (this.present()) return true;
    const partial = `${this.file}.partial`;
    const zeros = Buffer.alloc(CHUNK);
    let fd: number | null = null;
    try {
      fd = openSync(partial, 'w');
      for (let left = this.bytes; left > 0; left -= CHUNK) writeSync(fd, zeros, 0, Math.min(CHUNK, left));
      closeSync(fd);
      fd = null;
      renameSync(partial, this.file);
      return true;
    } catch (err) {
      if (fd !== null) closeSync(fd);
      try {
        unlinkSync(partial);
      } catch {
        /* not there */
      }
      log.warn('could not make the disk reserve file', { error: (err as Error).message });
      return false;
    }
  }

  /** Frees the reserve now (synchronously: the caller is about to write to a full disk). */
  release(): boolean {
    try {
      unlinkSync(this.file);
      log.warn('disk reserve released to finish writing on a full disk', { bytes: this.bytes });
      return true;
    } catch {
      return false;
    }
  }
}
