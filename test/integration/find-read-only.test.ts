/**
 * `packwitness find` on a data folder it cannot write: a backup disk or share mounted read-only, or a
 * folder the user may only read. SQLite cannot create the -shm file a WAL database needs there; find
 * must still answer. Run as root, the folder is made read-only by a read-only bind mount inside a
 * private mount namespace (unshare -m), since root ignores file permissions; the mount disappears with
 * the process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

const run = promisify(execFile);

function canMountReadOnly(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    const probe = tempDataDir('pw-ro-probe-');
    mkdirSync(join(probe, 'a'));
    mkdirSync(join(probe, 'b'));
    execFileSync('unshare', ['-m', 'sh', '-c', `mount --bind "${probe}/a" "${probe}/b" && mount -o remount,bind,ro "${probe}/b"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('find on a read-only data folder', () => {
  it.skipIf(!canMountReadOnly())('still finds clips (read-only bind mount, as root)', async () => {
    const s = await startStation();
    let clipId: number;
    try {
      await sleep(2_000);
      const started = ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'SF7654321098765' }) })).json());
      clipId = started.id!;
      await sleep(2_500);
      await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'PW-STOP' }) });
      await waitFor(async () => Clip.parse(await (await s.api(routes.clip(clipId))).json()).video !== null, 30_000, 'clip video');
    } finally {
      await s.stop();
    }
    // A clean stop leaves no -wal/-shm: exactly the case SQLite cannot open read-only without creating them.
    expect(readdirSync(s.dataDir).filter((n) => n.startsWith('packwitness.db-'))).toEqual([]);
    const ro = join(tempDataDir('pw-ro-'), 'mnt');
    mkdirSync(ro);
    const script = `mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && touch "$2/probe" 2>/dev/null && echo WRITABLE; exec "$3" "$4" find --data "$2" 54321`;
    const r = await run('unshare', ['-m', 'sh', '-c', script, 'sh', s.dataDir, ro, process.execPath, cliPath], { cwd: repoRoot, env: { ...process.env, PACKWITNESS_LOG: 'warn' } }).then(
      (x) => ({ code: 0, ...x }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.stdout).not.toMatch(/WRITABLE/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${clipId!}\\t.*\\tSF7654321098765$`, 'm'));
  }, 120_000);
});
