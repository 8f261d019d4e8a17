/**
 * The health report of a real station (built CLI, real ffmpeg, SQLite, HTTP) agrees with the
 * database and the disk it describes.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Clip, HealthReport, routes, ScanResponse, StatusResponse } from '../../shared/api.js';
import { measureFootageBytes } from '../../electron/station/health/footage-meter.js';
import { startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

const status = async (s: StationProcess) => StatusResponse.parse(await (await s.api(routes.status)).json());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the health report', () => {
  let station: StationProcess | null = null;
  afterEach(async () => {
    await station?.stop();
    station = null;
  });

  it('counts, bytes, restarts and errors agree with the database and the disk', async () => {
    station = await startStation();
    const s = station;
    await waitFor(async () => ((await status(s)).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');

    // A clip, protected.
    const scan = async (code: string) =>
      ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    const started = await scan('SF1234567890');
    expect(started.action).toBe('started');
    await sleep(2_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    await waitFor(async () => Clip.parse(await (await s.api(routes.clip(started.id!))).json()).video ?? undefined, 30_000, 'the clip video');
    const patched = await s.api(routes.clip(started.id!), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protected: true }) });
    expect(patched.status).toBe(200);

    // ffmpeg killed once: one restart, one gap, one warning.
    const pid = (await status(s)).camera.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => {
      const st = await status(s);
      return st.recording && st.camera.pid && st.camera.pid !== pid ? st : undefined;
    }, 15_000, 'recording again');

    // Retention's free-space setting (written by its settings screen) is what the floor is made of.
    const dbPath = join(s.dataDir, 'packwitness.db');
    const rw = new Database(dbPath);
    rw.prepare("INSERT INTO settings (key, value, updated_ms) VALUES ('retention', ?, ?)").run(
      JSON.stringify({ keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 1, minFreePercent: 50 }),
      Date.now(),
    );
    rw.close();

    const db = new Database(dbPath, { readonly: true });
    try {
      const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      const segmentsBefore = n('SELECT count(*) AS n FROM segments');
      const segmentBytesBefore = n('SELECT coalesce(sum(bytes), 0) AS n FROM segments');
      const footageBefore = await measureFootageBytes(s.dataDir);
      const res = await s.api(routes.healthReport);
      expect(res.status).toBe(200);
      const r = HealthReport.parse(await res.json());
      const footageAfter = await measureFootageBytes(s.dataDir);
      const segmentsAfter = n('SELECT count(*) AS n FROM segments');
      const segmentBytesAfter = n('SELECT coalesce(sum(bytes), 0) AS n FROM segments');
      const fs = statfsSync(s.dataDir);

      // Footage only grows while recording (nothing is deleted here), so the walk the station did
      // during the request lies between the test's own walks before and after it.
      expect(r.disk.footageBytes).toBeGreaterThanOrEqual(footageBefore);
      expect(r.disk.footageBytes).toBeLessThanOrEqual(footageAfter);
      // ...and it holds every indexed segment plus the clip's MP4.
      const clipBytes = n('SELECT coalesce(sum(bytes), 0) AS n FROM clips');
      expect(clipBytes).toBeGreaterThan(0);
      expect(r.disk.footageBytes).toBeGreaterThanOrEqual(segmentBytesBefore + clipBytes);

      expect(r.disk.totalBytes).toBe(Number(fs.blocks) * Number(fs.bsize));
      // Free space moves as this and other tests write: within 1 GB.
      expect(Math.abs(r.disk.freeBytes - Number(fs.bavail) * Number(fs.bsize))).toBeLessThan(1e9);
      expect(r.disk.floorBytes).toBe(Math.max(1e9, 0.5 * r.disk.totalBytes));

      expect(r.counts.segments).toBeGreaterThanOrEqual(segmentsBefore);
      expect(r.counts.segments).toBeLessThanOrEqual(segmentsAfter);
      expect(r.counts.clips).toBe(n('SELECT count(*) AS n FROM clips'));
      expect(r.counts.clips).toBe(1);
      expect(r.counts.protectedClips).toBe(1);
      expect(r.counts.gaps).toBe(n('SELECT count(*) AS n FROM gaps'));
      expect(r.counts.gaps).toBe(1);

      // Less than a day of footage: the rate is over all of it, and under an hour there is no forecast.
      expect(r.rate.basis).toBe('since-first-segment');
      expect(r.rate.bytesInWindow).toBeGreaterThanOrEqual(segmentBytesBefore);
      expect(r.rate.bytesInWindow).toBeLessThanOrEqual(segmentBytesAfter);
      const firstStart = n('SELECT min(start_ms) AS n FROM segments');
      expect(Math.abs(r.rate.windowMs - (Date.parse(r.at) - firstStart))).toBeLessThan(1);
      expect(r.rate.bytesPerDay).toBeNull();
      // Whether this machine's disk is under the 50 % floor decides, not the rate: a disk at its floor is at it now.
      expect(r.forecast).toEqual({ state: r.disk.freeBytes <= r.disk.floorBytes ? 'at-floor' : 'not-enough-data', daysLeft: null });

      expect(r.oldestClip).toEqual({ id: started.id, startedAt: expect.any(String), code: 'SF1234567890' });
      expect(Date.parse(r.oldestClip!.startedAt)).toBe(n(`SELECT start_ms AS n FROM clips WHERE id = ${started.id}`));

      expect(r.ffmpegRestartsToday).toBe(1);
      expect(r.lastErrors.some((e) => e.level === 'warn' && e.message.startsWith('The recording stopped and restarts in') && /SIGKILL/.test(e.message))).toBe(true);
      expect(r.ffmpegVersion).toMatch(/^ffmpeg version /);
      expect(r.uptimeMs).toBeGreaterThan(0);
      expect(Date.parse(r.at) - Date.parse(r.startedAt)).toBe(r.uptimeMs);
      // The station's own memory, as the kernel sees the process.
      const vmRss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'))![1]) * 1024;
      expect(Math.abs(r.memory.rssBytes - vmRss) / vmRss).toBeLessThan(0.2);
      expect(r.memory.heapUsedBytes).toBeGreaterThan(0);
      expect(r.memory.heapUsedBytes).toBeLessThanOrEqual(r.memory.heapTotalBytes);
      expect(r.memory.heapTotalBytes).toBeLessThan(r.memory.rssBytes);
    } finally {
      db.close();
    }

    // Not public: the report needs the token (or a viewer session).
    expect((await fetch(s.origin + routes.healthReport)).status).toBe(401);
    expect((await fetch(s.origin + routes.health)).status).toBe(200);
  }, 120_000);
});
