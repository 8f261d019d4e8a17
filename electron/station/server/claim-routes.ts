/**
 * Claims over HTTP: `POST /api/clips/:id/claims` (multipart: `photo` files, an optional
 * `video`, fields `platform`, `claimNumber`, `buyerWords`), the clip's claims, and the station's
 * preview JPEG of a claim photo (the UI shows that, never the buyer's file).
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClaimFields, type ErrorResponse } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute, invalidInput } from './route.js';
import { APPEAL_MAX_CHARS, APPEAL_MIN_CHARS, appealText, type AppealLang } from '../../../shared/appeal-text.js';
import { parseId } from '../../../shared/ids.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import { ClaimIntake, FileTooLargeError, receiveFile, type ReceivedFile } from '../claims/claim-intake.js';
import { CLAIM_MAX_PHOTOS, CLAIM_MAX_VIDEO_BYTES } from '../limits.js';
import { msg, errorBody, LocalizedError, refusal } from '../localized-error.js';
import { actor, clipIdRoute } from './request.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ClaimRouteDeps {
  dataDir: string;
  station: string;
  intake: ClaimIntake;
  /** The clip facts the appeal text states (its codes, times, station and hash). */
  clips: ClipsRepo;
}

const FIELD_NAMES = new Set(['platform', 'claimNumber', 'buyerWords']);

export async function registerClaimRoutes(app: FastifyInstance, d: ClaimRouteDeps): Promise<void> {
  // Limits before our own: busboy stops counting parts, fields and bytes at these, whatever the client sends.
  await app.register(multipart, {
    limits: { fileSize: CLAIM_MAX_VIDEO_BYTES, files: CLAIM_MAX_PHOTOS + 2, fields: 8, fieldSize: 16 * 1024, parts: CLAIM_MAX_PHOTOS + 10, headerPairs: 100 },
  });

  addRoute(app, r.addClaim, clipIdRoute, async (req, reply) => {
    if (!req.isMultipart()) return reply.code(415).send(refusal(msg('claim.claimNotMultipart')));
    const got = await receiveParts(req, d.dataDir, true);
    if ('status' in got) return reply.code(got.status).send(got.body);
    const { files, fields } = got;
    const parsed = ClaimFields.safeParse(fields);
    if (!parsed.success) {
      for (const f of files) rmSync(f.tempPath, { force: true });
      return reply.code(400).send(invalidInput(r.addClaim, parsed.error.issues));
    }
    try {
      const claim = await d.intake.add(req.params.id, parsed.data, files, actor(req, d.station));
      return reply.code(201).send(claim);
    } catch (err) {
      if (err instanceof LocalizedError) return reply.code(/^no clip /.test(err.message) ? 404 : 422).send(errorBody(err));
      throw err;
    }
  });

  addRoute(app, r.identifyClaimPhotos, async (req, reply) => {
    if (!req.isMultipart()) return reply.code(415).send(refusal(msg('claim.photosNotMultipart')));
    const got = await receiveParts(req, d.dataDir, false);
    if ('status' in got) return reply.code(got.status).send(got.body);
    if (got.files.length === 0) return reply.code(400).send(refusal(msg('claim.noPhoto')));
    return d.intake.identify(got.files);
  });

  addRoute(app, r.clipClaims, clipIdRoute, async (req) => ({ claims: d.intake.repo.forClip(req.params.id) }));

  addRoute(app, r.claimPhotoPreview, async (req, reply) => {
    const claimId = parseId(req.params.claim);
    const position = parseId(req.params.position);
    if (claimId === null || position === null) return reply.code(400).send(refusal(msg('claim.badClaimOrPhotoNumber')));
    const paths = d.intake.repo.filePaths(claimId, position);
    if (!paths?.preview) return reply.code(404).send(refusal(msg('claim.noPreviewOfFile', { claimId, position })));
    return reply.type('image/jpeg').sendFile(join(...paths.preview.split('/')), d.dataDir, { cacheControl: false });
  });

  // The appeal text (申诉说明) as plain text to paste into a platform's form; `maxChars` shortens it.
  addRoute(
    app,
    r.appealText,
    clipIdRoute,
    async (req, reply) => {
      const claimId = parseId(req.params.claim);
      if (claimId === null) return reply.code(400).send(refusal(msg('claim.badClaimNumber')));
      const lang = req.query.lang ?? 'zh-CN';
      if (lang !== 'zh-CN' && lang !== 'en') return reply.code(400).send(refusal(msg('claim.badLang')));
      let maxChars: number | undefined;
      if (req.query.maxChars !== undefined) {
        const n = parseId(req.query.maxChars);
        if (n === null || n < APPEAL_MIN_CHARS || n > APPEAL_MAX_CHARS) {
          return reply.code(400).send(refusal(msg('claim.badMaxChars', { appealMinChars: APPEAL_MIN_CHARS, appealMaxChars: APPEAL_MAX_CHARS })));
        }
        maxChars = n;
      }
      const clip = d.clips.get(req.params.id);
      if (!clip) return reply.code(404).send(refusal(msg('claim.noClip', { id: req.params.id })));
      const claim = d.intake.repo.get(claimId);
      // A claim of another clip is as absent as none: the id in the path names both.
      if (!claim || claim.clipId !== clip.id) return reply.code(404).send(refusal(msg('claim.clipHasNoClaim', { id: clip.id, claimId })));
      // The station's clock zone at the clip's start: the times match the overlay burned into the video.
      const utcOffsetMinutes = -new Date(clip.startedAt).getTimezoneOffset();
      const out = appealText({ lang: lang as AppealLang, clip, claim, utcOffsetMinutes, maxChars });
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-packwitness-shortened', out.shortened ? '1' : '0')
        .send(out.text);
    },
  );
}

