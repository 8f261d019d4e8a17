/**
 * The claim sheet, the still frames and the claim video in the appeal bundle: a page per claim photo
 * (the photo, its SHA-256, the findings, the matched frames with their times) as PDF and PNG, a set of
 * stills for a pictures-only platform, and the buyer's video as received, all listed in the signed
 * manifest so `packwitness verify` proves them and names the one that was changed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claim, Clip, ScanResponse, routes } from '../../shared/api.js';
import { AIGC_LABEL, closeFixtureTool, jpegWithAigcXmpAttribute } from '../helpers/claim-fixtures.js';
import { readManifest, sha256 } from '../helpers/evidence-bundle.js';
import { ffmpegBin } from '../helpers/media.js';
import { pdfText } from '../helpers/pdf-text.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000, env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** pdftotext keeps the words, not the layout: compare without whitespace. */
const squeeze = (s: string): string => s.replace(/\s+/g, '');

describe('the claim sheet, stills and claim video in the export bundle', () => {
  let station: StationProcess | undefined;
  let dataDir: string;
  let clip: Clip;
  let fingerprint: string;
  let claim: Claim;
  const dir = tempDataDir('pw-claim-sheet-');
  const FRAME_AT = 2;

  beforeAll(async () => {
    station = await startStation();
    dataDir = station.dataDir;
    await sleep(2_000);
    const scan = async (code: string) =>
      ScanResponse.parse(await (await station!.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const clipId = (await scan('SF5566778899001')).id!;
    await sleep(5_000);
    await scan('PW-STOP');
    clip = await waitFor(async () => {
      const c = Clip.parse(await (await station!.api(routes.clip(clipId))).json());
      return c.video ? c : undefined;
    }, 30_000, 'the clip video');
    fingerprint = ((await (await station.api(routes.status)).json()) as { stationKey: { fingerprint: string } }).stationKey.fingerprint;

    // Photo 1: a frame of the recording itself, so the station matches it to a moment; photo 2 carries an AIGC label.
    const clipFile = spawnSync('find', [join(dataDir, 'clips'), '-name', `*${clipId}*.mp4`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]!;
    const ffmpeg = await ffmpegBin();
    execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-ss', String(FRAME_AT), '-i', clipFile, '-frames:v', '1', '-q:v', '3', join(dir, 'frame.jpg')]);
    await jpegWithAigcXmpAttribute(join(dir, 'ai.jpg'));
    await closeFixtureTool();
    // The buyer's video: made here with ffmpeg; the station never decodes it.
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=160x120:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', join(dir, 'buyer.mp4')]);

    const form = new FormData();
    form.append('platform', 'TikTok Shop');
    form.append('claimNumber', 'TT-4411');
    form.append('photo', new Blob([readFileSync(join(dir, 'frame.jpg'))]), 'frame.jpg');
    form.append('photo', new Blob([readFileSync(join(dir, 'ai.jpg'))]), 'ai.jpg');
    form.append('video', new Blob([readFileSync(join(dir, 'buyer.mp4'))]), 'buyer.mp4');
    const res = await station.api(routes.clipClaims(clipId), { method: 'POST', body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    claim = Claim.parse(await res.json());
    expect(claim.files[0]!.matches.length).toBeGreaterThan(0);
    await station.stop();
    station = undefined;
  }, 150_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('puts a claim sheet per photo, 6 stills and the claim video in a TikTok Shop bundle; verify proves them and a changed sheet fails by name', async () => {
    const out = join(dir, 'tiktok');
    const r = cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', out, '--preset', 'tiktok-shop', '--lang', 'en']);
    expect(r.status, r.stderr).toBe(0);
    const manifest = readManifest(out);
    const listed = (role: string) => manifest.files.filter((f) => f.role === role).map((f) => f.path);
    const c = claim.id;
    expect(listed('claim-sheet-pdf')).toEqual([`claim-${c}-photo-1-sheet.pdf`, `claim-${c}-photo-2-sheet.pdf`]);
    expect(listed('claim-sheet-png')).toEqual([`claim-${c}-photo-1-sheet.png`, `claim-${c}-photo-2-sheet.png`]);
    expect(listed('claim-video')).toEqual([`claim-${c}-video.mp4`]);
    expect(readFileSync(join(out, `claim-${c}-video.mp4`)).equals(readFileSync(join(dir, 'buyer.mp4')))).toBe(true);
    expect(manifest.files.find((f) => f.role === 'claim-video')!.sha256).toBe(claim.files[2]!.sha256);

    // The sheet of the matched photo: its hash, the clip's, the matched moments with their times.
    const sheet1 = pdfText(join(out, `claim-${c}-photo-1-sheet.pdf`));
    expect(sheet1).toContain('PackWitness claim sheet');
    expect(sheet1).toContain(claim.files[0]!.sha256);
    expect(sheet1).toContain(clip.video!.sha256);
    expect(sheet1).toContain(`claim-${c}-photo-1.jpeg`);
    expect(sheet1).toContain('TT-4411');
    const top = claim.files[0]!.matches[0]!;
    expect(squeeze(sheet1)).toContain(squeeze(`#1 · +`));
    expect(squeeze(sheet1)).toContain(`score${top.score}`);
    // The frame's own time, printed to the millisecond: within one frame of the matched moment.
    const shown = [...sheet1.matchAll(/#1 · \+(\d+\.\d{3}) s/g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(0);
    expect(Math.abs(shown[0]! - top.atSeconds)).toBeLessThan(0.2);
    // The labelled photo's sheet says what the label says, as a fact about the file.
    const sheet2 = pdfText(join(out, `claim-${c}-photo-2-sheet.pdf`));
    const aigc = claim.files[1]!.findings.find((f) => f.kind === 'aigc-label')!;
    expect(squeeze(sheet2)).toContain(squeeze(aigc.statement.en));
    expect(sheet2).toContain(AIGC_LABEL.ProduceID);
    // The PNG of the page is a real picture, twice as wide as the photo's cell.
    const png = await sharp(join(out, `claim-${c}-photo-1-sheet.png`)).metadata();
    expect([png.format, png.width]).toEqual(['png', 1600]);

    // Six stills, full frames of the recording (the overlay is in them), in clip order.
    const stills = listed('still');
    expect(stills).toEqual(Array.from({ length: 6 }, (_, i) => expect.stringMatching(new RegExp(`_still-${i + 1}\\.jpg$`))));
    const full = await sharp(join(dir, 'frame.jpg')).metadata();
    const sizes = await Promise.all(stills.map(async (s) => sharp(join(out, s)).metadata()));
    for (const m of sizes) expect([m.format, m.width, m.height]).toEqual(['jpeg', full.width, full.height]);
    expect(new Set(stills.map((s) => sha256(readFileSync(join(out, s))))).size).toBe(6);

    const ok = cli(['verify', out, '--expect-fingerprint', fingerprint]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`claim-${c}-photo-1-sheet.pdf (claim-sheet-pdf)`);
    expect(ok.stdout).toContain(`claim-${c}-video.mp4 (claim-video)`);
    expect(ok.stdout).toContain(`${stills[0]} (still)`);

    // Someone edits the sheet (same size: only the hash can tell).
    const changed = join(dir, 'changed');
    cpSync(out, changed, { recursive: true });
    const pdf = join(changed, `claim-${c}-photo-1-sheet.pdf`);
    const bytes = readFileSync(pdf);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x01;
    writeFileSync(pdf, bytes);
    const bad = cli(['verify', changed, '--expect-fingerprint', fingerprint]);
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toContain(`claim-${c}-photo-1-sheet.pdf (claim-sheet-pdf) does not match manifest.json`);
  }, 180_000);

  it('words the sheet in Chinese for a zh-CN export, and adds no stills for a video platform', () => {
    const out = join(dir, 'zh');
    const r = cli(['export', '--data', dataDir, '--clip', String(clip.id), '--out', out, '--lang', 'zh-CN']);
    expect(r.status, r.stderr).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.files.filter((f) => f.role === 'still')).toEqual([]);
    const text = pdfText(join(out, `claim-${claim.id}-photo-2-sheet.pdf`));
    expect(text).toContain('售后核验页');
    const aigc = claim.files[1]!.findings.find((f) => f.kind === 'aigc-label')!;
    expect(squeeze(text)).toContain(squeeze(aigc.statement['zh-CN']));
    expect(squeeze(text)).toContain(squeeze('TikTok Shop · 售后单号 TT-4411'));
    const ok = cli(['verify', out, '--expect-fingerprint', fingerprint]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  }, 120_000);
});
