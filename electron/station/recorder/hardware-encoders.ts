/**
 * Hardware H.264 encoders, as data, and the rule that picks the one recording uses. Pure: the tests
 * (encoder-tests.ts) and the station (recording-encoder.ts) do the I/O.
 *
 * Each preset keeps what the libx264 presets promise (ffmpeg-command.ts): the same quality target
 * and bitrate cap, no look-ahead or frame queue (the counterpart of `-tune zerolatency`, so a crash
 * loses as little as with x264), and a keyframe every second and nowhere else (the command adds
 * `-bf 0 -g fps -keyint_min fps -sc_threshold 0` for every encoder; scene-cut keyframes are also
 * switched off where the encoder has its own switch). The segment muxer flushes every packet
 * whatever encoder made it.
 *
 * None of these exist on the build machines (no GPU): the command lines are unit-tested as text,
 * and an encoder that fails on a real PC falls back to libx264 (camera-watchdog.ts).
 */
import { ENCODER_PRESETS, type EncoderPreset, type EncoderPresetName } from './ffmpeg-command.js';

/** In order of preference for `auto`: a PC rarely has more than one of these working. */
export const HARDWARE_H264_ENCODERS = ['h264_nvenc', 'h264_qsv', 'h264_amf', 'h264_videotoolbox', 'h264_vaapi'] as const;
export type HardwareEncoderName = (typeof HARDWARE_H264_ENCODERS)[number];
export type RecordingEncoderName = 'libx264' | HardwareEncoderName;

/** 'auto': the first hardware encoder whose test passes; 'off': always libx264; a name: that one, tested or not. */
export type HardwareEncoderSetting = 'auto' | 'off' | HardwareEncoderName;
export const HARDWARE_ENCODER_SETTING_KEY = 'recording.hardwareEncoder';
export const DEFAULT_HARDWARE_ENCODER_SETTING: HardwareEncoderSetting = 'auto';

export function isHardwareEncoder(name: string): name is HardwareEncoderName {
  return (HARDWARE_H264_ENCODERS as readonly string[]).includes(name);
}

/** Validator for SettingsStore.get: throws one sentence for anything else. */
export function parseHardwareEncoderSetting(v: unknown): HardwareEncoderSetting {
  if (v === 'auto' || v === 'off' || (typeof v === 'string' && isHardwareEncoder(v))) return v as HardwareEncoderSetting;
  throw new Error(`recording.hardwareEncoder is auto, off or one of ${HARDWARE_H264_ENCODERS.join(', ')}; got ${JSON.stringify(v)}`);
}

/** The same targets as the libx264 presets: quality ~CRF, average and peak bitrate. */
const TARGETS: Record<EncoderPresetName, { q: string; avg: string; max: string; buf: string }> = {
  standard: { q: '23', avg: '4M', max: '6M', buf: '12M' },
  economy: { q: '27', avg: '2M', max: '3M', buf: '6M' },
};

/** The first VAAPI render node; ffmpeg's usual default when /dev/dri cannot be read. */
export const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';

