/**
 * Browser hardening headers, sent on every answer of the station (UI files, API, refusals, the
 * preview stream).
 *
 * The Content-Security-Policy is what keeps a code that slipped through escaping (a waybill number,
 * a station name, a clip note) from ever running as script: scripts come only from the station's own
 * files, never inline, never through eval, and the page may talk to nothing but the station. The UI
 * is built for it: Vite emits no inline script, and zod runs jitless (renderer/src/zod-config.ts),
 * since its JIT probes `new Function`.
 *
 * - `img-src data:`: the camera test's frame comes back as a base64 JPEG in JSON.
 * - `media-src blob:`: kept for players that hand a blob to <video>; clips are served by the station.
 * - `style-src 'unsafe-inline'` is NOT given: React writes styles through the CSSOM, which CSP does
 *   not govern; the command sheet's barcode (JsBarcode) only sets SVG presentation attributes.
 * - `frame-ancestors 'none'` and `X-Frame-Options: DENY` (older browsers): no other page may show the
 *   station's screens under a decoy and have the operator click them.
 * - `Referrer-Policy: no-referrer`: the READY URL carries the token; no request the page makes (a
 *   link opened in the system browser, an image) may carry it along in a Referer.
 * - `X-Content-Type-Options: nosniff`: a clip note or an export name served back is never read as
 *   HTML or script because it looks like one.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});
