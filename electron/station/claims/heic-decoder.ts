/**
 * HEIC (an iPhone's photo: HEVC in HEIF) to RGBA pixels, for the decode child only: sharp's prebuilt
 * libvips reads HEIF containers but has no HEVC decoder (patents), so it refuses every iPhone photo.
 * `heic-decode` runs libheif and libde265 compiled to wasm (`libheif-js`), so the buyer's file is
 * still decoded in plain code inside the child's limits, never by a native decoder of ours.
 *
 * The primary image's size is read from the container before any pixel is decoded and checked
 * against the pixel limit: libheif's wasm memory is not bounded by the child's JavaScript heap.
 */
import { createRequire } from 'node:module';

interface HeifImage {
  width: number;
  height: number;
  decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
}
type DecodeAll = ((o: { buffer: Uint8Array }) => Promise<HeifImage[] & { dispose(): void }>) & { all?: never };

/** The package is CommonJS without types: its `all` lists the images with their sizes, decoding on demand. */
function heicDecodeAll(): DecodeAll {
  const mod = createRequire(import.meta.url)('heic-decode') as { all: DecodeAll };
  return mod.all;
}

/** True when the bytes are an ISO-BMFF file whose major brand is one of HEIC's (the package's own test). */
export function looksLikeHeic(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const brand = String.fromCharCode(...bytes.subarray(8, 12)).replace('\0', ' ').trim();
  return ['mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx'].includes(brand);
}

export class HeicTooLarge extends Error {}

/** The primary (first) image as RGBA, refused before decoding when over `maxPixels`. */
export async function decodeHeic(bytes: Uint8Array, maxPixels: number): Promise<{ width: number; height: number; rgba: Buffer }> {
  const images = await heicDecodeAll()({ buffer: bytes });
  try {
    const primary = images[0];
    if (!primary) throw new Error('HEIF image not found');
    if (primary.width * primary.height > maxPixels) throw new HeicTooLarge(`Input image exceeds pixel limit (${primary.width}x${primary.height})`);
    const { width, height, data } = await primary.decode();
    return { width, height, rgba: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    images.dispose();
  }
}
