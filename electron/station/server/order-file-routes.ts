/**
 * Order files from the settings screen: the browser sends the shop's export as the raw
 * request body (application/octet-stream, its name in `?name=`), first for a preview (header row,
 * first rows, the mapping the import would use), then with the confirmed mapping for the import.
 * Streamed to a private temporary folder, read in a worker thread (order-file-thread.ts), written in
 * one transaction (order-import.ts), and the temporary copy removed whatever happens.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OrderColumnMapping, type ErrorResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import type { Db } from '../catalog/database.js';
import { MAX_ORDER_FILE_BYTES } from '../orders/order-file.js';
import { readOrderFileOffThread } from '../orders/order-file-thread.js';
import { importOrderSheet, previewOrderSheet } from '../orders/order-import.js';
import { OrderImportError } from '../orders/order-import-error.js';
import { errorBody, msg, refusal } from '../localized-error.js';

const OCTET = 'application/octet-stream';

interface FileQuery {
  name?: string;
  mapping?: string;
  platform?: string;
}

class TooLarge extends Error {}

/** The file's name as the messages show it: its last path part, no control or path characters, bounded. */
export function uploadName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069:*?"<>|]/g, '_').trim().slice(-120);
  return clean && clean !== '.' && clean !== '..' ? clean : 'orders.csv';
}

/** Streams the body to `file`, refusing at the size limit before the whole body is read into anything. */
async function receive(body: Readable, file: string): Promise<void> {
  let n = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > MAX_ORDER_FILE_BYTES) cb(new TooLarge());
      else cb(null, chunk);
    },
  });
  await pipeline(body, count, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
}

export function registerOrderFileRoutes(app: FastifyInstance, d: { db: Db }): void {
  // Scoped: only these two routes take a raw body; every other route keeps its JSON-only parsing.
  void app.register(async (scope) => {
    scope.addContentTypeParser(OCTET, { bodyLimit: MAX_ORDER_FILE_BYTES }, (_req, payload, done) => done(null, payload));

    const withFile = async <T>(req: FastifyRequest<{ Querystring: FileQuery }>, reply: FastifyReply, use: (file: string, name: string) => Promise<T>): Promise<T | ErrorResponse> => {
      if (req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== OCTET) {
        return reply.code(415).send(refusal(msg('orders.sendFileAsBody', { contentType: OCTET })));
      }
      const name = uploadName(req.query.name);
      const dir = mkdtempSync(join(tmpdir(), 'packwitness-orders-'));
      try {
        const file = join(dir, name);
        try {
          await receive(req.body as Readable, file);
        } catch (err) {
          if (err instanceof TooLarge) return reply.code(413).send(refusal(msg('orders.fileLargerThan', { name, mb: MAX_ORDER_FILE_BYTES / 1024 / 1024 })));
          throw err;
        }
        return await use(file, name);
      } catch (err) {
        if (err instanceof OrderImportError) return reply.code(422).send(errorBody(err));
        throw err;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    addRoute(scope, r.previewOrderFile, async (req, reply) =>
      withFile(req, reply, async (file, name) => previewOrderSheet(d.db, await readOrderFileOffThread(file, name), name)),
    );

    addRoute(scope, r.importOrderFile, async (req, reply) => {
      let mapping: OrderColumnMapping | undefined;
      if (req.query.mapping !== undefined) {
        let json: unknown;
        try {
          json = JSON.parse(req.query.mapping);
        } catch {
          json = undefined;
        }
        const m = OrderColumnMapping.safeParse(json);
        if (!m.success) return reply.code(400).send(refusal(msg('orders.mappingJson')));
        mapping = m.data;
      }
      const platform = req.query.platform?.trim().slice(0, 64) || null;
      return withFile(req, reply, async (file, name) => {
        const sheet = await readOrderFileOffThread(file, name);
        const r = importOrderSheet(d.db, sheet, name, { mapping, platform });
        return { orders: r.orders, items: r.items, created: r.created, updated: r.updated, skipped: r.skipped, encoding: r.encoding, mapping: r.mapping };
      });
    });
  });
}
