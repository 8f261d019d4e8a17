import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * Read buffer size. The station hashes every segment as it closes and the background scrub re-reads
 * footage at 8 MB/s all shift: a read stream would allocate a fresh 64 KB buffer per chunk (~130 a
 * second), and that churn through malloc is what made the station's memory creep upward for hours.
 * Each hash borrows one of a few long-lived buffers instead.
 */
const CHUNK_BYTES = 1024 * 1024;
/** Buffers kept for reuse: hashes rarely overlap more than this (segment close, scrub, a clip cut). */
const MAX_SPARE = 4;
const spare: Buffer[] = [];

/** SHA-256 of a file, read in chunks (segments and clips can be large). */
export async function sha256File(path: string): Promise<string> {
  const fh = await open(path, 'r');
  const buf = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  try {
    const hash = createHash('sha256');
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    // The buffer goes back only after the last read has completed: no read can still be filling it.
    if (spare.length < MAX_SPARE) spare.push(buf);
    await fh.close();
  }
}

/** How many read buffers are waiting for reuse (for tests). */
export function spareHashBuffers(): number {
  return spare.length;
}
