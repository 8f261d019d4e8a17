import { describe, expect, it } from 'vitest';
import { parseAvfoundationDevices, parseDshowDevices } from '../../electron/station/recorder/camera-discovery.js';

describe('camera discovery from ffmpeg -list_devices', () => {
  it('reads DirectShow video devices (old and new ffmpeg layouts)', () => {
    const old = `[dshow @ 000001] DirectShow video devices (some may be both video and audio devices)
[dshow @ 000001]  "Integrated Camera"
[dshow @ 000001]     Alternative name "@device_pnp_\\\\?\\usb#vid_04f2"
[dshow @ 000001]  "OBS Virtual Camera"
[dshow @ 000001] DirectShow audio devices
[dshow @ 000001]  "Microphone (Realtek Audio)"
dummy: Immediate exit requested`;
    expect(parseDshowDevices(old)).toEqual(['Integrated Camera', 'OBS Virtual Camera']);
    const modern = `[dshow @ 0001] "USB2.0 HD UVC WebCam" (video)
[dshow @ 0001]   Alternative name "@device_pnp_x"
[dshow @ 0001] "Microphone Array" (audio)`;
    expect(parseDshowDevices(modern)).toEqual(['USB2.0 HD UVC WebCam']);
  });

  it('reads AVFoundation video devices and skips screen capture', () => {
    const out = `[AVFoundation indev @ 0x7f] AVFoundation video devices:
[AVFoundation indev @ 0x7f] [0] FaceTime HD Camera
[AVFoundation indev @ 0x7f] [1] Capture screen 0
[AVFoundation indev @ 0x7f] AVFoundation audio devices:
[AVFoundation indev @ 0x7f] [0] MacBook Pro Microphone`;
    expect(parseAvfoundationDevices(out)).toEqual(['0']);
  });
});