export function encoderPreset(name: RecordingEncoderName, quality: EncoderPresetName, opts: { vaapiDevice?: string } = {}): EncoderPreset {
  const t = TARGETS[quality];
  switch (name) {
    case 'libx264':
      return ENCODER_PRESETS[quality];
    case 'h264_nvenc':
      // llhq: NVENC's low-latency preset (ffmpeg 4.x name, still accepted later); zerolatency: no
      // reordering delay; constant-quality VBR capped like x264; forced-idr: every -g keyframe is an IDR.
      return {
        codec: name,
        options: ['-preset', 'llhq', '-rc', 'vbr', '-cq', t.q, '-b:v', '0', '-maxrate', t.max, '-bufsize', t.buf, '-zerolatency', '1', '-no-scenecut', '1', '-forced-idr', '1'],
      };
    case 'h264_qsv':
      // Quick Sync takes NV12; async_depth 1 and no look-ahead keep at most one frame inside the encoder.
      return {
        codec: name,
        options: ['-preset', 'veryfast', '-global_quality', t.q, '-look_ahead', '0', '-async_depth', '1', '-maxrate', t.max, '-bufsize', t.buf],
        pixFmt: 'nv12',
      };
    case 'h264_amf':
      return { codec: name, options: ['-usage', 'lowlatency', '-quality', 'speed', '-rc', 'vbr_peak', '-b:v', t.avg, '-maxrate', t.max, '-bufsize', t.buf] };
    case 'h264_videotoolbox':
      // allow_sw 0: Apple's software fallback would be slower than libx264; fail and let the watchdog fall back instead.
      return { codec: name, options: ['-realtime', '1', '-allow_sw', '0', '-b:v', t.avg, '-maxrate', t.max, '-bufsize', t.buf] };
    case 'h264_vaapi':
      // Frames go up to the GPU as NV12 surfaces on the recording branch; the motion pictures stay in memory.
      return {
        codec: name,
        options: ['-b:v', t.avg, '-maxrate', t.max, '-bufsize', t.buf],
        pixFmt: null,
        uploadFilter: 'format=nv12,hwupload',
        deviceOptions: ['-vaapi_device', opts.vaapiDevice ?? DEFAULT_VAAPI_DEVICE],
      };
  }
}

export interface EncoderTestResult {
  encoder: HardwareEncoderName;
  /** Listed by `ffmpeg -encoders`. */
  compiled: boolean;
  /** The 1-second test encode succeeded. */
  ok: boolean;
  /** Why not, in ffmpeg's words (its last error line). */
  error: string | null;
  testedAt: string;
}

export interface EncoderChoice {
  encoder: RecordingEncoderName;
  /** One sentence for the log and doctor. */
  reason: string;
}

/**
 * Which encoder recording starts with. `tests` is needed only for 'auto' (null: not tested, so no
 * hardware). A named encoder is used even when untested or failing its test: the operator asked for
 * it, and if it fails at start the watchdog falls back to libx264 and says why.
 */
export function chooseEncoder(setting: HardwareEncoderSetting, tests: readonly EncoderTestResult[] | null): EncoderChoice {
  if (setting === 'off') return { encoder: 'libx264', reason: 'hardware encoding is off in settings' };
  if (setting !== 'auto') return { encoder: setting, reason: `${setting} is chosen in settings` };
  const byName = new Map((tests ?? []).map((t) => [t.encoder, t]));
  for (const name of HARDWARE_H264_ENCODERS) {
    if (byName.get(name)?.ok) return { encoder: name, reason: `${name} passed its test encode` };
  }
  const compiled = (tests ?? []).filter((t) => t.compiled).map((t) => t.encoder);
  return {
    encoder: 'libx264',
    reason: compiled.length ? `no hardware encoder passed its test encode (tried ${compiled.join(', ')})` : 'this ffmpeg has no hardware H.264 encoder',
  };
}

/**
 * Whether a run that ended by itself failed because of its hardware encoder and should be restarted
 * with libx264. Only a run that never closed a segment (a failure at start; a mid-run death is
 * restarted as it is), and only when ffmpeg's last lines blame the encoder or its device: a camera
 * that is unplugged must not cost the station its hardware encoder.
 */
export function shouldFallBackToSoftware(run: { codec: string; closedSegments: number; stderrTail: readonly string[]; error: string | null }): boolean {
  if (!isHardwareEncoder(run.codec) || run.closedSegments > 0) return false;
  const text = [...run.stderrTail, run.error ?? ''].join('\n');
  return ENCODER_FAILURE.test(text) || text.includes(run.codec);
}

/**
 * ffmpeg's words when an encoder or its device cannot start: generic ones (any encoder), then each
 * vendor's (driver library missing, no capable device, session refused).
 */
const ENCODER_FAILURE =
  /Unknown encoder|Error while opening encoder|Error initializing output stream|Device creation failed|vaapi_device|hwupload|Failed to (create|initialise|initialize) .*(device|session|encoder)|No NVENC capable devices|Cannot load (nvcuda|libcuda|libnvidia-encode|nvEncodeAPI)|OpenEncodeSessionEx failed|MFX|Error initializing an internal MFX session|amfrt|AMF failed|VTCompressionSession|hw_frames_ctx/i;
