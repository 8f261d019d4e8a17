import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../electron/station/doctor/checks.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

function doctor(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, 'doctor', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n') };
}
const json = (args: string[]) => {
  const r = doctor([...args, '--json']);
  return { status: r.status, report: JSON.parse(r.stdout) as DoctorReport };
};
const line = (lines: string[], id: string) => lines.find((l) => l.slice(5).startsWith(id)) ?? '';

describe('packwitness doctor on this machine', () => {
  it('finds the bundled ffmpeg and libx264, reports no camera as a warning, and passes', () => {
    const r = doctor(['--data', join(tempDataDir(), 'not-yet'), '--port', '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(7);
    expect(line(r.lines, 'ffmpeg')).toMatch(/^OK {3}ffmpeg .*found, bundled: .*@ffmpeg-installer/);
    // The static build has VAAPI compiled in but this machine has no GPU: listed, tested, failing.
    expect(line(r.lines, 'encoders')).toMatch(/^OK {3}encoders .*libx264 works; h264_vaapi fails \(No VA display found/);
    expect(line(r.lines, 'cameras')).toMatch(/^WARN cameras .*no camera found: the station records the demo picture/);
    expect(line(r.lines, 'data-folder')).toMatch(/^OK {3}data-folder .*does not exist yet; it will be created/);
    expect(line(r.lines, 'disk')).toMatch(/^OK {3}disk .*GB free, days left unknown/);
    expect(line(r.lines, 'port')).toMatch(/^OK {3}port .*port 0 is free/);
    expect(line(r.lines, 'database')).toMatch(/^OK {3}database .*no database yet/);
    expect(r.stderr).toBe('');
  });

  describe('with a data folder a station has recorded into', () => {
    let dataDir = '';
    beforeAll(async () => {
      dataDir = tempDataDir();
      const st = await startStation({ dataDir });
      await waitFor(async () => ((await (await st.api('/api/status')).json()) as { segmentCount: number }).segmentCount >= 2 || undefined, 20_000, 'two segments');
      await st.stop();
    });

    it('checks the database read-only (integrity and quick check, schema version) and estimates days of disk left', () => {
      const before = statSync(join(dataDir, 'packwitness.db')).mtimeMs;
      const { status, report } = json(['--data', dataDir, '--port', '0']);
      expect(status).toBe(0);
      const db = report.checks.find((c) => c.id === 'database')!;
      expect(db.status).toBe('ok');
      expect(db.summary).toBe(`database intact (integrity_check and quick_check ok), schema version ${migrations.at(-1)!.version}`);
      expect(db.details).toMatchObject({ quickCheck: ['ok'], integrityCheck: ['ok'], schemaVersion: migrations.at(-1)!.version });
      expect(statSync(join(dataDir, 'packwitness.db')).mtimeMs).toBe(before);
      const disk = report.checks.find((c) => c.id === 'disk')!;
      const d = disk.details as { freeBytes: number; bytesPerDay: number; daysLeft: number };
      expect(d.bytesPerDay).toBeGreaterThan(0);
      expect(d.daysLeft).toBeCloseTo(d.freeBytes / d.bytesPerDay, 6);
      expect(disk.summary).toMatch(/days left at [\d.]+ GB\/day/);
      // The encoder tests doctor ran are the station's cache from now on.
      expect(statSync(join(dataDir, 'encoder-tests.json')).isFile()).toBe(true);
    });

    it('fails on a damaged database and names it', () => {
      const copy = tempDataDir();
      copyFileSync(join(dataDir, 'packwitness.db'), join(copy, 'packwitness.db'));
      // Scribble over the middle of the file (not the header): SQLite still opens it, the checks find the damage.
      const size = statSync(join(copy, 'packwitness.db')).size;
      const fd = openSync(join(copy, 'packwitness.db'), 'r+');
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
      const r = doctor(['--data', copy, '--port', '0']);
      expect(r.status).toBe(1);
      expect(line(r.lines, 'database')).toMatch(/^FAIL database .*(is damaged|cannot be read)/);
      expect(r.stderr).toMatch(/packwitness: 1 problem:\n {2}- [Tt]he database .*packwitness\.db (is damaged|cannot be read).*`packwitness recover --data /);
    });
  });

  describe('problems', () => {
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('exits 1 and lists each one: a port in use and a data folder that is a file', () => {
      const file = join(tempDataDir(), 'a-file');
      writeFileSync(file, 'x');
      const r = doctor(['--data', file, '--port', String(port)]);
      expect(r.status).toBe(1);
      expect(line(r.lines, 'port')).toBe(`FAIL port        port ${port} is in use (a station already running, or another program): choose another with --port N`);
      expect(line(r.lines, 'data-folder')).toMatch(/^FAIL data-folder the data folder .* is a file, not a folder/);
      expect(r.stderr).toMatch(/^packwitness: 2 problems:\n {2}- the data folder .*\n {2}- port \d+ is in use/);
    });

    it('reports a missing ffmpeg as a failure, in JSON too', () => {
      const dir = tempDataDir();
      mkdirSync(join(dir, 'x'));
      const { status, report } = json(['--data', dir, '--port', '0', '--ffmpeg', '/nonexistent/ffmpeg']);
      expect(status).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([
        ['ffmpeg', 'fail'],
        ['encoders', 'fail'],
        ['cameras', 'warn'],
        ['data-folder', 'ok'],
        ['disk', 'ok'],
        ['port', 'ok'],
        ['database', 'ok'],
      ]);
      expect(report.problems[0]).toMatch(/ffmpeg was not found \(tried \/nonexistent\/ffmpeg/);
    });
  });
});
