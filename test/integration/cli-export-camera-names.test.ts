/**
 * `packwitness export` names a clip's cameras by their names, as the station's pages do, never by
 * their ids alone, and prints a camera's name escaped: a real station with two demo cameras named in
 * the settings (one in Chinese, with a space and a slash), a clip, and the built CLI on its data folder.
 * A name holding a bidi override and a tab (written straight into the database, as an older station
 * may have kept it) comes out as visible escapes, so it can neither reorder a terminal line nor add a
 * column to the tab-separated output.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Clip } from '../../shared/api.js';
import { routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { camerasRecording, recordClip } from '../helpers/station-api.js';
import { cliPath, repoRoot, startStation, tempDataDir, type StationProcess } from '../helpers/station-process.js';

const MAIN_NAME = '主摄像头';
const SIDE_NAME = '侧面 A/B';
let station: StationProcess;
let clip: Clip;

function exportCli(dataDir: string, clipId: number): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, 'export', '--data', dataDir, '--clip', String(clipId), '--out-dir', tempDataDir('pw-cli-names-'), '--no-sheet', '--lang', 'en'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  station = await startStation({ camera: 'demo:320x240@15', args: ['--camera', 'demo:320x240@10'] });
  await camerasRecording(station, 2);
  const cam = { resolution: 'auto', fps: null, quality: 'standard' };
  const cameras = [{ spec: 'demo:320x240@15', ...cam, name: MAIN_NAME }, { spec: 'demo:320x240@10', ...cam, name: SIDE_NAME }];
  const saved = await station.api(routes.cameraListSettings, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cameras }) });
  expect(saved.status, await saved.clone().text()).toBe(200);
  await camerasRecording(station, 2);
  clip = await recordClip(station, 'SF3300445566', { holdMs: 3_000, cameras: 2 });
}, 120_000);
afterAll(async () => {
  await station?.stop();
});

describe('packwitness export names cameras by their names', () => {
  it('lists each camera by name, with its file in the bundle', () => {
    const r = exportCli(station.dataDir, clip.id);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const side = lines.find((l) => l.startsWith('file\tcamera-video\t'))!.split('\t');
    expect(side[5]).toBe(SIDE_NAME);
    expect(side[4]).toMatch(/^SF3300445566_\d{8}-\d{4}_clip-\d+\.demo-2\.mp4$/);
    const cams = lines.filter((l) => l.startsWith('camera\t')).map((l) => l.split('\t'));
    expect(cams.map((c) => c.slice(0, 3))).toEqual([
      ['camera', 'main', MAIN_NAME],
      ['camera', 'other', SIDE_NAME],
    ]);
    expect(cams[1]![3]).toBe(side[4]);
    // The ids appear only inside the bundle's own file names (its signed manifest fixes them).
    expect(cams.every((c) => c[2] !== 'demo' && c[2] !== 'demo-2')).toBe(true);
  });

  it('prints a name that holds control or bidi characters as visible escapes', () => {
    const db = openDatabase(join(station.dataDir, 'packwitness.db'));
    try {
      db.prepare('UPDATE clip_cameras SET name = ? WHERE clip_id = ?').run('evil\u202egpj.exe\tx', clip.id);
    } finally {
      db.close();
    }
    const r = exportCli(station.dataDir, clip.id);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u202e]/);
    const side = r.stdout.split('\n').find((l) => l.startsWith('file\tcamera-video\t'))!.split('\t');
    expect(side).toHaveLength(6);
    expect(side[5]).toBe('evil\\u202Egpj.exe\\tx');
  });
});
