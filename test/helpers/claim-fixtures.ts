/**
 * Buyer files for the claim tests, made by the tests: sharp draws the pictures, exiftool-vendored
 * (the same library the station reads with) writes the metadata, so a fresh machine needs nothing else.
 * PNG text chunks are added by hand (sharp writes none): a chunk is length, type, data, CRC-32.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';

export const AIGC_LABEL = {
  Label: '1',
  ContentProducer: '001191110108MA01KP2T5U00000',
  ProduceID: 'IMG-2026-000042',
  ReservedCode1: '',
  ContentPropagator: '',
  PropagateID: '',
  ReservedCode2: '',
};

let et: ExifTool | null = null;
const exiftool = (): ExifTool => (et ??= new ExifTool({ maxProcs: 1 }));
export async function closeFixtureTool(): Promise<void> {
  await et?.end();
  et = null;
}

/** A plain picture with a few shapes, no metadata (sharp writes none unless asked). */
export async function plainJpeg(path: string, colour = '#c84'): Promise<void> {
  await sharp(Buffer.from(svgPicture(colour))).jpeg({ quality: 90 }).toFile(path);
}

const svgPicture = (colour: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="${colour}"/><circle cx="110" cy="120" r="60" fill="#fff"/><rect x="190" y="60" width="90" height="120" fill="#224"/></svg>`;

const xmpPacket = (description: string): string =>
  `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${description}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const entityEncoded = (label: object): string => JSON.stringify(label).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A JPEG carrying the GB 45438-2025 label as an XMP attribute in the TC260 namespace, its JSON
 * entity-encoded, as AI services write it. The XMP APP1 segment is put after the JPEG's SOI by hand:
 * ExifTool, asked to copy such a packet in, rewrote the attribute with its quotes unescaped.
 */
export async function jpegWithAigcXmpAttribute(path: string, label: object = AIGC_LABEL): Promise<void> {
  const jpeg = await sharp(Buffer.from(svgPicture('#48c'))).jpeg({ quality: 90 }).toBuffer();
  const packet = xmpPacket(`<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" TC260:AIGC="${entityEncoded(label)}"/>`);
  const body = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(packet, 'utf8')]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  writeFileSync(path, Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]));
}

/** The same label as an XMP element (its JSON entity-encoded too), written by ExifTool from a packet file. */
export async function jpegWithAigcXmpElement(path: string, xmpFile: string, label: object = AIGC_LABEL): Promise<void> {
  await plainJpeg(path, '#84c');
  await addAigcXmpElement(path, xmpFile, label);
}

/** Writes the GB 45438 label as an XMP element into an existing JPEG (a photo made from a clip frame), with ExifTool. */
export async function addAigcXmpElement(path: string, xmpFile: string, label: object = AIGC_LABEL): Promise<void> {
  writeFileSync(xmpFile, xmpPacket(`<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"><TC260:AIGC>${entityEncoded(label)}</TC260:AIGC></rdf:Description>`));
  await exiftool().write(path, {}, { writeArgs: [`-xmp<=${xmpFile}`, '-overwrite_original'] });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A PNG with text chunks after the image data (where web UIs put `parameters`), tEXt for Latin-1 keys. */
export async function pngWithText(path: string, texts: Record<string, string>): Promise<void> {
  const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#3a6' } }).png().toBuffer();
  const iend = png.length - 12;
  const chunks = Object.entries(texts).map(([k, v]) => pngChunk('iTXt', Buffer.concat([Buffer.from(`${k}\0\0\0\0\0`, 'latin1'), Buffer.from(v, 'utf8')])));
  writeFileSync(path, Buffer.concat([png.subarray(0, iend), ...chunks, png.subarray(iend)]));
}

/** A JPEG with the EXIF a phone writes: make, model, capture time with its offset. */
export async function cameraJpeg(path: string, takenAt: string, offset: string, tags: Record<string, string> = {}): Promise<void> {
  await plainJpeg(path, '#a55');
  await exiftool().write(path, { Make: 'Xiaomi', Model: '23127PN0CC', DateTimeOriginal: takenAt, OffsetTimeOriginal: offset, ...tags }, { writeArgs: ['-overwrite_original'] });
}

/** Any tags ExifTool writes by name (EXIF UserComment, ImageDescription, IPTC DigitalSourceType, Software). */
export async function jpegWithTags(path: string, tags: Record<string, string>): Promise<void> {
  await plainJpeg(path, '#5a5');
  await exiftool().write(path, tags as never, { writeArgs: ['-overwrite_original'] });
}

/**
 * A decompression bomb by its header: a real 64 × 64 PNG whose IHDR says 40,000 × 40,000 (1.6 G
 * pixels), CRC fixed so every reader believes it.
 */
export async function pngBomb(path: string): Promise<void> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
  // IHDR: 8-byte signature, 4 length, 4 "IHDR", then width and height.
  png.writeUInt32BE(40_000, 16);
  png.writeUInt32BE(40_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  writeFileSync(path, png);
}

/**
 * A buyer's photo of the parcel's waybill label: a Code 128 barcode (drawn by zxing-wasm's writer, its
 * .wasm from node_modules), tilted 8° on a label on a coloured background, JPEG-compressed.
 */
export async function waybillPhoto(path: string, code: string): Promise<void> {
  const { prepareZXingModule, writeBarcode } = await import('zxing-wasm/writer');
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
  const { svg } = await writeBarcode(code, { format: 'Code128', scale: 3 });
  const label = await sharp(Buffer.from(svg)).resize({ width: 600 }).flatten({ background: '#fff' }).extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#fff' }).png().toBuffer();
  const tilted = await sharp(label).rotate(8, { background: '#fff' }).toBuffer();
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#8a6' } }).composite([{ input: tilted, left: 300, top: 350 }]).jpeg({ quality: 80 }).toFile(path);
}
