/**
 * The disk guard on a real data folder: it measures the folder's own volume, makes the reserve file
 * only when the disk has room for it above the resume level, and frees it the moment a write hits a
 * full disk. (Pausing and resuming real recordings on a full disk: test/integration/disk-full.test.ts.)
 */
import { existsSync, mkdtempSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISK_RESERVE_BYTES, diskFloorBytes, diskResumeBytes } from '../../electron/station/limits.js';
import { DISK_RESERVE_FILE, DiskGuard } from '../../electron/station/storage/disk-guard.js';

function guard() {
  const dataDir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-disk-guard-'));
  let retentionRuns = 0;
  const g = new DiskGuard({ dataDir, recordings: () => [], retention: () => null, runRetention: () => retentionRuns++ });
  return { dataDir, g, retentionRuns: () => retentionRuns };
}

describe('the disk guard', () => {
  it('measures the data folder’s volume', async () => {
    const { dataDir, g } = guard();
    const s = statfsSync(dataDir);
    const space = await g.measure();
    expect(space.totalBytes).toBe(s.blocks * s.bsize);
    expect(g.totalBytes).toBe(space.totalBytes);
    expect(g.freeBytes).toBe(space.freeBytes);
    // Free space moves with every other writer on the machine: within 64 MiB of statfs's.
    expect(Math.abs(space.freeBytes - s.bavail * s.bsize)).toBeLessThan(64 * 1024 ** 2);
  });

  it('makes the reserve only with room above the resume level, and frees it when a write hits a full disk', async () => {
    const { dataDir, g, retentionRuns } = guard();
    await g.start();
    g.stop();
    g.prepareReserve();
    const file = join(dataDir, DISK_RESERVE_FILE);
    const room = g.freeBytes - DISK_RESERVE_BYTES >= diskResumeBytes(g.totalBytes);
    expect(existsSync(file)).toBe(room);
    if (room) expect(statSync(file).size).toBe(DISK_RESERVE_BYTES);
    // Above the floor, a check before an index write keeps the reserve.
    if (g.freeBytes >= diskFloorBytes(g.totalBytes)) {
      await g.roomToWrite(false);
      expect(existsSync(file)).toBe(room);
    }
    // ENOSPC: the reserve goes at once, before the write is tried again.
    await g.roomToWrite(true);
    expect(existsSync(file)).toBe(false);
    // No camera records (between two runs of a camera change): nothing to pause, retention not asked.
    await g.pauseForDiskFull();
    expect(retentionRuns()).toBe(0);
  });
});
