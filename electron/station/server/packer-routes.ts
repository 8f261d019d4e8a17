/**
 * Packers over HTTP: the settings screen lists, adds, renames and removes the names printed on the
 * badges (operator only, like every setting). A code is refused unless the station's own scan rules
 * read it as a badge: a badge printed with any other code would start a clip instead of signing in.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PackerCreate, PackerRename, routes, type ErrorResponse, type Packer, type PackersResponse } from '../../../shared/api.js';
import { msg, refusal } from '../localized-error.js';
import type { PackersRepo } from '../packers/packers-repo.js';
import { packerKey } from '../packers/packers-repo.js';
import { parseOrExplain, SettingsError } from '../settings/station-settings.js';

export interface PackerRouteDeps {
  packers: PackersRepo;
  /** Whether a scan of this code would sign a packer in with the scan settings in force. */
  isBadge: (code: string) => boolean;
  /** A packer's name changed (added, renamed, removed): the overlay shows the new one if they are signed in. */
  changed: (code: string) => void;
}

function invalid(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SettingsError) return reply.code(400).send({ error: err.message } satisfies ErrorResponse);
  throw err;
}

const notFound = (reply: FastifyReply, code: string): FastifyReply =>
  reply.code(404).send(refusal(msg('packer.thereNoPackerWith', { code })));

export function registerPackerRoutes(app: FastifyInstance, d: PackerRouteDeps): void {
  app.get(routes.packers, async (): Promise<PackersResponse> => ({ packers: d.packers.list() }));

  app.post(routes.packers, async (req, reply): Promise<Packer | ErrorResponse> => {
    let body: PackerCreate;
    try {
      body = parseOrExplain(PackerCreate, req.body);
    } catch (err) {
      return invalid(reply, err);
    }
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

  app.put<{ Params: { code: string } }>('/api/packers/:code', async (req, reply): Promise<Packer | ErrorResponse> => {
    let body: PackerRename;
    try {
      body = parseOrExplain(PackerRename, req.body);
    } catch (err) {
      return invalid(reply, err);
    }
    const code = packerKey(req.params.code);
    if (!d.packers.rename(code, body.name)) return notFound(reply, code);
    d.changed(code);
    return d.packers.get(code)!;
  });

  // Answers with the packers left, so the screen shows the list the station now has.
  app.delete<{ Params: { code: string } }>('/api/packers/:code', async (req, reply): Promise<PackersResponse | ErrorResponse> => {
    const code = packerKey(req.params.code);
    if (!d.packers.remove(code)) return notFound(reply, code);
    d.changed(code);
    return { packers: d.packers.list() };
  });
}
