/**
 * A camera list (the settings' or the command line's) turned into what records: each spec resolved
 * ('auto' finds the first camera), opened with its own size and rate, and given its stable id
 * (camera-ids.ts), so a reordered or renamed list never moves footage to another id.
 */
import type { CameraEntry, CameraSettings } from '../../../shared/api.js';
import { maskCredentials } from '../../../shared/credentials.js';
import type { FfmpegInfo } from '../ffmpeg/locate.js';
import { msg } from '../localized-error.js';
import { SettingsError } from '../settings/station-settings.js';
import { autoCameraSpec } from './camera-discovery.js';
import { stableCameraIds } from './camera-ids.js';
import { parseCameraSpec, type CameraSource } from './camera-spec.js';

/** A camera of a list being applied: its settings and its source resolved, the id assigned. */
export interface ResolvedCamera {
  entry: CameraEntry;
  source: CameraSource;
}

type Ffmpeg = Pick<FfmpegInfo, 'path' | 'major'>;

/** A spec ('auto' resolved) with the settings' size and rate; throws CameraSpecError for a spec that cannot be opened. */
export async function resolveCamera(ffmpeg: Ffmpeg, spec: string, c: CameraSettings): Promise<CameraSource> {
  const resolved = spec === 'auto' ? await autoCameraSpec(ffmpeg.path) : spec;
  const [w, h] = c.resolution === 'auto' ? [] : c.resolution.split('x').map(Number);
  return parseCameraSpec(resolved, {
    ffmpegMajor: ffmpeg.major,
    fps: c.fps ?? undefined,
    fpsFromSettings: c.fps !== null,
    size: w && h ? { width: w, height: h } : undefined,
  });
}

/**
 * Each entry's source with its own size and rate, and its id (stableCameraIds; `known`: spec → id of
 * cameras that must keep theirs). `refuseSame`: two entries that turn out to be one device ('auto'
 * finding a camera listed as well) are refused in one sentence, since the second ffmpeg could not open it.
 */
export async function resolveCameras(ffmpeg: Ffmpeg, list: readonly CameraEntry[], known: ReadonlyMap<string, string>, refuseSame: boolean): Promise<ResolvedCamera[]> {
  const specs = await Promise.all(list.map((c) => (c.spec === 'auto' ? autoCameraSpec(ffmpeg.path) : Promise.resolve(c.spec))));
  if (refuseSame) {
    const twice = specs.find((s, i) => specs.indexOf(s) !== i);
    if (twice !== undefined) {
      const shown = maskCredentials(twice);
      throw new SettingsError(msg('station.autoCameraListedToo', { shown }));
    }
  }
  const sources = await Promise.all(list.map((c, i) => resolveCamera(ffmpeg, specs[i]!, c)));
  const ids = stableCameraIds(
    list.map((c, i) => ({ spec: c.spec, base: sources[i]!.id })),
    known,
  );
  return list.map((c, i) => ({ entry: { ...c, id: ids[i]! }, source: { ...sources[i]!, id: ids[i]! } }));
}

/** The command line's cameras as settings entries: each with the saved settings of the same spec, else the saved main camera's size, rate and quality. */
export function cliCameraEntries(specs: readonly string[], saved: readonly CameraEntry[]): CameraEntry[] {
  return specs.map((spec) => {
    const same = saved.find((c) => c.spec === spec);
    const like = same ?? saved[0]!;
    return { spec, name: same?.name ?? '', resolution: like.resolution, fps: like.fps, quality: like.quality };
  });
}

/** Everything a camera's ffmpeg is started with, as one comparable string (camera-plan.ts): the main camera alone feeds the idle stop. */
export function cameraRun(c: ResolvedCamera, main: boolean): string {
  return JSON.stringify([c.source.input, c.source.inputOptions, c.source.fps, c.entry.quality, main]);
}
