/**
 * Each camera's video of a clip as its own download, in a real Chromium, on the station's clip page
 * and on the hub's: a two-camera station (demo cameras of different sizes, the second renamed to a
 * Chinese name with a space and a slash) joined to a real hub (embedded PostgreSQL). A click on the
 * second camera's download saves a file named by the clip and the camera's name (the slash and space
 * made safe), which ffprobe reads as that camera's picture, byte for byte the station's cut. A second
 * station's main camera is a network camera (an ffmpeg the test serves on tcp://) unplugged before its
 * clip: that clip, filmed by its other camera alone, is on the hub's library too, plays that camera, says the
 * main camera recorded none of it, and downloads that camera's video.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraListSettings, Clip, routes } from '../../shared/api.js';
import { newPageIn } from '../helpers/browser.js';
import { hubInBrowser } from '../helpers/hub-browser.js';
import { hubClipWithCameras } from '../helpers/hub-process.js';
import { camerasRecording, recordClip } from '../helpers/station-api.js';
import { tempDataDir, waitFor } from '../helpers/station-process.js';
import { freePort, startTcpCamera } from '../helpers/tcp-camera.js';

const SIDE_NAME = '侧面 A/B';
// The second station's main camera, unplugged in its test.
const feedPort = await freePort();
let feed: Awaited<ReturnType<typeof startTcpCamera>> | null = await startTcpCamera(feedPort);
const deadCamera = `tcp://127.0.0.1:${feedPort}`;
afterAll(() => {
  feed?.kill('SIGKILL');
});
const fx = hubInBrowser({
  stations: [
    { camera: 'demo:640x360@15', args: ['--camera', 'demo:320x240@15', '--station', 'Bench DL'] },
    { camera: deadCamera, args: ['--camera', 'demo:320x180@15', '--station', 'Bench NoMain'] },
  ],
});

async function probe(file: string): Promise<{ codec: string; size: string; seconds: number }> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', file]);
  const j = JSON.parse(stdout) as { streams: Array<{ codec_name: string; width: number; height: number }>; format: { duration: string } };
  return { codec: j.streams[0]!.codec_name, size: `${j.streams[0]!.width}x${j.streams[0]!.height}`, seconds: Number(j.format.duration) };
}

/** Clicks the download of `camera` on the clip page and saves the file; its suggested name and path. */
async function download(page: Page, camera: string): Promise<{ name: string; path: string }> {
  const link = page.locator(`[data-testid="camera-download"][data-camera="${camera}"]`);
  await link.waitFor({ timeout: 15_000 });
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const dir = tempDataDir('pw-camera-dl-');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path };
}

