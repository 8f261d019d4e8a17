/**
 * One temporary folder for the whole test run: every station data folder goes under it, and it is
 * removed at the end (stations make read-only segment files, so it is made writable first). Also
 * the run's ffmpeg (below).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) makeWritable(p);
  }
}

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'pw-tests-'));
  process.env.PW_TEST_ROOT = root;
  // Every test runs the bundled ffmpeg (the one they were written against) unless the run says
  // otherwise (`npm run test:system-ffmpeg` sets system) or a test opts in for its own processes;
  // the station's own default would pick a newer ffmpeg on the PATH.
  process.env.PACKWITNESS_FFMPEG ??= 'bundled';
  return () => {
    if (process.env.PW_KEEP_TEST_DATA) return;
    try {
      makeWritable(root);
    } catch {
      /* best effort */
    }
    rmSync(root, { recursive: true, force: true });
  };
}
