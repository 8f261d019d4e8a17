import { describe, expect, it } from 'vitest';
import { chooseAuto, compareLavf, parseFfmpegChoice, parseVersionOutput, versionText, type FfmpegInfo } from '../../electron/station/ffmpeg/locate.js';
import { ffmpegCheck } from '../../electron/station/doctor/checks.js';

/** The first lines of `ffmpeg -hide_banner -version` of real builds. */
const BUNDLED_41 = `ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers
built with gcc 6.3.0 (Debian 6.3.0-18+deb9u1) 20170516
libavutil      56. 24.101 / 56. 24.101
libavcodec     58. 42.100 / 58. 42.100
libavformat    58. 24.100 / 58. 24.100
`;
const DEBIAN_51 = `ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers
libavutil      57. 28.100 / 57. 28.100
libavformat    59. 27.100 / 59. 27.100
`;
const FFMPEG_71 = `ffmpeg version 7.1.1 Copyright (c) 2000-2025 the FFmpeg developers
libavformat    61.  7.100 / 61.  7.100
`;

const probed = (stdout: string, source: FfmpegInfo['source'], path: string) => ({ path, source, ...parseVersionOutput(stdout) });

describe('which ffmpeg the station uses', () => {
  it('reads the release from libavformat, not from the version text (a git build prints a commit)', () => {
    expect(parseVersionOutput(BUNDLED_41)).toMatchObject({ major: 4, lavf: [58, 24, 100] });
    expect(parseVersionOutput(DEBIAN_51)).toMatchObject({ major: 5, lavf: [59, 27, 100] });
    expect(parseVersionOutput(FFMPEG_71)).toMatchObject({ major: 7, lavf: [61, 7, 100] });
    expect(parseVersionOutput('not ffmpeg at all')).toMatchObject({ major: 0, lavf: null });
    expect(versionText(parseVersionOutput(DEBIAN_51))).toBe('5.1.9-0+deb12u1');
    expect(versionText(parseVersionOutput(BUNDLED_41))).toBe('N-47683-g0e8eb07980-static');
  });

  it('orders versions by libavformat, an unknown one oldest', () => {
    expect(compareLavf([59, 27, 100], [58, 24, 100])).toBe(1);
    expect(compareLavf([58, 24, 100], [58, 24, 101])).toBe(-1);
    expect(compareLavf([61, 7, 100], [61, 7, 100])).toBe(0);
    expect(compareLavf(null, [58, 24, 100])).toBe(-1);
    expect(compareLavf([58, 24, 100], null)).toBe(1);
  });

  it('takes the choice from --ffmpeg or PACKWITNESS_FFMPEG: auto, bundled, system or a path', () => {
    expect(parseFfmpegChoice(undefined)).toEqual({ kind: 'auto' });
    expect(parseFfmpegChoice('')).toEqual({ kind: 'auto' });
    expect(parseFfmpegChoice('auto')).toEqual({ kind: 'auto' });
    expect(parseFfmpegChoice('bundled')).toEqual({ kind: 'bundled' });
    expect(parseFfmpegChoice(' system ')).toEqual({ kind: 'system' });
    expect(parseFfmpegChoice('/opt/ffmpeg-7/bin/ffmpeg')).toEqual({ kind: 'path', path: '/opt/ffmpeg-7/bin/ffmpeg' });
  });

  it('prefers the PATH ffmpeg when it is at least as new as the bundled one, and says why', () => {
    const bundled = probed(BUNDLED_41, 'bundled', '/app/ffmpeg');
    const debian = probed(DEBIAN_51, 'system', 'ffmpeg');
    expect(chooseAuto(bundled, debian)).toMatchObject({ source: 'system', path: 'ffmpeg', reason: 'ffmpeg on the PATH 5.1.9-0+deb12u1 (libavformat 59.27.100) is not older than the bundled N-47683-g0e8eb07980-static (libavformat 58.24.100)' });
    expect(chooseAuto(bundled, probed(BUNDLED_41, 'system', 'ffmpeg'))).toMatchObject({ source: 'system' });
    // A PATH ffmpeg older than the bundled one (a bundled 7.1 in a future installer) loses.
    const bundled71 = probed(FFMPEG_71, 'bundled', '/app/ffmpeg');
    expect(chooseAuto(bundled71, debian)).toMatchObject({ source: 'bundled', path: '/app/ffmpeg', reason: expect.stringMatching(/^the bundled ffmpeg 7\.1\.1 .* is newer than the one on the PATH 5\.1\.9/) });
    expect(chooseAuto(null, debian)).toMatchObject({ source: 'system', reason: expect.stringMatching(/no bundled ffmpeg$/) });
    expect(chooseAuto(bundled, null)).toMatchObject({ source: 'bundled', reason: expect.stringMatching(/none on the PATH$/) });
    expect(chooseAuto(null, null)).toBeNull();
  });

  it('makes doctor warn about an ffmpeg older than 6.0 or of an unknown release, and pass a current one', () => {
    const info = (stdout: string, source: FfmpegInfo['source']): FfmpegInfo => ({ ...probed(stdout, source, source === 'system' ? 'ffmpeg' : '/app/ffmpeg'), reason: 'x' });
    const old = ffmpegCheck(info(BUNDLED_41, 'bundled'));
    expect(old.status).toBe('warn');
    expect(old.summary).toMatch(/^ffmpeg N-47683-g0e8eb07980-static \(release 4\) found, bundled: \/app\/ffmpeg; it is older than 6\.0: old decoders have known vulnerabilities/);
    expect(ffmpegCheck(info(DEBIAN_51, 'system'))).toMatchObject({ status: 'warn', summary: expect.stringMatching(/^ffmpeg 5\.1\.9-0\+deb12u1 \(release 5\) found, on the PATH: ffmpeg; it is older than 6\.0/) });
    expect(ffmpegCheck(info('ffmpeg version x\n', 'configured'))).toMatchObject({ status: 'warn', summary: expect.stringMatching(/of an unknown release/) });
    expect(ffmpegCheck(info(FFMPEG_71, 'system'))).toMatchObject({ status: 'ok', summary: 'ffmpeg 7.1.1 (release 7) found, on the PATH: ffmpeg' });
  });
});
