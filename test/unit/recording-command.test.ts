import { describe, expect, it } from 'vitest';
import { overlayFontSize, recordingInvocation, toArgv } from '../../electron/station/recorder/ffmpeg-command.js';
import { codesCommand, codesGraphValue, codesLine, overlayText } from '../../electron/station/recorder/overlay.js';
import { runStampToMs } from '../../electron/station/catalog/reconcile.js';
import { describeFfmpegError } from '../../electron/station/recorder/recording-run.js';
import { demoRecordingPlan } from '../helpers/recording-plan.js';

const plan = (preview: boolean) => demoRecordingPlan(preview ? {} : { feeds: null });

describe('the recording command', () => {
  it('stamps frames with the wall clock less t0 and keeps those timestamps in the files', () => {
    const argv = toArgv(recordingInvocation(plan(true)));
    const s = argv.join(' ');
    expect(s).toContain('-use_wallclock_as_timestamps 1 -itsoffset -1795431215.154 -f lavfi -i testsrc2=size=1280x720:rate=30,realtime');
    expect(s).toContain('-copyts -vsync 0');
    expect(s).toContain('-segment_format_options mpegts_copyts=1:flush_packets=1');
  });

  it('puts a keyframe every second and nowhere else, in ~2 s MPEG-TS segments listed as they close', () => {
    const s = toArgv(recordingInvocation(plan(true))).join(' ');
    expect(s).toMatch(/-bf 0 -g 30 -keyint_min 30 -sc_threshold 0/);
    expect(s).toMatch(/-f segment -segment_time 2 -segment_format mpegts/);
    expect(s).toContain('-segment_list /data/runs/demo/x/segments.csv -segment_list_type csv /data/runs/demo/x/%06d.ts');
  });

  it('burns in the clock and the live overlay file, and makes no preview: only the segments and the motion pictures', () => {
    const withFeeds = recordingInvocation(plan(true));
    expect(withFeeds.filterGraph).toContain("text='%{localtime}'");
    expect(withFeeds.filterGraph).toContain("textfile='/data/overlay/demo.txt':reload=1:expansion=none");
    expect(withFeeds.filterGraph).toContain("fontfile='/app/resources/fonts/wqy-microhei.ttc'");
    expect(withFeeds.outputs.map((o) => o.target)).toEqual(['/data/runs/demo/x/%06d.ts', expect.stringMatching(/^udp:\/\/127\.0\.0\.1:41003\?/)]);
    // The picture is scaled and encoded once, for the recording: no preview branch, no JPEG encoder.
    expect(withFeeds.filterGraph).not.toContain('scale=512');
    expect(toArgv(withFeeds)).not.toContain('mjpeg');
    const bare = recordingInvocation(plan(false));
    expect(bare.outputs).toHaveLength(1);
    expect(bare.filterGraph).not.toContain('split');
  });

  it('writes nothing that the station reads to a pipe: motion and heartbeat go to loopback UDP, which drops rather than waits', () => {
    const argv = toArgv(recordingInvocation(plan(true)));
    const s = argv.join(' ');
    expect(argv).not.toContain('pipe:1');
    // One datagram per motion picture, and a send to a closed port fails, so a dead station's ffmpeg stops.
    expect(s).toContain('-f rawvideo udp://127.0.0.1:41003?connect=1&pkt_size=576');
    // The heartbeat is -progress, not stats lines on stderr; stderr keeps warnings and errors only.
    expect(s).toContain('-loglevel warning -nostats -progress udp://127.0.0.1:41002?connect=1');
    expect(toArgv(recordingInvocation(plan(false))).join(' ')).toContain('-loglevel info -copyts');
  });

  it('sizes the overlay for the picture', () => {
    expect(overlayFontSize(720)).toBe(33);
    expect(overlayFontSize(1080)).toBe(49);
    expect(overlayFontSize(undefined)).toBe(33);
    expect(overlayFontSize(240)).toBe(18);
  });

  it('writes the station line to the overlay file and the codes line apart, with scanner junk removed', () => {
    expect(overlayText({ station: '打包台 1', operator: '李' })).toBe('打包台 1  ·  李');
    expect(overlayText({ station: 'S\u0007' })).toBe('S ');
    expect(codesLine(['SF1234567890123', 'ORDER-9'])).toBe('SF1234567890123  ORDER-9');
    expect(codesLine([])).toBe('—');
    expect(codesLine(['A\nB\u202E'])).toBe('A B ');
  });

  it('changes the codes line by a command queued for a frame time, escaped for ffmpeg and short enough for its command line', () => {
    expect(codesCommand(12.3456, codesLine(['SF1', "a'b:c\\d"]))).toBe("Cdrawtext@codes 12.346 reinit text=SF1  a\\'b\\:c\\\\d\n");
    // ffmpeg reads the argument with %255[^\n]: a runaway code is cut with … rather than the command failing.
    const long = codesLine(['9'.repeat(400)]);
    expect(long.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(codesCommand(1, long).split(' reinit ')[1]!.trimEnd())).toBeLessThanOrEqual(255);
    // In the graph the text is escaped twice (the option parser, then the graph parser).
    expect(codesGraphValue('a:b,c')).toBe('a\\\\\\:b\\,c');
    expect(recordingInvocation({ ...plan(false), codesText: 'SF1' }).filterGraph).toContain('drawtext@codes=');
  });

  it('reads a run folder name back as its t0', () => {
    const t0 = Date.UTC(2026, 10, 23, 10, 38, 0, 123);
    expect(runStampToMs(new Date(t0).toISOString().replace(/[-:.]/g, ''))).toBe(t0);
    expect(runStampToMs('not-a-run')).toBeNull();
  });

  it('describes a failed ffmpeg by its cause and its last error, never with the camera password', () => {
    const vaapi = ['[AVHWDeviceContext @ 0x1] No VA display found for device: /dev/dri/renderD128.', 'Device creation failed: -22.', "Failed to set value '/dev/dri/renderD128' for option 'vaapi_device': Invalid argument", 'Error parsing global options: Invalid argument'];
    expect(describeFfmpegError('ffmpeg exited with code 1', vaapi)).toBe('ffmpeg exited with code 1: Device creation failed: -22. (then: Error parsing global options: Invalid argument)');
    const rtsp = ['[tcp @ 0x2] Connection to tcp://10.0.0.5:554?timeout=0 failed: Connection refused', 'rtsp://admin:s3cret@10.0.0.5:554/Streaming/Channels/101: Connection refused'];
    const said = describeFfmpegError('ffmpeg exited with code 1', rtsp);
    expect(said).toBe('ffmpeg exited with code 1: [tcp @ 0x2] Connection to tcp://10.0.0.5:554?timeout=0 failed: Connection refused (then: rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101: Connection refused)');
    expect(said).not.toContain('s3cret');
    expect(describeFfmpegError('ffmpeg was killed with signal SIGKILL', ['frame drop'])).toBe('ffmpeg was killed with signal SIGKILL');
  });
});
