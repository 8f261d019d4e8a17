/**
 * Zips built by a test, byte by byte where it matters: yazl writes them (it never checks names for
 * duplicates, as a forger's tool would not), and patchZipEntrySize rewrites the size an entry
 * declares in the central directory, which is what unzip tools and yauzl believe.
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface ZipEntryInput {
  name: string;
  data: Buffer;
  compress?: boolean;
  /** Sizes in a zip64 extra field, so a size over 4 GiB can be written into it later. */
  zip64?: boolean;
}

export async function writeZip(file: string, entries: readonly ZipEntryInput[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: e.compress ?? false, forceZip64Format: e.zip64 ?? false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_HEADER = 0x02014b50;

/** Calls `visit` with the offset of each central directory header and its entry name. */
function eachCentralHeader(file: string, zip: Buffer, visit: (at: number, name: string) => boolean): void {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== EOCD) eocd--;
  if (eocd < 0) throw new Error(`${file}: no end of central directory`);
  let offset = zip.readUInt32LE(eocd + 16);
  let count = zip.readUInt16LE(eocd + 10);
  if (offset === 0xffffffff || count === 0xffff) {
    const locator = eocd - 20;
    if (zip.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new Error(`${file}: no zip64 locator`);
    const zip64Eocd = Number(zip.readBigUInt64LE(locator + 8));
    count = Number(zip.readBigUInt64LE(zip64Eocd + 32));
    offset = Number(zip.readBigUInt64LE(zip64Eocd + 48));
  }
  for (let i = 0, p = offset; i < count; i++) {
    if (zip.readUInt32LE(p) !== CENTRAL_HEADER) throw new Error(`${file}: bad central directory header at ${p}`);
    const nameLen = zip.readUInt16LE(p + 28);
    if (visit(p, zip.toString('utf8', p + 46, p + 46 + nameLen))) return;
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`${file} has no such entry`);
}

/** Declare `uncompressedSize` for the entry `name` in the central directory (the data stays as it is). */
export function patchZipEntrySize(file: string, name: string, uncompressedSize: number): void {
  const zip = readFileSync(file);
  eachCentralHeader(file, zip, (p, entry) => {
    if (entry !== name) return false;
    const nameLen = zip.readUInt16LE(p + 28);
    if (zip.readUInt32LE(p + 24) !== 0xffffffff) {
      if (uncompressedSize >= 0xffffffff) throw new Error(`${name} has no zip64 field: write it with zip64: true`);
      zip.writeUInt32LE(uncompressedSize, p + 24);
    } else {
      // The zip64 extended information field (0x0001) holds the uncompressed size first.
      let x = p + 46 + nameLen;
      while (zip.readUInt16LE(x) !== 0x0001) x += 4 + zip.readUInt16LE(x + 2);
      zip.writeBigUInt64LE(BigInt(uncompressedSize), x + 4);
    }
    return true;
  });
  writeFileSync(file, zip);
}

/**
 * Rename an entry in the central directory to a name of the same length, byte for byte: how a test
 * writes a name yazl would not (it turns backslashes into slashes).
 */
export function patchZipEntryName(file: string, name: string, newName: string): void {
  if (Buffer.byteLength(name) !== Buffer.byteLength(newName)) throw new Error('the new name must have as many bytes');
  const zip = readFileSync(file);
  eachCentralHeader(file, zip, (p, entry) => {
    if (entry !== name) return false;
    zip.write(newName, p + 46, 'utf8');
    return true;
  });
  writeFileSync(file, zip);
}
