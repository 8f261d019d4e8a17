/**
 * An IP camera's password never leaves the station's memory: a real station (the built CLI) records
 * from `rtsp://user:s3cr%40t@127.0.0.1:<closed port>/x`, ffmpeg fails to connect and quotes the URL
 * in its error, and the password is then looked for everywhere that error could have been written:
 * the status and health report (which LAN viewers read), the gaps, the log on stderr (at debug level,
 * with ffmpeg's own lines), every byte of the database and its WAL, and the crash log.
 *
 * Looked for as `s3cr`: the start of the password percent-encoded (`s3cr%40t`) and decoded (`s3cr@t`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GapsResponse, HealthReport, StatusResponse, routes } from '../../shared/api.js';
import { cliPath, repoRoot, tempDataDir, waitFor } from '../helpers/station-process.js';

const SECRET = 's3cr';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Every file the database is made of, read whole (the WAL holds the newest pages until a checkpoint). */
function databaseBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((f) => f.startsWith('packwitness.db'))
    .map((f) => readFileSync(join(dataDir, f), 'latin1'))
    .join('\n');
}

describe('a camera password in the station', () => {
  const dataDir = tempDataDir();
  const token = 'masking-test-token-0123456789abcdef';
  let origin = '';
  let stderr = '';
  let proc: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;
  const api = (path: string) => fetch(origin + path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    const cameraPort = await freePort();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    // Not startStation(): READY never comes (the camera never records); the API answers anyway.
    proc = spawn(process.execPath, [cliPath, 'station', '--data', dataDir, '--camera', `rtsp://user:s3cr%40t@127.0.0.1:${cameraPort}/x`, '--port', String(port), '--token', token], {
      cwd: repoRoot,
      env: { ...process.env, PACKWITNESS_LOG: 'debug' },
    });
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    await waitFor(async () => {
      const res = await api(routes.status).catch(() => null);
      return res?.ok && StatusResponse.parse(await res.json()).camera.lastError !== null;
    }, 30_000, 'the camera to fail');
    // The CLI's own "not recording yet" warning (after 15 s) quotes the camera status too.
    await waitFor(() => stderr.includes('is not recording yet'), 30_000, 'the not-recording warning');
  }, 70_000);

  afterAll(async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
  });

  it('is not in the status, the gaps or the health report, which still say what went wrong', async () => {
    const statusText = await (await api(routes.status)).text();
    const status = StatusResponse.parse(JSON.parse(statusText));
    expect(status.camera.lastError).toMatch(/Connection refused/);
    expect(status.camera.lastError).toContain('rtsp://user:***@127.0.0.1:');
    expect(status.camera.spec).toMatch(/^rtsp:\/\/user:\*\*\*@127\.0\.0\.1:\d+\/x$/);
    expect(statusText).not.toContain(SECRET);

    const gapsText = await (await api(routes.gaps)).text();
    expect(GapsResponse.parse(JSON.parse(gapsText)).gaps[0]!.reason).toMatch(/Connection refused/);
    expect(gapsText).not.toContain(SECRET);

    const reportText = await (await api(routes.healthReport)).text();
    const report = HealthReport.parse(JSON.parse(reportText));
    // The health page words the cause for people (recorder/ffmpeg-failures.ts), never ffmpeg's lines.
    expect(report.lastErrors.map((e) => e.message).join('\n')).toMatch(/Nothing answers at 127\.0\.0\.1:\d+/);
    expect(reportText).not.toContain(SECRET);
  });

  it('is not in the log, even at debug level with ffmpeg’s own lines', () => {
    expect(stderr).toMatch(/ffmpeg exited/);
    expect(stderr).toMatch(/rtsp:\/\/user:\*\*\*@127\.0\.0\.1/);
    expect(stderr).not.toContain(SECRET);
  });

  it('is not in any byte of the database, its WAL, or the crash log, while running and after a stop', async () => {
    expect(databaseBytes(dataDir)).toMatch(/Connection refused/);
    // Booleans, not toContain: a failure would print megabytes of database pages.
    expect(databaseBytes(dataDir).includes(SECRET), 'database while running').toBe(false);
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(databaseBytes(dataDir).includes(SECRET), 'database after the stop').toBe(false);
    const crashLog = join(dataDir, 'logs', 'crash.log');
    if (existsSync(crashLog)) expect(readFileSync(crashLog, 'latin1').includes(SECRET), 'crash log').toBe(false);
    expect(stderr.includes(SECRET), 'the log up to the exit').toBe(false);
  });
});
