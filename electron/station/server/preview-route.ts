/**
 * Live preview over HTTP as multipart MJPEG (what <img src> plays natively in every browser), one
 * stream per camera: `?camera=ID`, the main camera without it. Each viewer gets the newest frame; a
 * viewer that cannot keep up skips frames instead of queueing them.
 *
 * A stream is a viewer of the camera's PreviewTap for as long as it is open: the first one starts the
 * preview ffmpeg, the last one leaving lets it stop (preview-tap.ts). The single-frame route watches
 * just long enough for one picture.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PREVIEW_FRAME_WAIT_MS } from '../limits.js';
import { msg, refusal } from '../localized-error.js';
import type { PreviewTap } from '../recorder/preview-tap.js';

const BOUNDARY = 'pwframe';
/** A frame newer than this is current enough for the single-frame route (the tap makes one a second). */
const FRESH_FRAME_MS = 1_500;

export type PreviewQuery = { camera?: unknown };

/** The camera's tap, or a refusal already sent (400: not one id; 404: no such camera). */
function tapFor(taps: (camera: string | undefined) => PreviewTap | null, query: PreviewQuery, reply: FastifyReply): PreviewTap | null {
  const camera = query.camera;
  if (camera !== undefined && typeof camera !== 'string') {
    void reply.code(400).send(refusal(msg('common.giveOneCameraId')));
    return null;
  }
  const tap = taps(camera);
  if (!tap) void reply.code(404).send(refusal(msg('preview.noSuchCamera', { camera: JSON.stringify(camera) })));
  return tap;
}

export function servePreview(taps: (camera: string | undefined) => PreviewTap | null, req: FastifyRequest<{ Querystring: PreviewQuery }>, reply: FastifyReply): void {
  const tap = tapFor(taps, req.query, reply);
  if (!tap) return;
  const hub = tap.hub;
  reply.hijack();
  const res = reply.raw;
  // Hijacked: the headers set so far (the guard's security headers) would not be sent otherwise.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
  res.writeHead(200, {
    'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
    'cache-control': 'no-store',
    connection: 'close',
  });
  let waitingForDrain = false;
  const send = (jpeg: Buffer): void => {
    if (waitingForDrain || res.destroyed) return;
    res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
    const ok = res.write(jpeg);
    res.write('\r\n');
    if (!ok) {
      waitingForDrain = true;
      res.once('drain', () => (waitingForDrain = false));
    }
  };
  const release = tap.watch();
  if (hub.latest) send(hub.latest);
  hub.on('frame', send);
  const stop = (): void => {
    hub.off('frame', send);
    release();
  };
  req.raw.on('close', stop);
  res.on('close', stop);
}

export async function servePreviewFrame(taps: (camera: string | undefined) => PreviewTap | null, req: FastifyRequest<{ Querystring: PreviewQuery }>, reply: FastifyReply): Promise<FastifyReply> {
  const tap = tapFor(taps, req.query, reply);
  if (!tap) return reply;
  const hub = tap.hub;
  let jpeg = hub.latest && Date.now() - hub.latestAt < FRESH_FRAME_MS ? hub.latest : null;
  if (!jpeg) {
    // Nobody watching (or a stale picture): watch until the next one comes.
    const release = tap.watch();
    try {
      jpeg = await new Promise<Buffer | null>((resolve) => {
        const timer = setTimeout(() => {
          hub.off('frame', got);
          resolve(null);
        }, PREVIEW_FRAME_WAIT_MS);
        const got = (f: Buffer): void => {
          clearTimeout(timer);
          resolve(f);
        };
        hub.once('frame', got);
      });
    } finally {
      release();
    }
  }
  if (!jpeg) return reply.code(503).send(refusal(msg('preview.noFrameYet')));
  return reply.type('image/jpeg').header('cache-control', 'no-store').send(jpeg);
}
