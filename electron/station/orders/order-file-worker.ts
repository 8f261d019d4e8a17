/**
 * Reads one order file off the station's main thread (order-file-thread.ts starts it). Parsing a big
 * export is seconds of CPU (measured in bench/results/orders.json: 6-11 s for 100,000 orders); on the
 * main thread the API, the bench's scans and the recorder's indexing would wait through it. A file
 * that crashes the parser or exhausts the thread's heap ends this thread, not the station.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readOrderFile, type OrderSheet } from './order-file.js';
import { OrderImportError } from './order-import-error.js';
import type { Message } from '../localized-error.js';

export interface OrderFileWorkerInput {
  file: string;
}

export type OrderFileWorkerOutput = { ok: true; sheet: OrderSheet } | { ok: false; refused: false; message: string } | { ok: false; refused: true; text: Message };

async function run(input: OrderFileWorkerInput): Promise<OrderFileWorkerOutput> {
  try {
    return { ok: true, sheet: await readOrderFile(input.file) };
  } catch (err) {
    // A refusal crosses the thread as its catalogue message (plain data), so it stays translatable.
    if (err instanceof OrderImportError && err.text) return { ok: false, refused: true, text: err.text };
    return { ok: false, refused: false, message: err instanceof Error ? err.message : String(err) };
  }
}

void run(workerData as OrderFileWorkerInput).then((out) => parentPort?.postMessage(out));
