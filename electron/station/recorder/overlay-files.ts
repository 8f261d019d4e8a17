/**
 * The station line's files, one per camera: `<data>/overlay/<camera id>.txt`, which each camera's
 * drawtext re-reads every frame (overlay.ts). Every file says the same thing (station, operator, the
 * packer signed in), so a change is written to every camera recording now. The codes line is not
 * here: it switches by command on a frame time (overlay-timeline.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log.js';
import { writeOverlay, writeOverlaySync, type OverlayContent } from './overlay.js';

export class OverlayFiles {
  private readonly dir: string;

  constructor(
    dataDir: string,
    /** What the line says now: read at each write, so a rename or a sign-in shows on the next one. */
    private readonly content: () => OverlayContent,
  ) {
    this.dir = join(dataDir, 'overlay');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Written at once, before the camera's ffmpeg starts: drawtext fails to start without its file. */
  prepare(camera: string): string {
    const file = this.fileOf(camera);
    writeOverlaySync(file, this.content());
    return file;
  }

  /** The line again in every file given, one after another; the first failure rejects. */
  async write(files: readonly string[]): Promise<void> {
    for (const file of files) await writeOverlay(file, this.content());
  }

  /** As write(), from events nobody waits on (a packer signing in): a failure is logged, the next write tries again. */
  refresh(files: readonly string[]): void {
    for (const file of files) {
      writeOverlay(file, this.content()).catch((err: unknown) => log.warn('the overlay file could not be written', { error: String(err) }));
    }
  }

  private fileOf(camera: string): string {
    return join(this.dir, `${camera}.txt`);
  }
}
