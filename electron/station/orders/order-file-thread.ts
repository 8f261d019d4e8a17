/**
 * `readOrderFile` in a worker thread with limits on time and heap: what the HTTP import uses, so an
 * export of any size (or a hostile one) never holds the station's event loop. The CLI reads in its
 * own process and calls readOrderFile directly.
 */
import { Worker } from 'node:worker_threads';
import type { OrderSheet } from './order-file.js';
import type { OrderFileWorkerInput, OrderFileWorkerOutput } from './order-file-worker.js';
import { OrderImportError } from './order-import-error.js';
import { msg } from '../localized-error.js';

/** 100,000 orders parse in ~10 s here; a file that takes 12 times that is not an export. */
export const ORDER_FILE_READ_TIMEOUT_MS = 120_000;
/** Heap for the parse: 1M rows of text fit; a zip bomb of shared strings does not take the station with it. */
const WORKER_HEAP_MB = 1_536;

export function readOrderFileOffThread(file: string, name: string, timeoutMs = ORDER_FILE_READ_TIMEOUT_MS): Promise<OrderSheet> {
  return new Promise((resolve, reject) => {
    const input: OrderFileWorkerInput = { file };
    const worker = new Worker(new URL('./order-file-worker.js', import.meta.url), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      void worker.terminate();
      finish(() => reject(new OrderImportError(msg('orders.readTooLong', { name, seconds: Math.round(timeoutMs / 1000) }))));
    }, timeoutMs);
    worker.once('message', (m: OrderFileWorkerOutput) =>
      finish(() => {
        if (m.ok) resolve(m.sheet);
        else reject(m.refused ? new OrderImportError(m.text) : new Error(m.message));
      }),
    );
    worker.once('error', (err) =>
      finish(() => reject((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new OrderImportError(msg('orders.needsTooMuchMemory', { name })) : err)),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`the order file reader ended (exit code ${code}) before it answered`))));
  });
}
