/**
 * A Ctrl-C, a logout or a service manager's SIGTERM can come at any moment of start-up. Whenever it
 * comes, the station must exit by itself, cleanly, and leave no ffmpeg behind: found when a stop right
 * after start() left the station running (start-up went on after stop() had run).
 */
import { spawn, execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Station } from '../../electron/station/station.js';
import { cliPath, repoRoot, tempDataDir, TEST_CAMERA } from '../helpers/station-process.js';

/** Processes whose command line names this data folder (the station and any ffmpeg it started). */
function processesFor(dataDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(dataDir) && !l.includes(' ps '));
}

describe('a stop during start-up', () => {
  // From before start() is called (module loading) to the first run of ffmpeg.
  for (const delayMs of [300, 1_300, 3_000]) {
    it(`SIGTERM ${delayMs} ms after launch: ends within 15 s, no ffmpeg left`, async () => {
      const dataDir = tempDataDir('pw-stop-early-');
      const proc = spawn(process.execPath, [cliPath, 'station', '--data', dataDir, '--camera', TEST_CAMERA, '--port', '0', '--token', 't'], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PACKWITNESS_LOG: 'warn' },
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<string>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
      await sleep(delayMs);
      proc.kill('SIGTERM');
      const how = await Promise.race([exited, sleep(15_000).then(() => 'hung')]);
      if (how === 'hung') proc.kill('SIGKILL');
      // Before the CLI has installed its handler (module loading), SIGTERM ends it outright: nothing had started.
      expect(['exit 0', 'SIGTERM'], stderr).toContain(how);
      await sleep(300);
      expect(processesFor(dataDir)).toEqual([]);
    }, 30_000);
  }
});

describe('Station.stop() at any moment of Station.start()', () => {
  // In-process, so the moments are fine-grained: before these fixes a stop at 0 ms let start-up go on
  // (server and ffmpeg left running) and one at 50-150 ms (ffmpeg being spawned) never resolved.
  for (const delayMs of [0, 10, 30, 50, 80, 120, 200, 400]) {
    it(`stop ${delayMs} ms after start: both settle, nothing left running`, async () => {
      const dataDir = tempDataDir('pw-stop-inproc-');
      const station = new Station({ dataDir, camera: TEST_CAMERA, port: 0, token: 't' });
      const started = station.start().then(
        () => 'started',
        (err: unknown) => (String(err).includes('stopped while') ? 'stopped while starting' : `failed: ${String(err)}`),
      );
      await sleep(delayMs);
      const stopped = await Promise.race([station.stop().then(() => 'stopped'), sleep(15_000).then(() => 'hung')]);
      expect(stopped).toBe('stopped');
      expect(['started', 'stopped while starting']).toContain(await started);
      await sleep(300);
      expect(processesFor(dataDir)).toEqual([]);
      // The folder is free again: a second station starts and stops on it.
      const again = new Station({ dataDir, camera: TEST_CAMERA, port: 0, token: 't' });
      await again.start();
      await again.stop();
    }, 40_000);
  }
});
