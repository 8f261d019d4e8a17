/** The station's child processes, read from /proc (Linux): which ffmpegs it runs right now. */
import { readdirSync, readFileSync } from 'node:fs';

/** The ffmpeg processes the station started, each with whether it is a preview ffmpeg (its command decodes keyframes only). */
export function ffmpegChildren(parent: number): Array<{ pid: number; preview: boolean }> {
  const out: Array<{ pid: number; preview: boolean }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parent || !stat.includes('(ffmpeg)')) continue;
      if (fields[0] === 'Z') continue; // exited, not reaped yet
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      out.push({ pid: Number(name), preview: argv.includes('-skip_frame') });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * Whether a process still runs: it exists (kill 0 answers, EPERM means someone else's) and is not a
 * zombie waiting to be reaped (kill 0 succeeds on those too).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