describe('each camera’s video as its own download (Chromium)', () => {
  let clip: Clip;

  beforeAll(async () => {
    const station = fx.stations[0]!;
    await camerasRecording(station, 2);
    // The command-line cameras, saved with names: the second one's is what its download is named by.
    const cam = { resolution: 'auto', fps: null, quality: 'standard' };
    const cameras = [{ spec: 'demo:640x360@15', ...cam, name: '' }, { spec: 'demo:320x240@15', ...cam, name: SIDE_NAME }];
    const saved = await station.api(routes.cameraListSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cameras }) });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect(CameraListSettings.parse(await saved.json()).cameras.map((c) => c.id)).toEqual(['demo', 'demo-2']);
    await camerasRecording(station, 2);
    clip = await recordClip(station, 'SF5500667788', { holdMs: 3_000, cameras: 2 });
  }, 90_000);

  it('on the station: the other camera’s download is a playable file named by the camera', async () => {
    const station = fx.stations[0]!;
    const page = await newPageIn(fx.browser);
    await page.goto(`${station.url}#/clips/${clip.id}`, { waitUntil: 'domcontentloaded' });
    await page.locator(`[data-testid="clip-page"][data-clip-id="${clip.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="camera-download"]').count()).toBe(2);
    expect(await page.locator('[data-testid="camera-download"][data-camera="demo-2"]').textContent()).toBe(`Download ${SIDE_NAME}’s video`);
    const side = await download(page, 'demo-2');
    expect(side.name).toMatch(/^SF5500667788_\d{8}-\d{4}_clip-\d+_侧面-A-B\.mp4$/);
    expect(await probe(side.path)).toMatchObject({ codec: 'h264', size: '320x240' });
    expect((await probe(side.path)).seconds).toBeGreaterThan(2);
    expect(createHash('sha256').update(readFileSync(side.path)).digest('hex')).toBe(clip.cameras![1]!.sha256);
    const main = await download(page, 'demo');
    // An unnamed camera goes by its spec, as the clip page shows it: `demo:640x360@15`, made safe.
    expect(main.name).toMatch(/_clip-\d+_demo-640x360-15\.mp4$/);
    expect(await probe(main.path)).toMatchObject({ codec: 'h264', size: '640x360' });
    await page.context().close();
  });

  it('on the hub: the same download, from the hub’s copy', async () => {
    const onHub = await hubClipWithCameras(fx.hub, '5500667788', clip.id, 2);
    const page = await fx.openPage({ hash: `#/clips/${onHub.id}` });
    await page.locator(`[data-testid="clip-page"][data-clip-id="${onHub.id}"]`).waitFor({ timeout: 15_000 });
    const side = await download(page, 'demo-2');
    // Named as on the station: the station's clip id.
    expect(side.name).toMatch(new RegExp(`^SF5500667788_\\d{8}-\\d{4}_clip-${clip.id}_侧面-A-B\\.mp4$`));
    expect(await probe(side.path)).toMatchObject({ codec: 'h264', size: '320x240' });
    expect(createHash('sha256').update(readFileSync(side.path)).digest('hex')).toBe(clip.cameras![1]!.sha256);
    await page.context().close();
  });

  it('on the hub: a clip whose main camera recorded nothing plays and downloads its other camera', async () => {
    const station = fx.stations[1]!;
    await camerasRecording(station, 2);
    feed!.kill('SIGKILL');
    feed = null;
    await waitFor(async () => (((await (await station.api(routes.status)).json()) as { recording: boolean }).recording ? undefined : true), 10_000, 'the main camera down');
    // Longer than the 3-s pre-roll: the clip lies wholly in the main camera's outage.
    await new Promise((r) => setTimeout(r, 4_000));
    const post = (code: string): Promise<Response> => station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const id = ((await (await post('SF5500990011')).json()) as { id: number }).id;
    await new Promise((r) => setTimeout(r, 3_000));
    await post('PW-STOP');
    const onHub = await waitFor(async () => {
      const item = ((await (await fx.hub.api('/api/clips?q=5500990011')).json()) as { items: Array<{ id: number; stationClipId: number; hasVideo: boolean }> }).items.find((c) => c.stationClipId === id);
      if (!item?.hasVideo) return undefined;
      const c = Clip.parse(await (await fx.hub.api(`/api/clips/${item.id}`)).json());
      return c.cameras?.[1]?.hasVideo ? c : undefined;
    }, 60_000, 'the clip on the hub with its other camera’s video');
    expect(onHub.video).toBeNull();
    const page = await fx.openPage({ hash: `#/clips/${onHub.id}` });
    await page.locator(`[data-testid="clip-page"][data-clip-id="${onHub.id}"]`).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="no-main-footage"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="clip-video"]').getAttribute('data-camera')).toBe('demo');
    expect(await page.locator('[data-testid="camera-no-video"]').count()).toBe(1);
    const side = await download(page, 'demo');
    expect(await probe(side.path)).toMatchObject({ codec: 'h264', size: '320x180' });
    expect(createHash('sha256').update(readFileSync(side.path)).digest('hex')).toBe(onHub.cameras![1]!.sha256);
    await page.context().close();
  });
});
