import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createShutdown, SHUTDOWN_CAP_MS, type StopOutcome } from '../../electron/desktop/shutdown.js';
import { Station } from '../../electron/station/station.js';
import { TEST_CAMERA, tempDataDir, waitFor } from '../helpers/station-process.js';

function segmentFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else if (e.name.endsWith('.ts')) out.push(`${rel}${e.name}`);
    }
  };
  walk(join(dataDir, 'runs'), 'runs/');
  return out.sort();
}

describe('the desktop shell’s shutdown path (quit, logout, power-off) with a real station', () => {
  it('closes the clip in progress and indexes the last segment, once, within the cap', async () => {
    const dataDir = tempDataDir();
    const station = new Station({ dataDir, camera: TEST_CAMERA, port: 0, token: 't0ken-desktop' });
    await station.start();
    await station.whenRecording();
    const origin = new URL(station.url).origin;
    const scan = await fetch(`${origin}/api/scans`, { method: 'POST', headers: { authorization: 'Bearer t0ken-desktop', 'content-type': 'application/json' }, body: JSON.stringify({ code: 'SF1234567890123' }) });
    expect(scan.status).toBe(200);
    await waitFor(() => station.status().activeClipId !== null || undefined, 10_000, 'the clip to start');

    const outcomes: StopOutcome[] = [];
    const shutdown = createShutdown(() => station.stop(), SHUTDOWN_CAP_MS, (_r, o) => outcomes.push(o));
    // Power-off and the quit it triggers arrive together: one stop.
    const [a, b] = await Promise.all([shutdown('system shutdown'), shutdown('quit')]);
    expect([a, b, outcomes]).toEqual(['stopped', 'stopped', ['stopped']]);

    const db = new Database(join(dataDir, 'packwitness.db'), { readonly: true });
    try {
      const clips = db.prepare('SELECT status FROM clips').all() as Array<{ status: string }>;
      expect(clips).toEqual([{ status: 'closed' }]);
      const indexed = (db.prepare('SELECT file FROM segments ORDER BY file').all() as Array<{ file: string }>).map((r) => r.file);
      // Every segment on disk, the one being written at the stop included, is in the index.
      expect(indexed).toEqual(segmentFiles(dataDir));
      expect(db.prepare('SELECT COUNT(*) AS n FROM runs WHERE ended_ms IS NULL').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
