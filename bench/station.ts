/**
 * A real station for benchmarks: the built CLI on a temporary data folder, the same process the
 * packer runs. (test/helpers has its twin for tests; the bench build does not include test/.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanResponse, routes } from '../shared/api.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Station {
  proc: ChildProcess;
  origin: string;
  url: string;
  token: string;
  dir: string;
}

export interface StartOptions {
  /** Use this data folder (default: a new temporary one). */
  dataDir?: string;
  /** Receives the station's log, line by line (default: discarded). */
  onStderr?: (line: string) => void;
  /** More command-line options (`--hub URL --hub-token T`, …). */
  args?: string[];
}

export async function startStation(camera: string, opts: StartOptions = {}): Promise<Station> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pw-bench-station-'));
  const token = 'bench-token';
  const proc = spawn(process.execPath, [join(root, 'bin', 'packwitness.js'), 'station', '--data', dir, '--camera', camera, '--port', '0', '--token', token, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', opts.onStderr ? 'pipe' : 'ignore'],
  });
  if (opts.onStderr) {
    const onLine = opts.onStderr;
    let rest = '';
    proc.stderr!.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
  }
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('station did not print READY within 30 s')), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`station exited (${code}) before READY`)));
  });
  return { proc, url, origin: new URL(url).origin, token, dir };
}

/** Stop the station (if it still runs) and, unless `keepData`, delete its data folder. */
export async function stopStation(s: Station, opts: { keepData?: boolean } = {}): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) {
    const exited = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    await exited;
  }
  if (!opts.keepData) rmSync(s.dir, { recursive: true, force: true });
}

export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
export const stats = (xs: number[]) => ({ n: xs.length, p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)), max: round(Math.max(...xs)) });
export const round = (n: number): number => Math.round(n * 10) / 10;

export function api(s: Station, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(s.origin + path, { ...init, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

export async function postScan(s: Station, code: string): Promise<ScanResponse> {
  return ScanResponse.parse(await (await api(s, routes.scans, { method: 'POST', body: JSON.stringify({ code }) })).json());
}

