/**
 * What a new camera list does to the cameras recording now, camera by camera: ffmpeg takes its input
 * and encoder once, so a camera whose run would start differently (source, size, rate, quality, or
 * becoming or ceasing to be the main camera, which alone feeds the idle stop's motion pictures)
 * restarts and leaves its own gap; one that would start the same keeps recording untouched.
 */
export interface PlannedCamera {
  id: string;
  /** Everything its ffmpeg is started with, as one comparable string. */
  run: string;
}

export interface CameraChanges {
  /** Not in the new list: stopped (footage and clips stay under the id). */
  stop: string[];
  restart: string[];
  start: string[];
  keep: string[];
}

export function cameraChanges(now: readonly PlannedCamera[], next: readonly PlannedCamera[], restartAll = false): CameraChanges {
  const before = new Map(now.map((c) => [c.id, c.run]));
  const nextIds = new Set(next.map((c) => c.id));
  const out: CameraChanges = { stop: now.filter((c) => !nextIds.has(c.id)).map((c) => c.id), restart: [], start: [], keep: [] };
  for (const c of next) {
    const run = before.get(c.id);
    if (run === undefined) out.start.push(c.id);
    else if (restartAll || run !== c.run) out.restart.push(c.id);
    else out.keep.push(c.id);
  }
  return out;
}
