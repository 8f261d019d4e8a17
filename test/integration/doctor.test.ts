import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, statfsSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthReport, routes } from '../../shared/api.js';
import type { DoctorReport } from '../../electron/station/doctor/checks.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

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
    // The bundled static build is a 2018 ffmpeg 4.1: a warning, not a failure.
    expect(line(r.lines, 'ffmpeg')).toMatch(/^WARN ffmpeg .*\(release 4\) found, bundled: .*@ffmpeg-installer.*; it is older than 6\.0: old decoders have known vulnerabilities/);
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
      // Seconds of footage: like the health page, no rate before an hour of it.
      const disk = report.checks.find((c) => c.id === 'disk')!;
      expect(disk.details).toMatchObject({ state: 'not-enough-data', daysLeft: null, bytesPerDay: null, basis: 'since-first-segment' });
      expect(disk.summary).toMatch(/GB free, days left unknown \(less than an hour of recording\)$/);
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

  describe('beside a running station', () => {
    let station: StationProcess;
    let port = 0;
    beforeAll(async () => {
      const dataDir = tempDataDir();
      // Two hours of history, so the forecast has a number: a station records, stops, and one segment
      // row two hours old goes into its index (its file long gone, as retention leaves them), sized so
      // the disk lasts about three and a half days: far from a whole-day boundary, however much the
      // other tests on this machine write meanwhile.
      const first = await startStation({ dataDir });
      await waitFor(async () => ((await (await first.api('/api/status')).json()) as { segmentCount: number }).segmentCount >= 1 || undefined, 20_000, 'a segment');
      await first.stop();
      const fs = statfsSync(dataDir);
      const free = Number(fs.bavail) * Number(fs.bsize);
      const floor = Math.max(10e9, 0.1 * Number(fs.blocks) * Number(fs.bsize));
      expect(free - floor, 'this test needs more free space than retention keeps').toBeGreaterThan(1e9);
      const bytes = Math.round((free - floor) / 3.5 / 12); // 2 h of footage = 1/12 of a day's
      const db = new Database(join(dataDir, 'packwitness.db'));
      const run = (db.prepare('SELECT id, camera FROM runs ORDER BY id LIMIT 1').get() as { id: number; camera: string });
      const startMs = Date.now() - 2 * 3600_000;
      db.prepare("INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (?, ?, 'runs/earlier/000001.ts', ?, ?, 2000, ?, ?, 'ok', ?)").run(
        run.id,
        run.camera,
        startMs,
        startMs + 2000,
        bytes,
        '0'.repeat(64),
        startMs + 2100,
      );
      db.close();
      station = await startStation({ dataDir });
      port = Number(new URL(station.origin).port);
    }, 90_000);
    afterAll(async () => {
      await station?.stop();
    });

    it('says the station holds the port (its pid) instead of failing, reads the rest without disturbing it, and forecasts the days the health page does', async () => {
      const cache = join(station.dataDir, 'encoder-tests.json');
      const cacheBefore = existsSync(cache) ? statSync(cache).mtimeMs : null;
      // Asked at the same moment, as a person would look at both.
      const doctorRun = new Promise<{ status: number | null; report: DoctorReport }>((resolveRun, reject) => {
        const p = spawn(process.execPath, [cliPath, 'doctor', '--data', station.dataDir, '--port', String(port), '--json'], { cwd: repoRoot });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('close', (code) => resolveRun({ status: code, report: JSON.parse(out) as DoctorReport }));
      });
      const [{ status, report }, page] = await Promise.all([doctorRun, station.api(routes.healthReport).then(async (res) => HealthReport.parse(await res.json()))]);
      const pid = Number(readFileSync(join(station.dataDir, 'station.lock'), 'utf8'));
      const check = (id: string) => report.checks.find((c) => c.id === id)!;
      expect(check('port')).toMatchObject({ status: 'ok', summary: `a station is running on port ${port} (pid ${pid}), recording into ${station.dataDir}` });
      expect(check('data-folder')).toMatchObject({ status: 'ok', summary: `data folder ${station.dataDir} is in use by the running station (pid ${pid}) and writable` });
      expect(check('database').status).toBe('ok');
      expect(check('database').summary).toContain(`(read while the station, pid ${pid}, runs)`);
      expect(status, JSON.stringify(report.problems)).toBe(0);
      // The station's encoder cache was not rewritten under it.
      expect(existsSync(cache) ? statSync(cache).mtimeMs : null).toBe(cacheBefore);

      // The same forecast: same floor, same basis and rate, and the whole days the page shows.
      const disk = check('disk').details as { floorBytes: number; basis: string; bytesPerDay: number; state: string; daysLeft: number };
      expect(page.forecast.state).toBe('days');
      expect(disk.state).toBe('days');
      expect(disk.floorBytes).toBe(page.disk.floorBytes);
      expect(disk.basis).toBe(page.rate.basis);
      expect(Math.abs(disk.bytesPerDay - page.rate.bytesPerDay!) / page.rate.bytesPerDay!).toBeLessThan(0.01);
      expect(Math.floor(disk.daysLeft)).toBe(Math.floor(page.forecast.daysLeft!));
      expect(Math.floor(disk.daysLeft)).toBe(3);
      // Under a week before old footage goes: worth a look, not a failure.
      expect(check('disk').status).toBe('warn');
      expect(check('disk').summary).toMatch(/^disk filling up: [\d.]+ GB free, about 3 days left at [\d.]+ GB\/day \(all footage so far\) before retention's free-space limit \([\d.]+ GB\)$/);
    }, 90_000);

    it('still fails when the station on the port records into another data folder', () => {
      const r = doctor(['--data', join(tempDataDir(), 'other'), '--port', String(port)]);
      expect(r.status).toBe(1);
      expect(line(r.lines, 'port')).toMatch(new RegExp(`^FAIL port +port ${port} is used by another PackWitness station \\(not one recording into .*other\\): stop it, or choose another with --port N$`));
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
