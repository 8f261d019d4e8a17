/**
 * Starting a real hub (the built CLI, `packwitness hub`) with its embedded PostgreSQL, as an office
 * PC would, and waiting for READY.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot } from './station-process.js';

export interface HubProcess {
  proc: ChildProcessWithoutNullStreams;
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  stderr: () => string;
  /** With the admin token. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * A hub data folder under the run's temporary root. Run as root, the embedded PostgreSQL runs as the
 * `postgres` user, who must be able to pass through the folders above (mkdtemp makes them 0700): the
 * root gets o+x (enter, not list).
 */
export function tempHubDir(): string {
  const root = process.env.PW_TEST_ROOT ?? tmpdir();
  if (process.getuid?.() === 0) chmodSync(root, 0o711);
  const dir = mkdtempSync(join(root, 'pw-hub-'));
  chmodSync(dir, 0o711);
  return join(dir, 'hub');
}

/** Spawns the hub; resolves with its READY URL, or rejects with its stderr when it exits first. */
export async function startHub(opts: { dataDir?: string; token?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<HubProcess> {
  const dataDir = opts.dataDir ?? tempHubDir();
  const token = opts.token ?? `hub-admin-${randomBytes(16).toString('hex')}`;
  const proc = spawn(process.execPath, [cliPath, 'hub', '--data', dataDir, '--port', '0', '--token', token, ...(opts.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, PACKWITNESS_LOG: process.env.PACKWITNESS_LOG ?? 'info', ...opts.env },
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not print READY within ${opts.timeoutMs ?? 30_000} ms\n${err}`)), opts.timeoutMs ?? 30_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}) before READY\n${err}`));
    });
  });
  const origin = new URL(url).origin;
  return {
    proc,
    url,
    origin,
    token,
    dataDir,
    stderr: () => err,
    api: (path, init = {}) => fetch(origin + path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } }),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return (await exited).code;
    },
    exited,
  };
}

/** The embedded PostgreSQL's pid, from its pid file. */
export function embeddedPostgresPid(hubDataDir: string): number {
  return Number(readFileSync(join(hubDataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
