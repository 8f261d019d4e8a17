/**
 * A packing clip with distinct objects and claim photos made from it, for the visual match tests and
 * the benchmark: each scene is a bench with a few seeded shapes and a label, held for some seconds;
 * a claim photo is a scene seen at an angle (perspective warp with OpenCV), cropped, colour-shifted,
 * with "damage" drawn on it, optionally partly covered by a hand and taken close up, and recompressed
 * as a low-quality JPEG. Scenes of one `family` look alike (the same carton on the same bench).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { loadCv } from '../electron/station/claims/visual-match.js';

const run = promisify(execFile);

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * One scene: a bench-coloured background, an "item" of several shapes and a printed label.
 *
 * `family`: look-alike scenes, as on a real bench where every parcel is the same carton on the same
 * mat: the background, a large open carton and a tray in it come from the family, so scenes of one
 * family agree in their large shapes and colours (what a perceptual hash sees) and differ only in
 * the smaller items and the label.
 */
export function sceneSvg(seed: number, w = 640, h = 360, family?: number): string {
  const r = prng(seed * 7919 + 17);
  const colour = () => `hsl(${Math.floor(r() * 360)},${40 + Math.floor(r() * 50)}%,${25 + Math.floor(r() * 50)}%)`;
  const parts: string[] = [];
  let items = 14;
  let size = 70;
  if (family === undefined) parts.push(`<rect width="${w}" height="${h}" fill="hsl(30,15%,${55 + Math.floor(r() * 20)}%)"/>`);
  else {
    const f = prng(family * 104729 + 3);
    parts.push(`<rect width="${w}" height="${h}" fill="hsl(${Math.floor(f() * 360)},12%,${50 + Math.floor(f() * 20)}%)"/>`);
    const bx = 40 + f() * 80;
    const by = 20 + f() * 40;
    parts.push(`<rect x="${bx}" y="${by}" width="${w - 2 * bx}" height="${h - 2 * by}" fill="hsl(32,45%,${45 + Math.floor(f() * 15)}%)" stroke="hsl(32,40%,30%)" stroke-width="6"/>`);
    parts.push(`<rect x="${bx + 30}" y="${by + 25}" width="${w - 2 * bx - 60}" height="${h - 2 * by - 50}" fill="hsl(${Math.floor(f() * 360)},20%,${60 + Math.floor(f() * 15)}%)"/>`);
    // The items are smaller and fewer than the carton: the family's look dominates the picture.
    items = 9;
    size = 45;
  }
  for (let i = 0; i < items; i++) {
    const x = 40 + r() * (w - 120);
    const y = 30 + r() * (h - 90);
    const s = 20 + r() * size;
    const kind = Math.floor(r() * 3);
    if (kind === 0) parts.push(`<rect x="${x}" y="${y}" width="${s}" height="${s * (0.4 + r())}" fill="${colour()}" transform="rotate(${Math.floor(r() * 60 - 30)} ${x} ${y})"/>`);
    else if (kind === 1) parts.push(`<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${colour()}" stroke="${colour()}" stroke-width="${2 + r() * 6}"/>`);
    else parts.push(`<polygon points="${x},${y} ${x + s},${y + s * r()} ${x + s * r()},${y + s}" fill="${colour()}"/>`);
  }
  parts.push(`<text x="${60 + r() * 300}" y="${60 + r() * 250}" font-family="DejaVu Sans, sans-serif" font-size="${26 + r() * 16}" fill="${colour()}">ITEM ${seed} SKU-${Math.floor(r() * 1e5)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

/** Scene PNGs and an H.264 MP4 showing each for `secondsEach` at 15 fps (what a bench camera gives). */
export async function sceneClip(ffmpeg: string, dir: string, seeds: number[], secondsEach: number, name = 'clip.mp4', family?: number): Promise<{ clip: string; scenes: string[] }> {
  const scenes: string[] = [];
  for (const seed of seeds) {
    const png = join(dir, `scene-${seed}.png`);
    await sharp(Buffer.from(sceneSvg(seed, 640, 360, family))).png().toFile(png);
    scenes.push(png);
  }
  const list = join(dir, `${name}.txt`);
  // The concat demuxer needs the last file twice for its duration to count.
  writeFileSync(list, [...scenes.map((s) => `file '${s}'\nduration ${secondsEach}`), `file '${scenes.at(-1)!}'`].join('\n'));
  const clip = join(dir, name);
  await run(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-vf', 'fps=15,format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', clip]);
  return { clip, scenes };
}

export interface ClaimPhotoEdits {
  seed: number;
  /** How far each corner moves inward, as a share of the side (perspective: another camera angle). */
  warp?: number;
  /** Share of each side cut away. */
  crop?: number;
  hue?: number;
  brightness?: number;
  damage?: boolean;
  quality?: number;
  /** Share of the picture a hand (a skin-coloured blob with fingers) covers, from one side. */
  occlude?: number;
  /** The photo shows this share of the (cropped) scene's width around a seeded point, enlarged: a close-up. */
  zoom?: number;
}

/** A buyer's photo of a scene: warped, cropped, colour-shifted, "damaged", recompressed; upscaled like a phone photo. */
export async function claimPhotoFrom(scenePng: string, out: string, e: ClaimPhotoEdits): Promise<void> {
  const { cv } = await loadCv();
  const r = prng(e.seed);
  const { data, info } = await sharp(scenePng).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const src = cv.matFromArray(h, w, cv.CV_8UC4, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const dst = new cv.Mat();
  const k = e.warp ?? 0.12;
  const j = () => r() * k * Math.min(w, h);
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, w, 0, w, h, 0, h]);
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [j(), j(), w - j(), j(), w - j(), h - j(), j(), h - j()]);
  const m = cv.getPerspectiveTransform(from, to);
  cv.warpPerspective(src, dst, m, new cv.Size(w, h), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(90, 80, 70, 255));
  const warped = Buffer.from(dst.data);
  for (const mat of [src, dst, from, to, m]) mat.delete();
  const c = e.crop ?? 0.1;
  const left = Math.round(w * c * r());
  const top = Math.round(h * c * r());
  const cw = Math.round(w * (1 - c)) - 1;
  const ch = Math.round(h * (1 - c)) - 1;
  const overlays: sharp.OverlayOptions[] = [];
  if (e.occlude) {
    // A hand over the item from the left or the right edge, covering about `occlude` of the area.
    const fromLeft = r() < 0.5;
    const hw = cw * Math.sqrt(e.occlude) * 1.1;
    const hh = ch * Math.sqrt(e.occlude) * 1.1;
    const cx = fromLeft ? hw / 2 : cw - hw / 2;
    const cy = ch * (0.3 + r() * 0.4);
    const fingers = Array.from({ length: 4 }, (_, f) => `<ellipse cx="${fromLeft ? cx + hw * 0.55 : cx - hw * 0.55}" cy="${cy - hh * 0.35 + f * hh * 0.22}" rx="${hw * 0.22}" ry="${hh * 0.08}" fill="hsl(25,45%,62%)"/>`).join('');
    overlays.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${cw}" height="${ch}"><ellipse cx="${cx}" cy="${cy}" rx="${hw / 2}" ry="${hh / 2}" fill="hsl(25,45%,60%)"/>${fingers}</svg>`), left: 0, top: 0 });
  }
  const damage = e.damage === false ? [] : [{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${cw}" height="${ch}"><path d="M${cw * 0.3},${ch * 0.2} l${cw * 0.1},${ch * 0.2} l-${cw * 0.05},${ch * 0.15} l${cw * 0.12},${ch * 0.2}" stroke="#111" stroke-width="4" fill="none"/><ellipse cx="${cw * 0.7}" cy="${ch * 0.6}" rx="${cw * 0.06}" ry="${ch * 0.05}" fill="rgba(120,90,40,0.6)"/></svg>`), left: 0, top: 0 }];
  let picture = await sharp(await sharp(warped, { raw: { width: w, height: h, channels: 4 } }).extract({ left, top, width: cw, height: ch }).png().toBuffer())
    .composite([...overlays, ...damage])
    .png()
    .toBuffer();
  let pw = cw;
  let ph = ch;
  if (e.zoom && e.zoom < 1) {
    pw = Math.round(cw * e.zoom);
    ph = Math.round(ch * e.zoom);
    picture = await sharp(picture).extract({ left: Math.floor(r() * (cw - pw)), top: Math.floor(r() * (ch - ph)), width: pw, height: ph }).png().toBuffer();
  }
  await sharp(picture)
    .modulate({ hue: e.hue ?? 25, brightness: e.brightness ?? 1.12, saturation: 1.2 })
    .resize(Math.round((pw * 3) / (e.zoom ?? 1)), Math.round((ph * 3) / (e.zoom ?? 1)))
    .jpeg({ quality: e.quality ?? 40 })
    .toFile(out);
}
