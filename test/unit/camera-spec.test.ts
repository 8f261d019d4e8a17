import { describe, expect, it } from 'vitest';
import { CameraSpecError, escapeFilterValue, maskPassword, parseCameraSpec } from '../../electron/station/recorder/camera-spec.js';
import { CameraSettings, cameraSpecProblem, SchemaMessage } from '../../shared/api.js';

describe('camera specs', () => {
  it.each([
    ['demo', 'demo', 'testsrc2=size=1280x720:rate=30,realtime'],
    ['demo:640x360@15', 'demo', 'testsrc2=size=640x360:rate=15,realtime'],
    ['demo:1920x1080', 'demo', 'testsrc2=size=1920x1080:rate=30,realtime'],
  ])('%s is a synthetic real-time scene', (spec, kind, input) => {
    const s = parseCameraSpec(spec);
    expect(s.kind).toBe(kind);
    expect(s.input).toBe(input);
    expect(s.inputOptions).toEqual(['-f', 'lavfi']);
  });

  it('file:PATH loops the file at real time, with the path quoted for the filter graph', () => {
    const s = parseCameraSpec('file:/videos/bench 1.mp4', { fps: 25 });
    expect(s.kind).toBe('file');
    expect(s.input).toBe("movie='/videos/bench 1.mp4':loop=0,fps=25,realtime");
  });

  it('quotes Windows paths and colons so ffmpeg reads them back intact', () => {
    expect(escapeFilterValue('C:\\clips\\a.mp4')).toBe("'C\\:/clips/a.mp4'");
    expect(escapeFilterValue("it's")).toBe("'it'\\''s'");
  });

  it('maps device specs to their ffmpeg input formats', () => {
    expect(parseCameraSpec('v4l2:/dev/video2')).toMatchObject({ kind: 'v4l2', input: '/dev/video2', inputOptions: ['-f', 'v4l2'], id: 'v4l2-video2' });
    expect(parseCameraSpec('dshow:Integrated Camera')).toMatchObject({ kind: 'dshow', input: 'video=Integrated Camera', id: 'dshow-integrated-camera' });
    expect(parseCameraSpec('avfoundation:0', { fps: 30 })).toMatchObject({ kind: 'avfoundation', input: '0:none', inputOptions: ['-f', 'avfoundation', '-framerate', '30'] });
  });

  it('opens RTSP over TCP with a socket time-out named for the ffmpeg version, and never shows the password', () => {
    const old = parseCameraSpec('rtsp://admin:s3cret@192.168.1.64:554/Streaming/Channels/101', { ffmpegMajor: 4 });
    expect(old.inputOptions).toEqual(['-rtsp_transport', 'tcp', '-stimeout', '5000000']);
    expect(old.display).toBe('rtsp://admin:***@192.168.1.64:554/Streaming/Channels/101');
    expect(old.id).toBe('rtsp-192-168-1-64-554');
    expect(old.input).toContain('s3cret'); // ffmpeg itself needs it
    const modern = parseCameraSpec('rtsp://cam.local/stream', { ffmpegMajor: 6 });
    expect(modern.inputOptions).toEqual(['-rtsp_transport', 'tcp', '-timeout', '5000000']);
  });

  it('takes a network stream (tcp:// or http://) with a read time-out so a silent camera ends the run', () => {
    expect(parseCameraSpec('tcp://192.168.1.64:5000')).toMatchObject({ kind: 'stream', id: 'tcp-192-168-1-64-5000', input: 'tcp://192.168.1.64:5000', inputOptions: ['-rw_timeout', '2000000', '-analyzeduration', '1000000'] });
    const http = parseCameraSpec('http://admin:s3cret@cam.local:8080/live.ts');
    expect(http).toMatchObject({ kind: 'stream', id: 'http-cam-local-8080', display: 'http://admin:***@cam.local:8080/live.ts' });
  });

  it.each([
    ['', /empty/],
    ['webcam', /Unknown camera spec "webcam"/],
    ['demo:big', /not a demo spec/],
    ['demo:641x360', /even/],
    ['file:', /needs a path/],
    ['v4l2:/etc/passwd', /not a V4L2 device/],
    ['avfoundation:front', /not an AVFoundation device index/],
    ['dshow:', /needs a device name/],
    ['rtsp://user:pw@', /not a valid RTSP URL/],
    ['tcp://192.168.1.64', /needs a port/],
    ['http://u:pw@', /not a valid stream URL/],
  ])('refuses %j with a clear sentence', (spec, message) => {
    expect(() => parseCameraSpec(spec)).toThrow(CameraSpecError);
    expect(() => parseCameraSpec(spec)).toThrow(message);
  });

  it('masks passwords in any URL-like spec', () => {
    expect(maskPassword('rtsp://u:p@h/x')).toBe('rtsp://u:***@h/x');
    expect(maskPassword('rtsp://h/x')).toBe('rtsp://h/x');
  });

  it('asks a USB camera (and the demo) for the size and rate from the settings; leaves RTSP and files alone', () => {
    const opts = { fps: 15, fpsFromSettings: true, size: { width: 1280, height: 720 } };
    expect(parseCameraSpec('v4l2:/dev/video2', opts)).toMatchObject({ inputOptions: ['-f', 'v4l2', '-video_size', '1280x720', '-framerate', '15'], fps: 15, height: 720 });
    expect(parseCameraSpec('dshow:USB Cam', opts).inputOptions).toEqual(['-f', 'dshow', '-rtbufsize', '256M', '-video_size', '1280x720', '-framerate', '15']);
    expect(parseCameraSpec('avfoundation:0', opts).inputOptions).toEqual(['-f', 'avfoundation', '-framerate', '15', '-video_size', '1280x720']);
    expect(parseCameraSpec('demo:640x360@30', opts)).toMatchObject({ input: 'testsrc2=size=1280x720:rate=15,realtime', fps: 15, height: 720 });
    // Without settings the demo keeps its own rate; a camera its own size.
    expect(parseCameraSpec('demo:640x360@30', { fps: 15 }).fps).toBe(30);
    expect(parseCameraSpec('v4l2:/dev/video0').inputOptions).toEqual(['-f', 'v4l2']);
    expect(parseCameraSpec('rtsp://10.0.0.5/stream', opts).inputOptions).not.toContain('-video_size');
  });

  /**
   * One rule set: every spec goes through the station's parser (what `--camera` and a saved camera
   * get) and through the settings schema (what PUT /api/settings/camera and the settings screen
   * check), and both must give the same answer: accepted by both, or refused by both with the same
   * sentence. `auto` is the station's own word for "the first camera found", resolved before parsing.
   */
  const SPECS: Array<[string, RegExp | null]> = [
    ['auto', null],
    ['demo', null],
    ['demo:640x360@15', null],
    ['file:/videos/bench.mp4', null],
    ['file:C:\\clips\\bench 1.mp4', null],
    ['v4l2:/dev/video0', null],
    ['dshow:Integrated Camera', null],
    ['dshow:USB 2.0 Camera (中文)', null],
    ['avfoundation:0', null],
    ['rtsp://admin:pw@192.168.1.64:554/Streaming/Channels/101', null],
    ['rtsps://admin:pw@cam.lan/live', null],
    ['rtsp://user:s3cr%40t@127.0.0.1:554/x', null],
    ['tcp://192.168.1.64:5000', null],
    ['http://192.168.1.64/video', null],
    ['https://cam.lan:8443/live.ts', null],
    ['http://admin:pw@cam.local:8080/live.ts', null],
    ['rtsp://', /has no host/],
    ['rtsp://user:pw@', /not a valid RTSP URL/],
    ['rtsp://exa mple/stream', /RTSP URL must not contain spaces/],
    ['rtsp//192.168.1.64/x', /Unknown camera spec/],
    ['tcp://192.168.1.64', /needs a port/],
    ['http://u:pw@', /not a valid stream URL/],
    ['http://cam lan/x', /stream URL must not contain spaces/],
    ['v4l2:/etc/passwd', /v4l2:\/dev\/videoN/],
    ['avfoundation:front', /not an AVFoundation device index/],
    ['demo:big', /not a demo spec/],
    ['demo:641x360', /even/],
    ['file:', /needs a path/],
    ['dshow:', /needs a device name/],
    ['webcam', /Unknown camera spec "webcam"/],
    ['udp://239.0.0.1:1234', /Unknown camera spec/],
    ['dshow:Cam\nEvil', /control characters/],
    ['dshow:Cam\u202Egpj.exe', /text-direction/],
    ['file:/videos/a\u0000.mp4', /control characters/],
    ['rtsp://cam.lan/x\r\nX-Injected: 1', /control characters/],
  ];

  it.each(SPECS)('%j: the station and the settings give the same answer', (spec, refused) => {
    let station: string | null = null;
    try {
      if (spec !== 'auto') parseCameraSpec(spec);
    } catch (err) {
      expect(err).toBeInstanceOf(CameraSpecError);
      station = (err as Error).message;
    }
    const settings = CameraSettings.safeParse({ spec, resolution: 'auto', fps: null, quality: 'standard' });
    const settingsSays = settings.success ? null : settings.error.issues.map((i) => i.message).join('; ');
    expect(settingsSays).toBe(station);
    expect(cameraSpecProblem(spec)).toBe(station);
    if (refused === null) expect(station).toBeNull();
    else expect(station).toMatch(refused);
  });

  it('refuses with sentences the settings screen can word in its own language (a key and its params)', () => {
    const r = CameraSettings.safeParse({ spec: 'v4l2:/etc/passwd', resolution: 'auto', fps: null, quality: 'standard' });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.message).toBe(SchemaMessage.v4l2Spec.replace('{{device}}', '/etc/passwd'));
    expect((issue as { params?: Record<string, string> }).params).toEqual({ messageKey: 'v4l2Spec', device: '/etc/passwd' });
    // A refused URL is quoted with its password masked.
    expect(cameraSpecProblem('rtsp://user:s3cret@')).not.toContain('s3cret');
  });
});
