import type { Migration } from './types.js';

/**
 * The clip MP4's real frame rate, measured from its packets when it is cut: the player
 * steps by it (a fixed 1/30 s step showed every frame twice at 15 fps). NULL for clips
 * cut before this column: measured the first time such a clip is asked for.
 */
export const migration010: Migration = {
  version: 10,
  name: 'clip-fps',
  up: `
    ALTER TABLE clips ADD COLUMN video_fps REAL;
  `,
};
