/**
 * Reads every metadata tag of a buyer file with ExifTool (exiftool-vendored: the maintained Perl
 * ExifTool in its own process, kept warm between files). No hand-written EXIF/XMP/PNG parsing here:
 * ExifTool reads XMP (unknown namespaces too, such as GB 45438-2025's TC260), PNG text chunks, EXIF
 * and MP4/QuickTime keys, and it reads headers only, never pixels.
 *
 * Tags come back flat as `Group:Name` → text (`-G1`: the group says where the value sat, e.g.
 * `XMP-TC260:Aigc`, `PNG:Parameters`, `ExifIFD:UserComment`). Dates keep ExifTool's raw text.
 */
import { ExifTool } from 'exiftool-vendored';
import { CLAIM_METADATA_TIMEOUT_MS } from '../limits.js';

export type Tags = Record<string, string>;

let exiftool: ExifTool | null = null;

function instance(): ExifTool {
  // One process: claims are rare and the station's CPU belongs to the recording.
  exiftool ??= new ExifTool({ maxProcs: 1, taskTimeoutMillis: CLAIM_METADATA_TIMEOUT_MS, maxTasksPerProcess: 200 });
  return exiftool;
}

/**
 * All tags of `file`. Not `-fast`: a PNG's text chunks may sit after the image data (where the AIGC
 * label and generator parameters often are), and `-fast` stops reading there.
 */
export async function readTags(file: string): Promise<Tags> {
  const raw = (await instance().read(file, { readArgs: ['-G1', '-a', '-api', 'largefilesupport=1'] })) as unknown as Record<string, unknown>;
  const tags: Tags = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.includes(':') || key.startsWith('System:') || key === 'ExifTool:ExifToolVersion') continue;
    tags[key] = asText(value);
  }
  return tags;
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'rawValue' in v && typeof (v as { rawValue: unknown }).rawValue === 'string') return (v as { rawValue: string }).rawValue;
  return JSON.stringify(v);
}

/** Ends the ExifTool process (station stop, CLI exit): a live one keeps Node from exiting. */
export async function closeMetadataReader(): Promise<void> {
  const e = exiftool;
  exiftool = null;
  await e?.end();
}
