/** The recording plan the command-line tests build on: the demo camera at 720p30 with both feeds (progress, motion). */
import { parseCameraSpec } from '../../electron/station/recorder/camera-spec.js';
import { ENCODER_PRESETS, type RecordingPlan } from '../../electron/station/recorder/ffmpeg-command.js';

export function demoRecordingPlan(over: Partial<RecordingPlan> = {}): RecordingPlan {
  return {
    source: parseCameraSpec('demo:1280x720@30'),
    t0Ms: 1_795_431_215_154,
    runDir: '/data/runs/demo/x',
    overlayFile: '/data/overlay/demo.txt',
    fontFile: '/app/resources/fonts/wqy-microhei.ttc',
    fontSize: 33,
    encoder: ENCODER_PRESETS.standard,
    feeds: { progressPort: 41002, motionPort: 41003 },
    ...over,
  };
}
