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
