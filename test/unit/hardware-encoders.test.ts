import { describe, expect, it } from 'vitest';
import { demoRecordingPlan } from '../helpers/recording-plan.js';
import { parseEncoderList } from '../../electron/station/recorder/encoder-tests.js';
import { recordingInvocation, testEncodeArgv, toArgv } from '../../electron/station/recorder/ffmpeg-command.js';
import {
  chooseEncoder,
  encoderPreset,
  HARDWARE_H264_ENCODERS,
  parseHardwareEncoderSetting,
  shouldFallBackToSoftware,
  type EncoderTestResult,
  type HardwareEncoderName,
  type RecordingEncoderName,
} from '../../electron/station/recorder/hardware-encoders.js';

const tested = (ok: Partial<Record<HardwareEncoderName, boolean>>): EncoderTestResult[] =>
  HARDWARE_H264_ENCODERS.map((encoder) => ({
    encoder,
    compiled: encoder in ok,
    ok: ok[encoder] ?? false,
    error: ok[encoder] ? null : 'failed',
    testedAt: '2026-11-23T00:00:00.000Z',
  }));

describe('choosing the recording encoder', () => {
  it.each([
    ['off', tested({ h264_nvenc: true }), 'libx264'],
    ['auto', null, 'libx264'],
    ['auto', tested({}), 'libx264'],
    ['auto', tested({ h264_vaapi: false }), 'libx264'],
    ['auto', tested({ h264_vaapi: true }), 'h264_vaapi'],
    ['auto', tested({ h264_qsv: true, h264_vaapi: true }), 'h264_qsv'],
    ['auto', tested({ h264_nvenc: false, h264_qsv: true }), 'h264_qsv'],
    ['auto', tested({ h264_nvenc: true, h264_qsv: true }), 'h264_nvenc'],
    // A named encoder is tried even when its test failed: the watchdog falls back if it fails for real.
    ['h264_vaapi', tested({ h264_vaapi: false }), 'h264_vaapi'],
    ['h264_amf', null, 'h264_amf'],
  ] as const)('setting %s with tests %j records with the expected encoder', (setting, tests, expected) => {
    expect(chooseEncoder(setting, tests).encoder).toBe(expected);
  });

  it('says why it chose libx264', () => {
    expect(chooseEncoder('auto', tested({})).reason).toBe('this ffmpeg has no hardware H.264 encoder');
    expect(chooseEncoder('auto', tested({ h264_vaapi: false })).reason).toBe('no hardware encoder passed its test encode (tried h264_vaapi)');
  });

  it('accepts only auto, off and the known hardware encoders as the setting', () => {
    expect(parseHardwareEncoderSetting('auto')).toBe('auto');
    expect(parseHardwareEncoderSetting('h264_videotoolbox')).toBe('h264_videotoolbox');
    expect(() => parseHardwareEncoderSetting('libx265')).toThrow(/auto, off or one of/);
    expect(() => parseHardwareEncoderSetting(true)).toThrow();
  });
});

describe('falling back to libx264', () => {
  const vaapiTail = ['[AVHWDeviceContext @ 0x1] No VA display found for device: /dev/dri/renderD128.', 'Device creation failed: -22.', "Failed to set value '/dev/dri/renderD128' for option 'vaapi_device': Invalid argument"];
  it('happens when a hardware encoder fails before the first segment and ffmpeg blames the encoder', () => {
    expect(shouldFallBackToSoftware({ codec: 'h264_vaapi', closedSegments: 0, stderrTail: vaapiTail, error: 'ffmpeg exited with code 1' })).toBe(true);
    expect(shouldFallBackToSoftware({ codec: 'h264_nvenc', closedSegments: 0, stderrTail: ['[h264_nvenc @ 0x2] Cannot load libnvidia-encode.so.1'], error: null })).toBe(true);
    expect(shouldFallBackToSoftware({ codec: 'h264_qsv', closedSegments: 0, stderrTail: ['Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0'], error: null })).toBe(true);
  });
  it('does not happen for libx264, after footage was recorded, or when the camera is what failed', () => {
    expect(shouldFallBackToSoftware({ codec: 'libx264', closedSegments: 0, stderrTail: vaapiTail, error: null })).toBe(false);
    expect(shouldFallBackToSoftware({ codec: 'h264_vaapi', closedSegments: 1, stderrTail: vaapiTail, error: null })).toBe(false);
    expect(shouldFallBackToSoftware({ codec: 'h264_nvenc', closedSegments: 0, stderrTail: ['[video4linux2,v4l2 @ 0x3] Cannot open video device /dev/video0: No such file or directory', '/dev/video0: No such file or directory'], error: 'ffmpeg exited with code 1' })).toBe(false);
  });
});

