import type { Clip } from '../../../../shared/api';

/** Recorded wholly inside a camera outage, and ended: no video will ever come, and nothing can be exported. */
export function hasNoFootage(clip: Clip): boolean {
  return clip.footage === 'none' && clip.status !== 'recording' && !clip.video;
}
