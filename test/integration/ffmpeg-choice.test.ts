/**
 * The station's choice of ffmpeg, on the real built CLI with the real binaries of this machine: the
 * bundled static 4.1 and, when installed, Debian's on the PATH. The test run pins the bundled one
 * (global-setup.ts); each case here sets its own choice for the processes it starts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { StatusResponse, routes } from '../../shared/api.js';
import { compareLavf, parseVersionOutput } from '../../electron/station/ffmpeg/locate.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

const bundledPath = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
const lavfOf = (bin: string) => parseVersionOutput(execFileSync(bin, ['-hide_banner', '-version'], { encoding: 'utf8' })).lavf;
function systemLavf(): ReturnType<typeof lavfOf> | null {
  try {
    return lavfOf('ffmpeg');
  } catch {
    return null;
  }
}
const onPath = systemLavf();

/** Starts a station with this choice, waits until it records, and returns its "using ffmpeg" log line. */
async function usedFfmpeg(env: string | undefined, args: string[] = []): Promise<string> {
  const st = await startStation({ env: { PACKWITNESS_FFMPEG: env ?? '' }, args });
  try {
    await waitFor(async () => StatusResponse.parse(await (await st.api(routes.status)).json()).recording, 20_000, 'recording');
    return /using ffmpeg .*/.exec(st.stderr())?.[0] ?? `(no "using ffmpeg" line in)\n${st.stderr()}`;
  } finally {
    await st.stop();
  }
}

describe('the ffmpeg a station records with', () => {
  it('is, by default, the newer of the bundled one and the PATH one (the PATH one on a tie), logged at start', async () => {
    const line = await usedFfmpeg(undefined);
    if (onPath === null) {
      expect(line).toMatch(/\(bundled\): the bundled ffmpeg .*; none on the PATH/);
      return;
    }
    if (compareLavf(onPath, lavfOf(bundledPath)) >= 0) expect(line).toMatch(/^using ffmpeg \S+ \(system\): ffmpeg on the PATH .* is not older than the bundled /);
    else expect(line).toMatch(/\(bundled\): the bundled ffmpeg .* is newer than the one on the PATH/);
  });

  it('follows PACKWITNESS_FFMPEG, and --ffmpeg over it', async () => {
    expect(await usedFfmpeg('bundled')).toMatch(/^using ffmpeg N-\S+ \(bundled\): the bundled ffmpeg, set by PACKWITNESS_FFMPEG=bundled/);
    expect(await usedFfmpeg(bundledPath)).toMatch(/\(configured\): set by PACKWITNESS_FFMPEG/);
    expect(await usedFfmpeg('system', ['--ffmpeg', 'bundled'])).toMatch(/\(bundled\): the bundled ffmpeg, set by --ffmpeg=bundled/);
  });

  it.runIf(onPath !== null)('is the PATH one when told so, and doctor warns it is older than 6.0 (Debian 12 has 5.1)', async () => {
    expect(await usedFfmpeg('system')).toMatch(/\(system\): ffmpeg on the PATH, set by PACKWITNESS_FFMPEG=system/);
    const r = spawnSync(process.execPath, [cliPath, 'doctor', '--data', tempDataDir(), '--port', '0', '--ffmpeg', 'system'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    const line = r.stdout.split('\n').find((l) => l.slice(5).startsWith('ffmpeg')) ?? r.stdout;
    if (onPath![0] < 60) expect(line).toMatch(/^WARN ffmpeg +ffmpeg \S+ \(release \d\) found, on the PATH: ffmpeg; it is older than 6\.0: old decoders have known vulnerabilities/);
    else expect(line).toMatch(/^OK {3}ffmpeg +ffmpeg \S+ \(release \d+\) found, on the PATH: ffmpeg$/);
    expect(r.status, r.stderr).toBe(0);
  });
});
