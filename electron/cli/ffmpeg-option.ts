import { FFMPEG_ENV } from '../station/ffmpeg/locate.js';

/** The help of every command's `--ffmpeg` (electron/station/ffmpeg/locate.ts decides). */
export const FFMPEG_OPTION_HELP = `ffmpeg to use: bundled, system (ffmpeg on the PATH) or a binary's path (default: ${FFMPEG_ENV}, else the newer of the bundled one and the PATH one)`;
