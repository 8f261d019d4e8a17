/**
 * The appeal bundle of a clip filmed by two cameras (two demo cameras of different shapes on one
 * station): each camera's video in the bundle, hashed, listed with its camera and its segments'
 * chain entries, checked by `packwitness verify` (one byte of the second video changed fails, naming
 * it); the side-by-side composite (decoded, its layout read from its pixels, signed); fitted to a
 * length limit, every video alike; the evidence sheet with a row of each camera's frames.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clip, ExportJob, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { Manifest } from '../../electron/station/evidence/manifest.js';
import { renderEvidenceSheet, SHEET } from '../../electron/station/export/evidence-sheet.js';
import { decodeFully, ffmpegBin } from '../helpers/media.js';
import { flipByte, resign } from '../helpers/evidence-bundle.js';
import { loadOrCreateStationKeys } from '../../electron/station/evidence/station-keys.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const MAIN = 'demo:640x360@15';
const SIDE = 'demo:320x240@15';
const FPS = 15;
const ORDER = '260311884599990001';
const noTrustedKeys = join(tempDataDir('pw-no-trust-'), 'trusted-keys.txt');

function cli(args: string[], timeoutMs = 240_000) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: noTrustedKeys } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One frame as raw RGB bytes, and its size (ffmpeg -i prints it). */
async function rgbFrame(file: string, sec: number): Promise<{ width: number; height: number; rgb: Buffer }> {
  const bin = await ffmpegBin();
  const probe = await promisify(execFile)(bin, ['-hide_banner', '-i', file, '-f', 'null', '-frames:v', '1', '-']).catch((e: { stderr: string }) => e);
  const [width, height] = /Video: .*?(\d{2,5})x(\d{2,5})/.exec(probe.stderr)!.slice(1).map(Number) as [number, number];
  const out = await promisify(execFile)(bin, ['-hide_banner', '-v', 'error', '-ss', String(sec), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return { width, height, rgb: out.stdout };
}

/** Mean of R, G and B over a rectangle of a frame (0 black … 255 white). */
function meanLevel(f: { width: number; rgb: Buffer }, x0: number, y0: number, w: number, h: number): number {
  let sum = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) for (let c = 0; c < 3; c++) sum += f.rgb[(y * f.width + x) * 3 + c]!;
  return sum / (w * h * 3);
}

function fileOf(stdout: string, role: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`file\t${role}\t`));
  if (!line) throw new Error(`no ${role} in:\n${stdout}`);
  return join(/^bundle\t(.+)$/m.exec(stdout)![1]!, line.split('\t')[4]!);
}

