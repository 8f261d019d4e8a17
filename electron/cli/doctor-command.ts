/**
 * `packwitness doctor`: one line per check (OK / WARN / FAIL), or JSON with --json. Exit 0 when
 * nothing FAILs; 1 with the list of problems on stderr otherwise.
 */
import type { Command } from 'commander';
import { defaultDataDir } from '../station/data-dir.js';
import { formatDoctorReport, runDoctor } from '../station/doctor/checks.js';
import { DEFAULT_PORT } from '../station/limits.js';
import { FFMPEG_OPTION_HELP } from './ffmpeg-option.js';

export function registerDoctorCommand(program: Command, port: (v: string) => number): void {
  program
    .command('doctor')
    .description('check this PC for recording: ffmpeg and its H.264 encoders (hardware too), cameras, data folder, disk, port, database; exit 1 with the problems')
    .option('--data <dir>', 'the station data folder', defaultDataDir())
    .option('--port <n>', 'the HTTP port the station will use', port, DEFAULT_PORT)
    .option('--ffmpeg <which>', FFMPEG_OPTION_HELP)
    .option('--json', 'print the report as JSON')
    .action(async (o: { data: string; port: number; ffmpeg?: string; json?: boolean }) => {
      const report = await runDoctor({ dataDir: o.data, port: o.port, ffmpegPath: o.ffmpeg });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
      if (!report.ok && !o.json) {
        process.stderr.write(`packwitness: ${report.problems.length} problem${report.problems.length > 1 ? 's' : ''}:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
