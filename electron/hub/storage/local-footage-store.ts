/**
 * The footage store on a local folder (a disk or a NAS mount). A put writes to a hidden partial file,
 * hashing as it goes, fsyncs it and only then renames it into place: a hub killed mid-upload leaves a
 * partial file (removed at the next put of that key), never a short file under the real name.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FootageStore, StoredObject } from './footage-store.js';

export class LocalFootageStore implements FootageStore {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    // Keys come from clipVideoKey(); this is the belt to its braces.
    if (!/^[a-z0-9]+(\/[a-z0-9.-]+)*$/.test(key) || key.includes('..')) throw new Error(`bad footage key: ${key}`);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: AsyncIterable<Buffer>): Promise<StoredObject> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    // One partial name per key: a put cut short (the hub killed mid-upload) is overwritten by the retry.
    const partial = join(dirname(file), `.partial-${file.split(sep).pop()}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(partial, { flags: 'w' }));
      const fh = await open(partial, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(partial, file);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      const st = await stat(this.path(key));
      return { bytes: st.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async freeBytes(): Promise<number | null> {
    await mkdir(this.root, { recursive: true });
    const s = await statfs(this.root);
    return s.bavail * s.bsize;
  }
}
