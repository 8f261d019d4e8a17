/**
 * Live preview over HTTP as multipart MJPEG (what <img src> plays natively in every browser).
 * Each viewer gets the newest frame; a viewer that cannot keep up skips frames instead of queueing them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PreviewHub } from '../recorder/preview.js';

const BOUNDARY = 'pwframe';

export function servePreview(hub: PreviewHub, req: FastifyRequest, reply: FastifyReply): void {
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
  if (hub.latest) send(hub.latest);
  hub.on('frame', send);
  const stop = (): void => {
    hub.off('frame', send);
  };
  req.raw.on('close', stop);
  res.on('close', stop);
}

export function servePreviewFrame(hub: PreviewHub, reply: FastifyReply): FastifyReply {
  if (!hub.latest) return reply.code(503).send({ error: 'no preview frame yet: the camera is starting or not recording' });
  return reply.type('image/jpeg').header('cache-control', 'no-store').send(hub.latest);
}
