/**
 * The encoder a station records with: the setting (SettingsStore, `recording.hardwareEncoder`), the
 * cached encoder tests for this ffmpeg, and chooseEncoder(). libx264 is always the fallback.
 */
import type { FfmpegInfo } from '../ffmpeg/locate.js';
import { log } from '../log.js';
import type { SettingsStore } from '../scans/settings-store.js';
import type { EncoderPreset, EncoderPresetName } from './ffmpeg-command.js';
import { encoderTests, markEncoderFailed, vaapiDevice } from './encoder-tests.js';
import {
  chooseEncoder,
  DEFAULT_HARDWARE_ENCODER_SETTING,
  encoderPreset,
  HARDWARE_ENCODER_SETTING_KEY,
  isHardwareEncoder,
  parseHardwareEncoderSetting,
  type EncoderChoice,
} from './hardware-encoders.js';

export interface RecordingEncoder {
  choice: EncoderChoice;
  preset: EncoderPreset;
  /** libx264 with the same quality: what the watchdog restarts with if the hardware encoder fails. */
  fallback: EncoderPreset;
  /** Called by the watchdog when it falls back: the failure is cached so `auto` skips it next start. */
  onFallback: (codec: string, reason: string) => void;
}

export async function chooseRecordingEncoder(opts: { dataDir: string; ffmpeg: FfmpegInfo; settings: SettingsStore; quality: EncoderPresetName }): Promise<RecordingEncoder> {
  const setting = opts.settings.get(HARDWARE_ENCODER_SETTING_KEY, DEFAULT_HARDWARE_ENCODER_SETTING, parseHardwareEncoderSetting);
  const tests = setting === 'auto' ? await encoderTests(opts.dataDir, opts.ffmpeg).catch((err: unknown) => {
    log.warn('hardware encoder tests failed; recording with libx264', { error: String(err) });
    return null;
  }) : null;
  const choice = chooseEncoder(setting, tests);
  log.info('recording encoder chosen', { encoder: choice.encoder, reason: choice.reason });
  return {
    choice,
    preset: encoderPreset(choice.encoder, opts.quality, { vaapiDevice: vaapiDevice() }),
    fallback: encoderPreset('libx264', opts.quality),
    onFallback: (codec, reason) => {
      if (isHardwareEncoder(codec)) void markEncoderFailed(opts.dataDir, opts.ffmpeg, codec, reason).catch(() => undefined);
    },
  };
}
