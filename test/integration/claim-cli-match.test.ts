import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claim, Clip, ScanResponse, StatusResponse, routes } from '../../shared/api.js';
import { claimPhotoFrom, sceneClip } from '../helpers/claim-scenes.js';
import { ffmpegBin } from '../helpers/media.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('`packwitness claim` sets a claim photo beside the moment of a recorded clip that shows the item', () => {
  let station: StationProcess;
  let clipId: number;
  let clipFile: string;
  const dir = tempDataDir('pw-claim-cli-');

  beforeAll(async () => {
    // A file camera showing eight distinct items, two seconds each, looped at real time.
    const { clip } = await sceneClip(await ffmpegBin(), dir, [21, 22, 23, 24, 25, 26, 27, 28], 2, 'bench.mp4');
    station = await startStation({ camera: `file:${clip}` });
    await sleep(1_000);
    const post = (code: string) => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    clipId = ScanResponse.parse(await (await post('YT7788990011')).json()).id!;
    await sleep(9_000);
    await post('PW-STOP');
    await waitFor(async () => Clip.parse(await (await station.api(routes.clip(clipId))).json()).video ?? undefined, 30_000, 'the clip video');
    clipFile = (await waitFor(() => {
      const r = spawnSync('find', [join(station.dataDir, 'clips'), '-name', `*${clipId}*.mp4`], { encoding: 'utf8' });
      return r.stdout.trim().split('\n').filter(Boolean)[0];
    }, 5_000, 'the clip file'))!;
  }, 110_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('ranks the moment the photo was taken from first (within 2 s), through warp, crop, colour shift, damage and recompression, in the CLI and on a stored claim', async () => {
    const at = 5;
    const still = join(dir, 'still.png');
    execFileSync(await ffmpegBin(), ['-nostdin', '-v', 'error', '-y', '-ss', String(at), '-i', clipFile, '-frames:v', '1', still]);
    const photo = join(dir, 'buyer.jpg');
    await claimPhotoFrom(still, photo, { seed: 5, warp: 0.12, crop: 0.1, hue: 20, damage: true, quality: 40 });
    const r = spawnSync(process.execPath, [cliPath, 'claim', '--data', station.dataDir, '--clip', String(clipId), '--json', photo], { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { photos: Array<{ matches: Array<{ atSeconds: number; score: number }> }> };
    const matches = out.photos[0]!.matches;
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.length).toBeLessThanOrEqual(3);
    expect(Math.abs(matches[0]!.atSeconds - at), JSON.stringify(matches)).toBeLessThanOrEqual(2);

    // The station does the same when the photo is added to a claim (in a child process), and keeps the moments.
    const form = new FormData();
    form.append('photo', new Blob([readFileSync(photo)]), 'buyer.jpg');
    const res = await station.api(routes.clipClaims(clipId), { method: 'POST', body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    const stored = Claim.parse(await res.json()).files[0]!.matches;
    expect(stored.length).toBeGreaterThan(0);
    expect(Math.abs(stored[0]!.atSeconds - at), JSON.stringify(stored)).toBeLessThanOrEqual(2);
    // The recording went on meanwhile.
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).recording).toBe(true);
  }, 100_000);

  it('decodes a HEIC claim photo (an iPhone photo, HEVC) in the decode child, previews it and matches it to its moment', async () => {
    const at = 11;
    const still = join(dir, 'still-heic.png');
    execFileSync(await ffmpegBin(), ['-nostdin', '-v', 'error', '-y', '-ss', String(at), '-i', clipFile, '-frames:v', '1', still]);
    const jpeg = join(dir, 'buyer-heic.jpg');
    await claimPhotoFrom(still, jpeg, { seed: 8, warp: 0.12, crop: 0.1, hue: -15, damage: true, quality: 90 });
    const heic = join(dir, 'IMG_4021.HEIC');
    // libheif's encoder (Debian's libheif-examples): the file carries HEVC, which sharp's libvips cannot decode.
    execFileSync('heif-enc', ['-q', '60', '-o', heic, jpeg]);
    expect(readFileSync(heic).subarray(4, 12).toString('latin1')).toMatch(/^ftyp(heic|mif1)$/);

    const form = new FormData();
    form.append('photo', new Blob([readFileSync(heic)]), 'IMG_4021.HEIC');
    const res = await station.api(routes.clipClaims(clipId), { method: 'POST', body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    const file = Claim.parse(await res.json()).files[0]!;
    expect(file.format).toBe('heic');
    expect(file.hasPreview).toBe(true);
    expect(file.matches.length).toBeGreaterThan(0);
    expect(Math.abs(file.matches[0]!.atSeconds - at), JSON.stringify(file.matches)).toBeLessThanOrEqual(2);

    // A HEIC cut short is refused with one sentence; the station records on.
    const cut = join(dir, 'IMG_4022.HEIC');
    writeFileSync(cut, readFileSync(heic).subarray(0, Math.floor(readFileSync(heic).length / 2)));
    const bad = new FormData();
    bad.append('photo', new Blob([readFileSync(cut)]), 'IMG_4022.HEIC');
    const refused = await station.api(routes.clipClaims(clipId), { method: 'POST', body: bad });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/IMG_4022\.HEIC.*(damaged or incomplete|could not be read)/);
    expect(StatusResponse.parse(await (await station.api(routes.status)).json()).recording).toBe(true);
  }, 100_000);
});
