/**
 * Starting a real station as a separate process (the built CLI), the way an operator would, and
 * waiting for its READY line. Tests kill it with signals to exercise crash paths for real.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'bin', 'packwitness.js');

/** Small and slow enough for 2 cores, still a real H.264 recording with the overlay. */
export const TEST_CAMERA = 'demo:640x360@15';

/** A CLI process (`packwitness station` or `hub`) that printed READY, with its token at hand. */
export interface CliProcess {
  proc: ChildProcessWithoutNullStreams;
  /** The READY URL (with ?token=). */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  stderr: () => string;
  /** GET/POST with the token. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export type StationProcess = CliProcess;

/**
 * Spawns `node bin/packwitness.js <args>` and resolves once it prints `READY <url>`, or rejects with its
 * stderr when it exits first or says nothing in time.
 */
export async function spawnReady(what: string, args: string[], o: { dataDir: string; token: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliProcess> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const proc = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, PACKWITNESS_LOG: process.env.PACKWITNESS_LOG ?? 'info', ...o.env } });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not print READY within ${timeoutMs} ms\n${err}`)), timeoutMs);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    // 'close', not 'exit': by then stderr has been read to the end, so the error carries the whole message.
    proc.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before READY\n${err}`));
    });
  });
  const origin = new URL(url).origin;
  return {
    proc,
    url,
    origin,
    token: o.token,
    dataDir: o.dataDir,
    stderr: () => err,
    api: (path, init = {}) => fetch(origin + path, { ...init, headers: { authorization: `Bearer ${o.token}`, ...(init.headers ?? {}) } }),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return (await exited).code;
    },
    exited,
  };
}

/** A fresh folder under the test run's temporary root (removed when the run ends; see global-setup.ts). */
export function tempDataDir(prefix = 'pw-test-'): string {
  return mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), prefix));
}

export async function startStation(
  /** camera: null starts without --camera (the saved camera setting applies). */
  opts: { dataDir?: string; camera?: string | null; token?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<StationProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  // Long and random: a station listening beyond loopback refuses a weak token (security-config.ts).
  const token = opts.token ?? `test-token-${randomBytes(16).toString('hex')}`;
  const camera = opts.camera === null ? [] : ['--camera', opts.camera ?? TEST_CAMERA];
  return spawnReady('station', ['station', '--data', dataDir, ...camera, '--port', '0', '--token', token, ...(opts.args ?? [])], { dataDir, token, env: opts.env, timeoutMs: opts.timeoutMs });
}

/** Poll until `check` returns a value (not undefined/false) or time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
