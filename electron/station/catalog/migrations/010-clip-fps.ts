import type { Migration } from './types.js';

/**
 * The clip MP4's real frame rate, measured from its packets when it is cut (issue 15: the player
 * stepped 1/30 s whatever the camera's rate, so at 15 fps every frame showed twice). NULL for clips
 * cut before this column: measured the first time such a clip is asked for.
 */
export const migration010: Migration = {
  version: 10,
  name: 'clip-fps',
  up: `
    ALTER TABLE clips ADD COLUMN video_fps REAL;
  `,
};
