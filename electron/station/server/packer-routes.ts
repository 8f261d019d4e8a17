/**
 * Packers over HTTP: the settings screen lists, adds, renames and removes the names printed on the
 * badges (operator only, like every setting). A code is refused unless the station's own scan rules
 * read it as a badge: a badge printed with any other code would start a clip instead of signing in.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { msg, refusal } from '../localized-error.js';
import type { PackersRepo } from '../packers/packers-repo.js';
import { packerKey } from '../packers/packers-repo.js';

export interface PackerRouteDeps {
  packers: PackersRepo;
  /** Whether a scan of this code would sign a packer in with the scan settings in force. */
  isBadge: (code: string) => boolean;
  /** A packer's name changed (added, renamed, removed): the overlay shows the new one if they are signed in. */
  changed: (code: string) => void;
}

const notFound = (reply: FastifyReply, code: string): FastifyReply =>
  reply.code(404).send(refusal(msg('packer.noSuchBadge', { code })));

export function registerPackerRoutes(app: FastifyInstance, d: PackerRouteDeps): void {
  addRoute(app, r.packers, async () => ({ packers: d.packers.list() }));

  addRoute(app, r.addPacker, async (_req, reply, { body }) => {
    const code = packerKey(body.code);
    if (!d.isBadge(code)) {
      return reply
        .code(400)
        .send(refusal(msg('packer.notReadAsBadge', { code })));
    }
    if (!d.packers.add(code, body.name)) {
      return reply.code(409).send(refusal(msg('packer.badgeAlreadyHasPacker', { code })));
    }
    d.changed(code);
    return reply.code(201).send(d.packers.get(code)!);
  });

  addRoute(app, r.renamePacker, async (req, reply, { body }) => {
    const code = packerKey(req.params.code);
    if (!d.packers.rename(code, body.name)) return notFound(reply, code);
    d.changed(code);
    return d.packers.get(code)!;
  });

  // Answers with the packers left, so the screen shows the list the station now has.
  addRoute(app, r.removePacker, async (req, reply) => {
    const code = packerKey(req.params.code);
    if (!d.packers.remove(code)) return notFound(reply, code);
    d.changed(code);
    return { packers: d.packers.list() };
  });
}
