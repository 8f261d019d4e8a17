/**
 * The station's storage clean-up schedule on a real SQLite index and real files: retention runs on
 * its timer and when asked, finished exports expire beside it (told to the export queue), a bundle
 * the queue is still writing stays, and once stopped nothing new starts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/station/catalog/database.js';
import { fingerprintOf, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { Retention } from '../../electron/station/storage/retention.js';
import { RetentionSchedule, type ExportQueue } from '../../electron/station/storage/retention-schedule.js';
import { loadRetentionSettings } from '../../electron/station/storage/retention-settings.js';
import { waitFor } from '../helpers/station-process.js';

function newKeys(): StationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
}

/** A finished export of 2020 (long past the 14 days kept): its bundle folder and zip. */
function oldExport(dataDir: string, clipId: number): string {
  const base = `clip-${clipId}-20200101T000000Z`;
  const dir = join(dataDir, 'exports', '20200101', base);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{}');
  writeFileSync(`${dir}.zip`, 'zip');
  return `exports/20200101/${base}`;
}

const open: Array<{ db: Db; schedule: RetentionSchedule }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.schedule.stop();
    o.db.close();
  }
});

function schedule(o: { intervalMs?: number; busy?: Set<string> } = {}) {
  const dataDir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-retention-schedule-'));
  const db = openDatabase(join(dataDir, 'packwitness.db'));
  const settings = () => loadRetentionSettings(new SettingsStore(db));
  const forgotten: string[] = [];
  const queue: ExportQueue = { busyBundles: () => o.busy ?? new Set(), forgetBundles: (b) => forgotten.push(...b) };
  const retention = new Retention({
    db,
    dataDir,
    settings,
    preRollMs: () => 0,
    freeSpace: async () => {
      const s = await statfs(dataDir);
      return { freeBytes: Number(s.bavail) * Number(s.bsize), totalBytes: Number(s.blocks) * Number(s.bsize) };
    },
  });
  const s = new RetentionSchedule({ db, dataDir, keys: newKeys(), retention, settings, inUse: () => new Set(), exports: () => queue, stopping: () => false, intervalMs: o.intervalMs });
  open.push({ db, schedule: s });
  return { dataDir, retention, schedule: s, forgotten };
}

describe('the retention schedule', () => {
  it('run(): retention runs and an expired export goes, told to the export queue; a bundle still being written stays', async () => {
    const { dataDir, retention, schedule: s, forgotten } = schedule({ busy: new Set(['exports/20200101/clip-2-20200101T000000Z']) });
    const gone = oldExport(dataDir, 1);
    const busy = oldExport(dataDir, 2);
    s.run();
    await waitFor(() => retention.lastRunMs !== null && forgotten.length > 0, 10_000, 'retention and export expiry');
    expect(forgotten).toEqual([gone]);
    expect(existsSync(join(dataDir, gone))).toBe(false);
    expect(existsSync(join(dataDir, `${gone}.zip`))).toBe(false);
    expect(existsSync(join(dataDir, busy))).toBe(true);
  });

  it('start(): the timer runs both without being asked', async () => {
    const { dataDir, retention, schedule: s, forgotten } = schedule({ intervalMs: 50 });
    const gone = oldExport(dataDir, 3);
    s.start();
    await waitFor(() => retention.lastRunMs !== null && forgotten.length > 0, 10_000, 'a timed run');
    expect(existsSync(join(dataDir, gone))).toBe(false);
  });

  it('stop(): no retention is offered any more and nothing new starts', async () => {
    const { dataDir, retention, schedule: s, forgotten } = schedule();
    expect(s.retention).toBe(retention);
    await s.stop();
    expect(s.retention).toBeNull();
    const kept = oldExport(dataDir, 4);
    s.run();
    // A run that started would be awaited by stop(): after it, the export is still there.
    await s.stop();
    expect(retention.lastRunMs).toBeNull();
    expect(forgotten).toEqual([]);
    expect(existsSync(join(dataDir, kept))).toBe(true);
  });
});
