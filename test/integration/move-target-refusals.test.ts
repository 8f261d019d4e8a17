/**
 * Moving the data folder onto the operating system's own folders (/proc, /sys,
 * /dev, a link into them, a proc file system mounted elsewhere) is refused in one sentence, at once,
 * while the station goes on answering and recording. The old check made the target with a recursive
 * mkdir, which on /proc/self/x never returns: the station stopped answering and recording for good,
 * so each request here has a time limit, and a station that hangs is killed after the test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorResponse, routes, StatusResponse } from '../../shared/api.js';
import { startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

/** Far longer than a refusal takes; the old code never answered at all. */
const ANSWER_WITHIN_MS = 10_000;

describe('moving the data folder to a place that is not a disk', () => {
  let station: StationProcess | null = null;
  const mounts: string[] = [];
  afterEach(async () => {
    const s = station;
    station = null;
    if (s) {
      // A station stuck in a synchronous call never handles SIGTERM: kill it.
      const code = await Promise.race([s.stop(), sleep(15_000).then(() => 'hung' as const)]);
      if (code === 'hung') {
        s.proc.kill('SIGKILL');
        await s.exited;
      }
    }
    for (const m of mounts.splice(0)) spawnSync('umount', [m]);
  });

  it('is refused in one sentence at once, and the station keeps answering and recording meanwhile', async () => {
    station = await startStation();
    const s = station;
    const status = async () => StatusResponse.parse(await (await s.api(routes.status, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) })).json());
    await waitFor(async () => ((await status()).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');
    const before = await status();

    const base = tempDataDir('pw-special-');
    symlinkSync('/proc/self', join(base, 'link-into-proc'));
    const targets: Array<[string, string]> = [
      ['/proc/self/x', '/proc'],
      ['/proc/self/x/PackWitness', '/proc'],
      ['/sys/kernel/PackWitness', '/sys'],
      ['/dev/PackWitness', '/dev'],
      ['/dev/shm/PackWitness', '/dev'],
      [join(base, 'link-into-proc', 'PackWitness'), '/proc'],
    ];
    // A proc file system mounted outside /proc is found by its type (needs root with mount rights).
    const procMount = join(base, 'procfs');
    mkdirSync(procMount);
    if (spawnSync('mount', ['-t', 'proc', 'proc', procMount]).status === 0) {
      mounts.push(procMount);
      targets.push([join(procMount, 'self', 'PackWitness'), 'proc']);
    }

    for (const [to, where] of targets) {
      const move = s.api(routes.storageMove, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to }),
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      // Asked while the refusal is being worked out: the station answers it too.
      const health = s.api('/api/health', { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
      const [r, h] = await Promise.all([move, health]);
      expect(h.status).toBe(200);
      expect(r.status, to).toBe(400);
      const e = ErrorResponse.parse(await r.json());
      expect(e.error).toBe(`The new folder ${to} is on ${where}, a file system of the operating system, not a disk; choose a folder on a disk.`);
      expect(e.message?.en).toBe(e.error);
      expect(e.message?.['zh-CN']).toBe(`新文件夹 ${to} 位于 ${where}，这是操作系统的虚拟文件系统，不是磁盘；请选择磁盘上的文件夹。`);
    }

    // Impossible targets elsewhere: a file where a folder should be. Nothing is created.
    writeFileSync(join(base, 'a-file'), 'x');
    const inFile = join(base, 'a-file', 'PackWitness');
    const r = await s.api(routes.storageMove, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: inFile }), signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect(r.status).toBe(400);
    expect(ErrorResponse.parse(await r.json()).error).toBe(`The new folder ${inFile} is not writable (ENOTDIR); choose another folder or fix its permissions.`);
    expect(existsSync(join(base, 'a-file'))).toBe(true);

    // Recording went on through the refusals, with the same ffmpeg.
    await sleep(2_500);
    const after = await status();
    expect(after.recording).toBe(true);
    expect(after.camera.pid).toBe(before.camera.pid);
    expect(after.camera.restarts).toBe(0);
    expect(after.segmentCount).toBeGreaterThan(before.segmentCount);
  });
});
