/**
 * Starts one of the station's own scripts in a separate Node process: buyer files are decoded and
 * matched where a crash, a decompression bomb or a runaway loop cannot take the station down (a
 * worker thread shares the process, and sharp's native code with it).
 *
 * Under the desktop app process.execPath is Electron's binary, which runs as plain Node only with
 * ELECTRON_RUN_AS_NODE (under Node the variable is ignored). That is why the packaged app keeps the
 * runAsNode fuse on (electron-builder.yml); this module is the only place that relies on it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** The child's answer comes on stdout, its complaints on stderr (read both: a full pipe stalls it). */
export function spawnNodeScript(script: string, args: readonly string[], nodeOptions: readonly string[] = []): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...nodeOptions, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
}
