import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StatusResponse } from '../../shared/api.js';
import { cliPath, repoRoot, startStation, tempDataDir } from '../helpers/station-process.js';

/** Run `packwitness station …` to completion; every case here must fail fast with one clear sentence. */
function station(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cliPath, 'station', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('packwitness:'));
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, message: lines.at(-1) ?? '' };
}

function expectClearFailure(r: ReturnType<typeof station>, pattern: RegExp): void {
  expect(r.status, r.stderr).not.toBe(0);
  expect(r.stdout).not.toMatch(/READY/);
  expect(r.message).toMatch(pattern);
  // One sentence, not a stack trace.
  expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('packwitness station refuses bad input with one clear sentence', () => {
  it('an unknown camera spec', () => {
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'webcam0']), /Unknown camera spec "webcam0"/);
  });

  it('a malformed demo or device spec', () => {
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'demo:huge']), /not a demo spec/);
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'v4l2:/etc/passwd']), /not a V4L2 device/);
  });

  it('a station name with a line break or a text-direction mark (it is burned into the video)', () => {
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'demo', '--station', 'Bench\n7']), /^packwitness: --station: the station name must not contain control characters, line breaks or text-direction marks$/);
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'demo', '--station', 'Bench\u202E7']), /--station: the station name must not contain/);
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'dshow:Cam\nEvil']), /^packwitness: the camera spec must not contain control characters/);
  });

  it('a missing ffmpeg', () => {
    expectClearFailure(station(['--data', tempDataDir(), '--camera', 'demo', '--ffmpeg', '/nonexistent/ffmpeg']), /ffmpeg was not found/);
  });

  it('an unwritable data folder', () => {
    const parent = tempDataDir();
    const locked = join(parent, 'locked');
    mkdirSync(locked);
    writeFileSync(join(parent, 'a-file'), 'x');
    // A path under a regular file cannot be created, even by root (CI runs as root, so chmod alone would not do).
    expectClearFailure(station(['--data', join(parent, 'a-file', 'data'), '--camera', 'demo']), /data folder .* is not writable/);
    chmodSync(locked, 0o755);
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [cliPath, 'station', '--data', tempDataDir(), '--camera', 'demo:320x240@10', '--port', String(port)], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`packwitness: Port ${port} on 127.0.0.1 is already in use`));
      expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    } finally {
      blocker.close();
    }
  });

  it('a second station on the same data folder', async () => {
    const first = await startStation({ camera: 'demo:320x240@10' });
    try {
      expectClearFailure(station(['--data', first.dataDir, '--camera', 'demo']), /Another station \(pid \d+\) is already recording/);
    } finally {
      await first.stop();
    }
  });

  it('a bad port number', () => {
    const r = spawnSync(process.execPath, [cliPath, 'station', '--port', 'abc'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/a port is a whole number/);
  });

  it('a missing camera: no READY, one sentence saying why, the API shows NOT recording, and it keeps retrying', async () => {
    const token = 'missing-camera-token';
    const proc = spawn(process.execPath, [cliPath, 'station', '--data', tempDataDir(), '--camera', 'v4l2:/dev/video97', '--port', '0', '--token', token], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning within 25 s:\n${stderr}`)), 25_000);
        proc.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /^packwitness: the camera .*$/m.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
      });
      expect(line).toMatch(/the camera "v4l2:\/dev\/video97" is not recording yet \(.*video97.*\); still retrying\. UI: http:\/\/127\.0\.0\.1:\d+\//);
      expect(stdout).not.toMatch(/READY/);
      const origin = new URL(/UI: (\S+)/.exec(line)![1]!).origin;
      const st = StatusResponse.parse(await (await fetch(`${origin}/api/status`, { headers: { authorization: `Bearer ${token}` } })).json());
      expect(st.recording).toBe(false);
      // Retrying: the first failure is a restart, the retries after it are counted apart (no run row each).
      expect(st.camera.restarts).toBe(1);
      expect(st.camera.failedAttempts).toBeGreaterThanOrEqual(2);
      expect(['restarting', 'starting']).toContain(st.camera.state);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
    }
  });
});