type Received = { files: ReceivedFile[]; fields: Record<string, string> } | { status: number; body: ErrorResponse };

/**
 * Reads a multipart claim upload: `photo` files (and a `video` when allowed) into `claims/.incoming`,
 * the text fields. On a refusal the temporary files are gone and the answer is one sentence.
 */
async function receiveParts(req: FastifyRequest, dataDir: string, allowVideo: boolean): Promise<Received> {
    const files: ReceivedFile[] = [];
    const fields: Record<string, string> = {};
    let photos = 0;
    // The first refusal is kept and the rest of the upload read and dropped: a client still sending
    // reads no answer until its body is taken (busboy's limits bound how much that can be).
    let refused: LocalizedError | null = null;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          if (FIELD_NAMES.has(part.fieldname) && typeof part.value === 'string') fields[part.fieldname] = part.value;
          continue;
        }
        const kind = part.fieldname === 'video' && allowVideo ? 'video' : part.fieldname === 'photo' ? 'photo' : null;
        if (kind === 'photo') photos++;
        if (!refused && !kind) {
          refused = new LocalizedError(msg('claim.unknownFileField', { fieldname: part.fieldname.slice(0, 40) }));
        }
        if (!refused && photos > CLAIM_MAX_PHOTOS) refused = new LocalizedError(msg('claim.tooManyPhotos', { claimMaxPhotos: CLAIM_MAX_PHOTOS }));
        if (refused || !kind) {
          part.file.resume();
          await new Promise((resolve) => part.file.once('end', resolve).once('close', resolve));
          continue;
        }
        try {
          files.push(await receiveFile(dataDir, part.file, kind, part.filename, kind === 'photo' ? photos : 1));
        } catch (err) {
          if (!(err instanceof FileTooLargeError)) throw err;
          refused = err;
        }
      }
    } catch (err) {
      for (const f of files) rmSync(f.tempPath, { force: true });
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('FST_')) return { status: 413, body: refusal(msg('claim.uploadTooLarge')) };
      throw err;
    }
    if (refused) {
      for (const f of files) rmSync(f.tempPath, { force: true });
      return { status: refused instanceof FileTooLargeError ? 413 : 400, body: errorBody(refused) };
    }
  return { files, fields };
}
