/**
 * The database backups belong to the data folder: a move (packwitness move-data) carries them, still
 * complete and read-only, and a recovery on the new folder can use them.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBackup, listBackups } from '../../electron/station/catalog/backups.js';
import { moveDataFolder } from '../../electron/station/storage/move-data.js';
import { startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

describe('database backups and the data-folder move', () => {
  it('moves the backups with the folder, intact and read-only', async () => {
    const s = await startStation({ env: { PACKWITNESS_BACKUP_INTERVAL_S: '2' } });
    try {
      await waitFor(() => listBackups(s.dataDir).length >= 2, 30_000, 'two backups');
    } finally {
      await s.stop();
    }
    const names = listBackups(s.dataDir).map((b) => b.name);
    const to = join(tempDataDir(), 'moved');
    await moveDataFolder(s.dataDir, to);
    const moved = listBackups(to);
    expect(moved.map((b) => b.name)).toEqual(names);
    for (const b of moved) {
      expect(checkBackup(b.file)).toBeNull();
      expect(statSync(b.file).mode & 0o222).toBe(0);
    }
    expect(listBackups(s.dataDir)).toEqual([]);
  }, 90_000);
});
