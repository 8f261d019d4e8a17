/**
 * The station's 5-second disk check failing (its data disk gone: a USB disk pulled, a share dropped).
 * It used to swallow its own failures; now each distinct one is a problem on the health page, once,
 * not every 5 s, and its recovery is logged. The folder is moved away and its path made a symlink
 * loop, so statfs fails for real (a plain rename is undone by the recorder, which re-creates its
 * run folder with the whole path).
 */
import { renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/api.js';
import { startStation, waitFor } from '../helpers/station-process.js';

describe('the 5-second disk check', () => {
  it('reports its failure on the health page once, and its recovery', async () => {
    const s = await startStation();
    const gone = `${s.dataDir}-gone`;
    try {
      const failures = () => s.stderr().split('\n').filter((l) => l.includes('ERROR the 5-second disk check failed'));
      renameSync(s.dataDir, gone);
      symlinkSync(s.dataDir, s.dataDir);
      await waitFor(() => failures().length > 0, 15_000, 'the disk check failure logged');
      // Three more checks fail the same way: still one entry.
      await sleep(15_000);
      expect(failures()).toHaveLength(1);
      expect(failures()[0]).toMatch(/ELOOP/);
      const report = (await (await s.api(routes.healthReport)).json()) as { lastErrors: Array<{ level: string; message: string }> };
      expect(report.lastErrors.filter((e) => /^the 5-second disk check failed: /i.test(e.message))).toHaveLength(1);
      unlinkSync(s.dataDir);
      renameSync(gone, s.dataDir);
      await waitFor(() => s.stderr().includes('the 5-second disk check failed before; it works again'), 15_000, 'the recovery logged');
    } finally {
      try {
        unlinkSync(s.dataDir);
      } catch {
        /* not a link */
      }
      try {
        renameSync(gone, s.dataDir);
      } catch {
        /* already back */
      }
      await s.stop();
    }
  }, 90_000);
});
