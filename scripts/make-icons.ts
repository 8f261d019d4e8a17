/**
 * `npm run icons`: draws the app icon with ffmpeg (no image tools needed) and packs the Windows
 * .ico and macOS .icns from its PNGs. Both formats may hold PNG images as they are (ICO since
 * Windows Vista; ICNS ic07–ic10 and icp4–icp6), so packing is a header and a table.
 *
 * The picture: a parcel on a dark rounded square with a red "recording" dot. The tray variants
 * (recording: red dot; idle: grey dot) are the same picture at tray size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'resources', 'icons');
const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;

const S = 1024;
/** Per-pixel expressions for geq on a 1024 canvas; later shapes paint over earlier ones. */
function picture(dot: [number, number, number]): Record<'r' | 'g' | 'b' | 'a', string> {
  const rounded = `lte(pow(max(abs(X-${S / 2})-${S / 2 - 200},0),2)+pow(max(abs(Y-${S / 2})-${S / 2 - 200},0),2),${184 ** 2})`;
  const box = `between(X,272,752)*between(Y,400,800)`;
  const lid = `between(X,248,776)*between(Y,360,440)`;
  const tape = `between(X,480,544)*between(Y,360,800)`;
  const ring = `lte(pow(X-760,2)+pow(Y-272,2),${132 ** 2})`;
  const dotIn = `lte(pow(X-760,2)+pow(Y-272,2),${104 ** 2})`;
  const layer = (bg: number, boxC: number, lidC: number, tapeC: number, ringC: number, dotC: number): string =>
    `if(${dotIn},${dotC},if(${ring},${ringC},if(${tape},${tapeC},if(${lid},${lidC},if(${box},${boxC},${bg})))))`;
  return {
    r: layer(0x1e, 0xc8, 0xb5, 0xee, 0xff, dot[0]),
    g: layer(0x26, 0x9a, 0x87, 0xdc, 0xff, dot[1]),
    b: layer(0x30, 0x62, 0x55, 0xb8, 0xff, dot[2]),
    a: `if(${rounded},255,0)`,
  };
}

function render(file: string, size: number, dot: [number, number, number]): void {
  const e = picture(dot);
  execFileSync(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=black:s=${S}x${S}:d=1,format=rgba`,
    '-vf', `geq=r='${e.r}':g='${e.g}':b='${e.b}':a='${e.a}',scale=${size}:${size}:flags=lanczos`,
    '-frames:v', '1', file,
  ]);
}

function packIco(pngs: Array<{ size: number; data: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((p, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(p.size >= 256 ? 0 : p.size, e); // 0 means 256
    header.writeUInt8(p.size >= 256 ? 0 : p.size, e + 1);
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(p.data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += p.data.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.data)]);
}

function packIcns(entries: Array<{ type: string; data: Buffer }>): Buffer {
  const chunks = entries.map((e) => {
    const h = Buffer.alloc(8);
    h.write(e.type, 0, 'latin1');
    h.writeUInt32BE(e.data.length + 8, 4);
    return Buffer.concat([h, e.data]);
  });
  const body = Buffer.concat(chunks);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'latin1');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

mkdirSync(out, { recursive: true });
const red: [number, number, number] = [0xe5, 0x39, 0x35];
const grey: [number, number, number] = [0x8a, 0x93, 0x9c];
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const tmp = join(out, '.tmp');
mkdirSync(tmp, { recursive: true });
const png = new Map<number, Buffer>();
for (const s of sizes) {
  render(join(tmp, `${s}.png`), s, red);
  png.set(s, readFileSync(join(tmp, `${s}.png`)));
}
writeFileSync(join(out, 'icon.png'), png.get(512)!);
writeFileSync(join(out, 'icon.ico'), packIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: png.get(size)! }))));
writeFileSync(
  join(out, 'icon.icns'),
  packIcns([
    { type: 'icp4', data: png.get(16)! },
    { type: 'icp5', data: png.get(32)! },
    { type: 'icp6', data: png.get(64)! },
    { type: 'ic07', data: png.get(128)! },
    { type: 'ic08', data: png.get(256)! },
    { type: 'ic09', data: png.get(512)! },
    { type: 'ic10', data: png.get(1024)! },
  ]),
);
// Tray: 16 px at 1x and 32 px for @2x screens (Electron picks tray-*@2x.png by name).
for (const [name, dot] of [['tray-recording', red], ['tray-idle', grey]] as const) {
  render(join(out, `${name}.png`), 16, dot);
  render(join(out, `${name}@2x.png`), 32, dot);
}
execFileSync(process.platform === 'win32' ? 'cmd' : 'rm', process.platform === 'win32' ? ['/c', 'rmdir', '/s', '/q', tmp] : ['-rf', tmp]);
process.stdout.write(`icons written to ${out}\n`);
