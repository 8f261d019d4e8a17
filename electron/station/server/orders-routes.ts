/**
 * Orders over HTTP: a shop pushes orders as JSON (`POST /api/orders`, operator token);
 * the same checks and the same one transaction as a file import.
 */
import type { FastifyInstance } from 'fastify';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import type { Db } from '../catalog/database.js';
import { importPushedOrders } from '../orders/order-import.js';
import { OrderImportError } from '../orders/order-import-error.js';
import { errorBody } from '../localized-error.js';

/** 5,000 orders with their items (the schema's cap) fit in ~4 MB of JSON; the station's 64 KB default would not take a hundred. */
export const ORDERS_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

export function registerOrdersRoutes(app: FastifyInstance, d: { db: Db }): void {
  addRoute(app, r.pushOrders, { bodyLimit: ORDERS_BODY_LIMIT_BYTES }, async (_req, reply, { body }) => {
    try {
      return importPushedOrders(d.db, body);
    } catch (err) {
      if (err instanceof OrderImportError) return reply.code(400).send(errorBody(err));
      throw err;
    }
  });
}
