/**
 * CPU accounting from /proc (Linux only), for a process and everything it started.
 *
 * For every live process of a tree we read utime+stime (its own CPU, all threads) and cutime+cstime
 * (the CPU of its children that exited and were reaped). The sum over the live tree is then every
 * CPU tick the tree ever used, and it only grows: a child that exits between two samples moves from
 * "live" into its parent's cutime/cstime without being lost or counted twice. The difference of two
 * samples is the CPU the whole tree used in between.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
  /** Clock ticks. */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** Ticks after boot; with the pid it tells a reused pid from the original. */
  starttime: number;
}

export interface TreeSample {
  /** process.hrtime.bigint() when the sample was taken. */
  atNs: bigint;
  procs: ProcStat[];
}

let ticks: number | null = null;

/** Clock ticks per second of /proc's times (100 on every common Linux, but ask). */
export function clockTicksPerSecond(): number {
  if (ticks !== null) return ticks;
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticks = Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    ticks = 100;
  }
  return ticks;
}

export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so cut at the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return null;
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
  const num = (field: number): number => Number(f[field - 3] ?? NaN);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: num(4),
    utime: num(14),
    stime: num(15),
    cutime: num(16),
    cstime: num(17),
    starttime: num(22),
  };
}

/** Direct children: /proc/<pid>/task/<tid>/children where the kernel has it, else a scan of /proc. */
function childrenOf(pid: number, all: () => ProcStat[]): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const kids: number[] = [];
    for (const tid of tasks) kids.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    return kids;
  } catch {
    return all().filter((p) => p.ppid === pid).map((p) => p.pid);
  }
}

function allProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** The root and all its live descendants, with their times. */
export function sampleTree(rootPid: number): TreeSample {
  let cache: ProcStat[] | null = null;
  const all = (): ProcStat[] => (cache ??= allProcs());
  const procs: ProcStat[] = [];
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const s = readStat(pid);
    if (!s) continue;
    procs.push(s);
    queue.push(...childrenOf(pid, all));
  }
  return { atNs: process.hrtime.bigint(), procs };
}

/** Every tick the tree ever used: its live processes' own time plus what their reaped children used. */
export function treeTicks(s: TreeSample): number {
  return s.procs.reduce((sum, p) => sum + p.utime + p.stime + p.cutime + p.cstime, 0);
}

export interface WindowCpu {
  wallSeconds: number;
  cpuSeconds: number;
  /** Per live process (present at the end): CPU of its own threads during the window. */
  processes: Array<{ pid: number; comm: string; exe: string | null; cpuSeconds: number }>;
  /** CPU of short-lived children that ran and were reaped during the window (e.g. a probe). */
  reapedChildrenCpuSeconds: number;
}

/** What the tree used between two samples, with a per-process breakdown. */
export function cpuBetween(a: TreeSample, b: TreeSample): WindowCpu {
  const hz = clockTicksPerSecond();
  const key = (p: ProcStat): string => `${p.pid}@${p.starttime}`;
  const before = new Map(a.procs.map((p) => [key(p), p]));
  const processes = b.procs.map((p) => {
    const q = before.get(key(p));
    const ticksUsed = p.utime + p.stime - (q ? q.utime + q.stime : 0);
    return { pid: p.pid, comm: p.comm, exe: exeOf(p.pid), cpuSeconds: ticksUsed / hz };
  });
  const cpuSeconds = (treeTicks(b) - treeTicks(a)) / hz;
  const ownSeconds = processes.reduce((s, p) => s + p.cpuSeconds, 0);
  return {
    wallSeconds: Number(b.atNs - a.atNs) / 1e9,
    cpuSeconds,
    processes,
    reapedChildrenCpuSeconds: round(cpuSeconds - ownSeconds, 3),
  };
}

export function exeOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

export function cmdlineOf(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').slice(0, -1);
  } catch {
    return null;
  }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Machine-wide busy and steal ticks (all CPUs) from /proc/stat, to see what else ran meanwhile. */
export interface SystemTicks {
  busy: number;
  steal: number;
}

export function systemTicks(): SystemTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user)
  const f = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number): number => f[i] ?? 0;
  return { busy: at(0) + at(1) + at(2) + at(5) + at(6) + at(7), steal: at(7) };
}
