/**
 * `packwitness recover` on a station with two cameras: the rebuilt index gives each clip its other
 * camera again (clip_cameras), taking a cut video that is still on disk as it is and cutting a lost
 * one from that camera's rebuilt segments. Real ffmpeg, SQLite, HTTP and the built CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { decodeFully, ffmpegBin, sha256Of } from '../helpers/media.js';
import { cliPath, repoRoot, startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const MAIN = 'demo:640x360@15';
const SIDE = 'demo:320x240@15';
const FPS = 15;
const run = promisify(execFile);

async function scan(s: StationProcess, code: string): Promise<ScanResponse> {
  return ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
}

const clipOf = async (s: StationProcess, id: number) => Clip.parse(await (await s.api(routes.clip(id))).json());

/** One clip by scans (~3 s), resolved once both cameras' videos are cut. */
async function recordClip(s: StationProcess, code: string): Promise<Clip> {
  const started = await scan(s, code);
  expect(started.action).toBe('started');
  await sleep(3_000);
  expect((await scan(s, 'PW-STOP')).action).toBe('stopped');
  return waitFor(async () => {
    const c = await clipOf(s, started.id!);
    return c.cameras?.length === 2 && c.cameras.every((k) => k.hasVideo) ? c : undefined;
  }, 30_000, `clip ${started.id} cut from both cameras`);
}

/** Width x height of a video's first stream, as ffmpeg -i prints it. */
async function frameSize(file: string): Promise<string> {
  const out = await run(await ffmpegBin(), ['-hide_banner', '-i', file, '-f', 'null', '-frames:v', '1', '-']).catch((e: { stderr: string }) => e);
  return /Video: .*?(\d{2,5}x\d{2,5})/.exec(out.stderr)?.[1] ?? 'unknown';
}

describe('recover on a station with two cameras', () => {
  it("a rebuilt index lists both cameras of each clip and serves the second camera's video", async () => {
    const first = await startStation({ camera: MAIN, args: ['--camera', SIDE] });
    await waitFor(async () => {
      const st = (await (await first.api(routes.status)).json()) as { cameras?: Array<{ state: string }> };
      return st.cameras?.length === 2 && st.cameras.every((c) => c.state === 'recording');
    }, 20_000, 'both cameras recording');
    await sleep(3_000); // pre-roll on both cameras
    const kept = await recordClip(first, '123456789012345678');
    const lost = await recordClip(first, '987654321098765432');
    await first.stop();
    const dataDir = first.dataDir;
    const sideFile = (c: Clip) => join(dataDir, 'clips', c.startedAt.slice(0, 10), `${c.id}.demo-2.mp4`);
    const keptSha = sha256Of(sideFile(kept));
    expect(keptSha).toBe(kept.cameras![1]!.sha256);
    // The second clip's other video is gone too: recover must cut it again from the segments.
    rmSync(sideFile(lost));
    for (const f of ['packwitness.db', 'packwitness.db-wal', 'packwitness.db-shm']) rmSync(join(dataDir, f), { force: true });

    const r = await run(process.execPath, [cliPath, 'recover', '--data', dataDir, '--from-backup', 'none'], { cwd: repoRoot, env: { ...process.env, PACKWITNESS_LOG: 'warn' }, timeout: 120_000 });
    expect(r.stdout).toMatch(/2 restored from their video files/);
    expect(existsSync(sideFile(lost))).toBe(true);

    const again = await startStation({ dataDir, camera: MAIN, args: ['--camera', SIDE] });
    try {
      for (const before of [kept, lost]) {
        const c = await clipOf(again, before.id);
        expect(c.camera).toBe('demo');
        expect(c.cameras!.map((k) => [k.id, k.main, k.hasVideo])).toEqual([
          ['demo', true, true],
          ['demo-2', false, true],
        ]);
        const side = c.cameras![1]!;
        if (before.id === kept.id) expect(side.sha256).toBe(keptSha); // the evidence file as it was cut, not a new cut
        const res = await again.api(`${routes.clipVideo(c.id)}?camera=demo-2`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('video/mp4');
        const file = join(dataDir, `check-${c.id}-demo-2.mp4`);
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        expect(sha256Of(file)).toBe(side.sha256);
        expect(await frameSize(file)).toBe('320x240');
        const decoded = await decodeFully(file);
        expect(decoded.errors).toBe('');
        // The restored clip's time range (from its main video) is what the second camera's video covers.
        const lengthMs = Date.parse(c.endedAt!) - Date.parse(c.startedAt);
        expect(Math.abs(decoded.frames / FPS - lengthMs / 1000), `clip ${c.id}`).toBeLessThan(0.4);
        expect(Math.abs(side.durationMs! - lengthMs)).toBeLessThan(400);
      }
    } finally {
      await again.stop();
    }
  }, 240_000);
});
