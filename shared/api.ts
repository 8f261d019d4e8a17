/**
 * The HTTP API contract between the station core (server) and every client (renderer, CLI, tests).
 * One module, imported by both sides: the server builds its responses from these types, and the
 * renderer parses what it receives with the same schemas, so a change here breaks both at compile time.
 *
 * Runs in Node and in the browser: no Node or DOM imports here.
 */
import { z } from 'zod';

/** ISO 8601 in UTC, e.g. 2026-11-23T10:38:00.000Z. */
export const IsoTime = z.string().datetime({ offset: false });

export const HealthResponse = z.object({ ok: z.literal(true) });
export type HealthResponse = z.infer<typeof HealthResponse>;

/**
 * What the watchdog knows about the camera and its ffmpeg process.
 * - starting:   ffmpeg spawned, no segment closed yet
 * - recording:  segments are being closed on schedule
 * - stalled:    ffmpeg alive but produced nothing for too long (will be restarted)
 * - restarting: ffmpeg died or was killed; waiting out the back-off before the next start
 * - stopped:    the station is shutting down (or was never started)
 */
export const CameraStateName = z.enum(['starting', 'recording', 'stalled', 'restarting', 'stopped']);
export type CameraStateName = z.infer<typeof CameraStateName>;

export const Gap = z.object({
  id: z.number().int(),
  camera: z.string(),
  startedAt: IsoTime,
  /** null while the gap is still open (nothing recorded yet). */
  endedAt: IsoTime.nullable(),
  reason: z.string(),
});
export type Gap = z.infer<typeof Gap>;

export const CameraStatus = z.object({
  id: z.string(),
  /** The camera spec with any password removed. */
  spec: z.string(),
  state: CameraStateName,
  /** ffmpeg's process id while one runs (ops and fault tests use it). */
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  lastError: z.string().nullable(),
  lastGap: Gap.nullable(),
});
export type CameraStatus = z.infer<typeof CameraStatus>;

export const StatusResponse = z.object({
  station: z.string(),
  recording: z.boolean(),
  camera: CameraStatus,
  lastSegmentEndedAt: IsoTime.nullable(),
  segmentCount: z.number().int(),
  gapCount: z.number().int(),
  freeDiskBytes: z.number().int(),
  now: IsoTime,
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export const Segment = z.object({
  id: z.number().int(),
  camera: z.string(),
  file: z.string(),
  startedAt: IsoTime,
  endedAt: IsoTime,
  durationMs: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** ok: indexed as it closed; recovered: indexed at start-up after a crash; damaged: kept but undecodable. */
  status: z.enum(['ok', 'recovered', 'damaged']),
});
export type Segment = z.infer<typeof Segment>;

export const SegmentsResponse = z.object({ segments: z.array(Segment) });
export type SegmentsResponse = z.infer<typeof SegmentsResponse>;

export const GapsResponse = z.object({ gaps: z.array(Gap) });
export type GapsResponse = z.infer<typeof GapsResponse>;

export const ErrorResponse = z.object({ error: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Paths, so the renderer and tests never spell them by hand. */
export const routes = {
  health: '/api/health',
  status: '/api/status',
  segments: '/api/segments',
  gaps: '/api/gaps',
  preview: '/api/preview.mjpeg',
  previewFrame: '/api/preview.jpg',
} as const;
