/**
 * The station's live previews, one PreviewTap per camera id, made at the camera's first viewer. A tap
 * reads whatever run records its camera now, so it follows a restart (and the main camera's preview
 * follows a new main camera: the station asks by id each time).
 */
import { PreviewTap } from './preview-tap.js';

export class PreviewTaps {
  private readonly taps = new Map<string, PreviewTap>();

  constructor(
    private readonly ffmpegPath: string,
    /** The recording of `camera` now (its watchdog), null when no such camera records. */
    private readonly recordingOf: (camera: string) => { currentRunDir(): string | null } | null,
  ) {}

  /** The tap of a camera recording now; null: no such camera. */
  of(camera: string): PreviewTap | null {
    if (!this.recordingOf(camera)) return null;
    let tap = this.taps.get(camera);
    if (!tap) {
      tap = new PreviewTap(this.ffmpegPath, camera, () => this.recordingOf(camera)?.currentRunDir() ?? null);
      this.taps.set(camera, tap);
    }
    return tap;
  }

  /** No live preview ffmpeg outlives the station (they only read the segment files). */
  closeAll(): void {
    for (const tap of this.taps.values()) tap.close();
  }
}
