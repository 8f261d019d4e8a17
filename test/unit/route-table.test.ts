/**
 * The route table (shared/route-table.ts) and the server's registration from it (server/route.ts):
 * URLs from patterns, the one wording of refused input, and input checked before (or, for a late
 * body, where) the handler reads it.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../shared/api.js';
import { msg } from '../../shared/messages/index.js';
import { fillPath, invalidText, issuesText, routeUrl, stationRoutes, type RouteEntry } from '../../shared/route-table.js';
import { addRoute, lateBody, readBody } from '../../electron/station/server/route.js';

describe('the route table', () => {
  it('names each method and pattern once', () => {
    const keys = Object.values(stationRoutes).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('builds URLs from patterns, each value percent-encoded, the query without empty fields', () => {
    expect(routeUrl(stationRoutes.clip, { id: 7 })).toBe(routes.clip(7));
    expect(routeUrl(stationRoutes.renamePacker, { code: 'PK 1/中' })).toBe(routes.packer('PK 1/中'));
    expect(routeUrl(stationRoutes.clips, undefined, { q: 'SO 1', mode: '', cursor: undefined, limit: 5 })).toBe('/api/clips?q=SO+1&limit=5');
    expect(routeUrl(stationRoutes.stats, undefined, new URLSearchParams({ from: 'a' }))).toBe('/api/stats?from=a');
    expect(routeUrl(stationRoutes.status)).toBe(routes.status);
    // A camera's video: the main camera's without the parameter.
    expect(routes.clipVideo(7)).toBe(routeUrl(stationRoutes.clipVideo, { id: 7 }));
    expect(routes.clipVideo(7, 'demo-2')).toBe(routeUrl(stationRoutes.clipVideo, { id: 7 }, { camera: 'demo-2' }));
    expect(routes.clipVideoDownload(7, 'cam.1')).toBe('/api/clips/7/video/download?camera=cam.1');
    expect(() => fillPath('/api/clips/:id', {})).toThrow(/no value for :id/);
  });

  it('words refused input as every issue, `path: message`, or as the route says', () => {
    const r = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: { c: 1 } });
    expect(r.success).toBe(false);
    const issues = r.error!.issues;
    expect(invalidText({}, issues)).toBe(`a: ${issues[0]!.message}; b.c: ${issues[1]!.message}`);
    const root = z.object({}).safeParse(null).error!.issues;
    expect(issuesText(root)).toMatch(/^body: /);
    expect(invalidText(stationRoutes.scan, issues)).toBe('send JSON {"code": "<scanned text>"}');
    expect(invalidText(stationRoutes.moveStorage, issues)).toEqual(msg('storage.moveNeedsFolder'));
  });
});

describe('registering from the table', () => {
  const entry = {
    method: 'POST',
    path: '/t/:n',
    access: 'operator',
    params: z.object({ n: z.string().regex(/^\d+$/) }),
    query: z.object({ q: z.string().optional() }),
    body: z.object({ x: z.number(), flag: z.boolean().default(true) }),
  } satisfies RouteEntry;

  it('checks params, query and body before the handler, which gets them parsed', async () => {
    const app = Fastify();
    let calls = 0;
    addRoute(app, entry, async (req, _reply, input) => {
      calls++;
      // Defaults applied, and the request carries the parsed values too.
      return { body: input.body, same: req.body === input.body, n: req.params.n };
    });
    const ok = await app.inject({ method: 'POST', url: '/t/12', payload: { x: 1 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ body: { x: 1, flag: true }, same: true, n: '12' });
    const badParam = await app.inject({ method: 'POST', url: '/t/ab', payload: { x: 1 } });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json()).toEqual({ error: expect.stringMatching(/^n: /) });
    const badBody = await app.inject({ method: 'POST', url: '/t/1', payload: { x: 'no', flag: 3 } });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error.split('; ').map((p: string) => p.split(':')[0])).toEqual(['x', 'flag']);
    expect(calls).toBe(1);
    await app.close();
  });

  it('answers a catalogue sentence with its code and both languages', async () => {
    const app = Fastify();
    addRoute(app, { ...entry, invalid: () => msg('storage.moveNeedsFolder') }, async () => ({}));
    const res = await app.inject({ method: 'POST', url: '/t/1', payload: {} });
    expect(res.json()).toEqual({
      error: 'Name the new folder: {"to": "/full/path/to/folder"}.',
      code: 'storage.moveNeedsFolder',
      message: { en: 'Name the new folder: {"to": "/full/path/to/folder"}.', 'zh-CN': '请填写新文件夹：{"to": "/完整/路径"}。' },
    });
    await app.close();
  });

  it('leaves a late body to the handler, after its own refusals', async () => {
    const app = Fastify();
    addRoute(app, lateBody(entry), async (req, reply) => {
      if (req.headers['x-busy']) return reply.code(503).send({ error: 'busy' });
      return { x: readBody(entry, req.body).x };
    });
    expect((await app.inject({ method: 'POST', url: '/t/1', headers: { 'x-busy': '1' }, payload: {} })).statusCode).toBe(503);
    const bad = await app.inject({ method: 'POST', url: '/t/1', payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/^x: /);
    expect((await app.inject({ method: 'POST', url: '/t/1', payload: { x: 2 } })).json()).toEqual({ x: 2 });
    await app.close();
  });
});
