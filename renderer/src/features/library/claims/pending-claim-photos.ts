/**
 * Photos dropped on the library, handed to the clip page the merchant chose from the offered clips.
 * Kept in memory only (File objects cannot ride in the URL hash), for one clip, taken once: a reload
 * or a later visit to the clip opens no pre-filled form.
 */
let pending: { clipId: number; photos: File[] } | null = null;

export function handOverClaimPhotos(clipId: number, photos: File[]): void {
  pending = { clipId, photos: [...photos] };
}

/** The photos handed over for this clip, once; null when none were. */
export function takeClaimPhotos(clipId: number): File[] | null {
  if (!pending || pending.clipId !== clipId) return null;
  const { photos } = pending;
  pending = null;
  return photos;
}