describe('the appeal bundle of a clip filmed by two cameras', () => {
  let station: StationProcess;
  let clip: Clip;
  let fingerprint: string;
  let bundle: string;
  let stdout: string;
  const out = tempDataDir('pw-export-cameras-');

  beforeAll(async () => {
    station = await startStation({ camera: MAIN, args: ['--camera', SIDE] });
    const scan = async (code: string) =>
      ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const st = await waitFor(async () => {
      const s = StatusResponse.parse(await (await station.api(routes.status)).json());
      return s.cameras?.length === 2 && s.cameras.every((c) => c.state === 'recording') ? s : undefined;
    }, 20_000, 'both cameras recording');
    fingerprint = st.stationKey!.fingerprint;
    await sleep(4_000);
    const started = await scan(ORDER);
    await sleep(6_000);
    await scan('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await station.api(routes.clip(started.id!))).json());
      return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
    }, 30_000, 'both cameras cut');
    // The CLI, with the station running on the folder, as an operator would.
    const r = cli(['export', '--data', station.dataDir, '--clip', String(clip.id), '--out-dir', out, '--composite', '--lang', 'en']);
    expect(r.status, r.stderr).toBe(0);
    stdout = r.stdout;
    bundle = /^bundle\t(.+)$/m.exec(stdout)![1]!;
  }, 150_000);
  afterAll(async () => {
    await station?.stop();
  });

  const manifest = (dir = bundle): Manifest => Manifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));

  it("holds each camera's video as recorded, named for it, listed with its camera, and every camera's segments with their chain entries", () => {
    const m = manifest();
    const video = m.files.find((f) => f.role === 'video')!;
    const side = m.files.filter((f) => f.role === 'camera-video');
    expect(side).toHaveLength(1);
    expect(side[0]!.camera).toBe('demo-2');
    expect(side[0]!.path).toBe(video.path.replace(/\.mp4$/, '.demo-2.mp4'));
    expect(fileOf(stdout, 'camera-video').endsWith(side[0]!.path)).toBe(true);
    // Byte for byte the second camera's clip MP4, as the first is the main one's.
    expect(side[0]!.sha256).toBe(clip.cameras![1]!.sha256);
    expect(video.sha256).toBe(clip.video!.sha256);
    expect(m.clip.cameras!.map((c) => [c.id, c.main, c.recordedVideo?.sha256])).toEqual([
      ['demo', true, clip.video!.sha256],
      ['demo-2', false, clip.cameras![1]!.sha256],
    ]);
    // Every camera's covering segments, each with its chain entry (of that camera) among the entries.
    const bySeq = new Map(m.chain.entries.map((e) => [e.seq, e]));
    for (const camera of ['demo', 'demo-2']) {
      const segs = m.segments.filter((s) => s.camera === camera);
      expect(segs.length, camera).toBeGreaterThanOrEqual(3);
      for (const s of segs) expect(bySeq.get(s.chainSeq)).toMatchObject({ camera, file: s.file, sha256: s.sha256 });
    }
    expect(readFileSync(join(bundle, 'SHA256SUMS'), 'utf8')).toContain(`${side[0]!.sha256}  ${side[0]!.path}\n`);
  });

  it('verifies: exit 0, VERIFIED, the second camera named as proven', () => {
    const r = cli(['verify', bundle, '--expect-fingerprint', fingerprint]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('VERIFIED');
    expect(r.stdout).toMatch(/Cameras: demo \(".*", main\): .*_clip-\d+\.mp4; demo-2 \(".*"\): .*\.demo-2\.mp4/);
    expect(r.stdout).toMatch(/✓ The video \S+\.demo-2\.mp4 of camera demo-2 \(".*"\) is byte-identical to the clip MP4 the station cut from that camera/);
    expect(r.stdout).toMatch(/✓ The side-by-side video \S+_composite\.mp4/);
    // The zip too.
    expect(cli(['verify', `${bundle}.zip`, '--expect-fingerprint', fingerprint]).status).toBe(0);
  });

  it('fails, naming that camera and its file, when one byte of the second video is changed', () => {
    const dir = join(tempDataDir('pw-tamper-'), 'flipped-side');
    cpSync(bundle, dir, { recursive: true });
    const side = manifest(dir).files.find((f) => f.role === 'camera-video')!;
    flipByte(join(dir, side.path));
    const r = cli(['verify', dir, '--expect-fingerprint', fingerprint]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NOT VERIFIED');
    expect(r.stderr).toContain(`${side.path} (camera-video of camera demo-2) does not match manifest.json: its SHA-256 is`);
  });

  it('fails a manifest that misplaces a camera, even when signed with the station key itself', () => {
    const keys = loadOrCreateStationKeys(station.dataDir);
    const cases: Array<[string, (m: Manifest) => void, RegExp]> = [
      ['unlisted camera', (m) => Object.assign(m.files.find((f) => f.role === 'camera-video')!, { camera: 'demo-9' }), /\.demo-2\.mp4 \(camera-video of camera demo-9\) is not the video of one of the clip's other cameras \(demo-2\)\./],
      [
        'no segments of it',
        (m) => {
          // Its segments gone, and the chain cut to the main camera's first and last entries, so only this check is left to notice.
          m.segments = m.segments.filter((x) => x.camera !== 'demo-2');
          const seqs = m.segments.map((x) => x.chainSeq);
          m.chain.entries = m.chain.entries.filter((e) => e.seq >= Math.min(...seqs) && e.seq <= Math.max(...seqs));
        },
        /\.demo-2\.mp4 \(camera-video of camera demo-2\): manifest\.json lists none of camera demo-2's segments, so nothing ties it to the chain\./,
      ],
      ['a segment claimed by the other camera', (m) => Object.assign(m.segments.find((x) => x.camera === 'demo-2')!, { camera: 'demo' }), /Segment runs\/demo-2\/\S+ comes from camera demo-2, not the camera it names, demo\./],
      ['a camera the clip does not list', (m) => Object.assign(m.segments.find((x) => x.camera === 'demo-2')!, { camera: 'demo-7' }), /Segment runs\/demo-2\/\S+ names camera demo-7, which is not one of the clip's cameras \(demo, demo-2\)\./],
    ];
    for (const [what, mutate, sentence] of cases) {
      const dir = join(tempDataDir('pw-tamper-'), 'resigned');
      cpSync(bundle, dir, { recursive: true });
      resign(dir, keys, mutate);
      const r = cli(['verify', dir, '--expect-fingerprint', fingerprint]);
      expect(r.status, what).toBe(1);
      expect(r.stderr, what).toMatch(sentence);
    }
  });

  it('makes the composite: one MP4, both views side by side at the main camera’s height, decoded whole, signed', async () => {
    const m = manifest();
    const composite = m.files.find((f) => f.role === 'composite')!;
    expect(composite.path).toMatch(/_composite\.mp4$/);
    expect(fileOf(stdout, 'composite').endsWith(composite.path)).toBe(true);
    const file = join(bundle, composite.path);
    const decoded = await decodeFully(file);
    expect(decoded.errors).toBe('');
    const lengthSec = (Date.parse(clip.endedAt!) - Date.parse(clip.startedAt)) / 1000;
    expect(Math.abs(decoded.frames / FPS - lengthSec)).toBeLessThan(0.5);
    // 640x360 beside 320x240 scaled to 480x360 and centred in a 640-wide cell: 1280x360, black bars at
    // the second cell's sides, picture between them and in the whole first cell.
    const f = await rgbFrame(file, lengthSec / 2);
    expect([f.width, f.height]).toEqual([1280, 360]);
    expect(meanLevel(f, 650, 20, 60, 320)).toBeLessThan(12);
    expect(meanLevel(f, 1210, 20, 60, 320)).toBeLessThan(12);
    expect(meanLevel(f, 760, 20, 400, 320)).toBeGreaterThan(40);
    expect(meanLevel(f, 10, 20, 60, 320)).toBeGreaterThan(40);
    // Its bytes are the ones signed (verify passed above); the signature covers the manifest that lists them.
    expect(readFileSync(join(bundle, 'SHA256SUMS'), 'utf8')).toContain(`${composite.sha256}  ${composite.path}\n`);
  });

  it('shows both cameras on the evidence sheet: a row of the second camera’s frames under each row of the main one’s', async () => {
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    let mainFile: string;
    let sideFile: string;
    try {
      mainFile = (db.prepare('SELECT file AS f FROM clips WHERE id = ?').get(clip.id) as { f: string }).f;
      sideFile = (db.prepare("SELECT file AS f FROM clip_cameras WHERE clip_id = ? AND camera = 'demo-2'").get(clip.id) as { f: string }).f;
    } finally {
      db.close();
    }
    const sheetDir = tempDataDir('pw-sheet-cameras-');
    const sheet = await renderEvidenceSheet(
      {
        ffmpegPath: await ffmpegBin(),
        videoPath: join(station.dataDir, mainFile),
        clipStartMs: Date.parse(clip.startedAt),
        intervalSeconds: 2,
        scans: clip.codeDetails.map((c) => ({ atMs: Date.parse(c.scannedAt), code: c.code, kind: c.kind })),
        title: { codes: clip.codes, station: clip.station, mode: clip.mode, startIso: clip.startedAt, endIso: clip.endedAt!, clipId: clip.id },
        hashes: { clipSha256: clip.video!.sha256, keyFingerprint: fingerprint },
        locale: 'en',
        mainCamera: { id: 'demo', name: 'Overhead' },
        // A hostile name: drawn through a text file, never read as filter syntax.
        cameras: [{ id: 'demo-2', name: "Side %{localtime} ':\\", videoPath: join(station.dataDir, sideFile) }],
      },
      sheetDir,
    );
    const main = sheet.frames.filter((f) => f.camera === 'demo');
    const side = sheet.frames.filter((f) => f.camera === 'demo-2');
    expect(main.length).toBeGreaterThanOrEqual(5);
    expect(side).toHaveLength(main.length);
    for (const [i, s] of side.entries()) {
      expect(s.label).toContain("Camera: Side %{localtime} ':\\");
      // The second camera's frame shown at the main tile's moment: at most one frame before it.
      expect(main[i]!.atMs - s.atMs).toBeGreaterThanOrEqual(-1);
      expect(main[i]!.atMs - s.atMs).toBeLessThan(1000 / FPS + 5);
    }
    const L = sheet.layout;
    const groups = Math.ceil(main.length / SHEET.columns);
    expect(L.height - L.gridY - SHEET.margin).toBe(2 * groups * L.tileHeight + (2 * groups - 1) * L.gap);
    // The picture itself: in each group, the main camera's row fills its tiles (16:9), the second
    // camera's row below shows a 4:3 picture with black bars at the sides of each tile.
    const png = await rgbFrame(sheet.png, 0);
    expect([png.width, png.height]).toEqual([L.width, L.height]);
    const bar = Math.floor((L.tileWidth - Math.round((L.pictureHeight * 4) / 3)) / 2);
    for (let g = 0; g < groups; g++) {
      const mainY = L.gridY + 2 * g * (L.tileHeight + L.gap);
      const sideY = mainY + L.tileHeight + L.gap;
      const x = L.gridX;
      expect(meanLevel(png, x + 2, mainY + 10, bar - 4, L.pictureHeight - 20), `group ${g} main row`).toBeGreaterThan(40);
      expect(meanLevel(png, x + 2, sideY + 10, bar - 4, L.pictureHeight - 20), `group ${g} side row, bar`).toBeLessThan(12);
      expect(meanLevel(png, x + bar + 20, sideY + 10, L.tileWidth - 2 * bar - 40, L.pictureHeight - 20), `group ${g} side row, picture`).toBeGreaterThan(40);
    }
    expect(readdirSync(sheetDir).sort()).toEqual(['evidence-sheet.jpg', 'evidence-sheet.pdf', 'evidence-sheet.png']);
  });

  it('the exported sheet (in the bundle) is the two-camera one: taller than one camera’s rows would make it', async () => {
    const png = await rgbFrame(fileOf(stdout, 'sheet-png'), 0);
    const m = manifest();
    expect(m.files.some((f) => f.role === 'sheet-png')).toBe(true);
    // 5 s key frames over a ~10 s clip plus its scan: at least 3 moments, so at least 2 rows of tiles.
    expect(png.height).toBeGreaterThan(2 * 262);
  });

  it('fits every video to a length limit alike over HTTP, composite included, and the job lists the composite for download', async () => {
    const res = await station.api(routes.clipExport(clip.id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxSeconds: 8, composite: true, sheet: false, locale: 'en' }) });
    expect(res.status).toBe(202);
    const job = ExportJob.parse(await res.json());
    const done = await waitFor(async () => {
      const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
      return j.state === 'queued' || j.state === 'running' ? undefined : j;
    }, 120_000, 'the export job');
    expect(done, done.error ?? '').toMatchObject({ state: 'done', plan: { kind: 'fit' } });
    const comp = done.files.find((f) => f.role === 'composite')!;
    const dl = await station.api(`${routes.exportJob(job.id)}/files/composite`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await dl.arrayBuffer()).length).toBe(comp.bytes);
    const zip = done.files.find((f) => f.role === 'zip')!;
    const zipPath = join(station.dataDir, 'exports');
    const found = (readdirSync(zipPath, { recursive: true }) as string[]).find((p) => p.endsWith(zip.name))!;
    const r = cli(['verify', join(zipPath, found), '--expect-fingerprint', fingerprint]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const dir = join(zipPath, found.replace(/\.zip$/, ''));
    const m = manifest(dir);
    for (const f of m.files.filter((x) => ['video', 'camera-video', 'composite'].includes(x.role))) {
      const decoded = await decodeFully(join(dir, f.path));
      expect(decoded.errors, f.path).toBe('');
      // 8 s at most, each (the same window for every view).
      expect(decoded.frames / FPS, f.path).toBeLessThanOrEqual(8.1);
      expect(decoded.frames / FPS, f.path).toBeGreaterThan(7);
    }
    expect(m.files.find((f) => f.role === 'camera-video')!.sha256).not.toBe(clip.cameras![1]!.sha256);
  });
});