describe('the recording command per encoder', () => {
  const plan = (encoder: RecordingEncoderName, quality: 'standard' | 'economy' = 'standard') =>
    demoRecordingPlan({ encoder: encoderPreset(encoder, quality, { vaapiDevice: '/dev/dri/renderD129' }) });
  const encoders: RecordingEncoderName[] = ['libx264', ...HARDWARE_H264_ENCODERS];

  it.each(encoders)('%s keeps a keyframe every second and nowhere else, and flushes every packet', (enc) => {
    const s = toArgv(recordingInvocation(plan(enc))).join(' ');
    expect(s).toContain(`-c:v ${enc} `);
    expect(s).toMatch(/-bf 0 -g 30 -keyint_min 30 -sc_threshold 0 -f segment -segment_time 2 -segment_format mpegts/);
    expect(s).toContain('-segment_format_options mpegts_copyts=1:flush_packets=1');
    expect(s).toContain('-use_wallclock_as_timestamps 1 -itsoffset -1795431215.154');
  });

  it('caps the bitrate like the x264 preset of the same quality', () => {
    for (const enc of HARDWARE_H264_ENCODERS) {
      expect(toArgv(recordingInvocation(plan(enc))).join(' ')).toContain('-maxrate 6M -bufsize 12M');
      expect(toArgv(recordingInvocation(plan(enc, 'economy'))).join(' ')).toContain('-maxrate 3M -bufsize 6M');
    }
  });

  it('switches off each encoder’s own latency (the counterpart of -tune zerolatency)', () => {
    const argv = (e: RecordingEncoderName) => toArgv(recordingInvocation(plan(e))).join(' ');
    expect(argv('libx264')).toContain('-tune zerolatency');
    expect(argv('h264_nvenc')).toContain('-zerolatency 1 -no-scenecut 1 -forced-idr 1');
    expect(argv('h264_qsv')).toContain('-look_ahead 0 -async_depth 1');
    expect(argv('h264_amf')).toContain('-usage lowlatency');
    expect(argv('h264_videotoolbox')).toContain('-realtime 1 -allow_sw 0');
  });

  it('gives each encoder the pixel format it takes', () => {
    const pix = (e: RecordingEncoderName) => /-pix_fmt (\S+)/.exec(toArgv(recordingInvocation(plan(e))).join(' '))?.[1] ?? null;
    expect(pix('libx264')).toBe('yuv420p');
    expect(pix('h264_nvenc')).toBe('yuv420p');
    expect(pix('h264_qsv')).toBe('nv12');
    // VAAPI gets GPU surfaces from hwupload; forcing a software format there fails.
    expect(pix('h264_vaapi')).toBeNull();
  });

  it('uploads to the VAAPI device on the recording branch only, opening the device before the input', () => {
    const inv = recordingInvocation(plan('h264_vaapi'));
    expect(inv.filterGraph).toMatch(/drawtext@codes=[^;]*\[raw\];\[raw\]format=nv12,hwupload\[rec\]$/);
    const argv = toArgv(inv);
    expect(argv.indexOf('-vaapi_device')).toBeLessThan(argv.indexOf('-i'));
    expect(argv[argv.indexOf('-vaapi_device') + 1]).toBe('/dev/dri/renderD129');
    const bare = recordingInvocation({ ...plan('h264_vaapi'), feeds: null });
    expect(bare.filterGraph).toMatch(/\[raw\];\[raw\]format=nv12,hwupload\[rec\]$/);
    // The software encoders' graph is unchanged.
    expect(recordingInvocation(plan('libx264')).filterGraph).toMatch(/drawtext@codes=[^;]*\[rec\]$/);
  });

  it('tests an encoder with the exact preset recording uses', () => {
    const argv = testEncodeArgv(encoderPreset('h264_vaapi', 'standard', { vaapiDevice: '/dev/dri/renderD128' })).join(' ');
    expect(argv).toContain('-vaapi_device /dev/dri/renderD128 -f lavfi -i testsrc2=size=640x360:rate=30 -t 1 -vf format=yuv420p,format=nv12,hwupload -c:v h264_vaapi -b:v 4M -maxrate 6M -bufsize 12M -bf 0 -g 30');
    expect(argv).toMatch(/-f null -$/);
  });
});

describe('ffmpeg -encoders', () => {
  it('lists the H.264 encoders only', () => {
    const out = [
      'Encoders:',
      ' V..... = Video',
      ' ------',
      ' V..... libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)',
      ' V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)',
      ' V..... h264_vaapi           H.264/AVC (VAAPI) (codec h264)',
      ' V..... libx265              libx265 H.265 / HEVC (codec hevc)',
      ' A....D aac                  AAC (Advanced Audio Coding)',
    ].join('\n');
    expect(parseEncoderList(out)).toEqual(['libx264', 'h264_nvenc', 'h264_vaapi']);
  });
});
