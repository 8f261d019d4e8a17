/**
 * The recording command, as data. One function composes it from the camera source, the encoder preset
 * and the run's paths; the recorder spawns ffmpeg with them and the benchmark runs the same
 * pieces without the station around them.
 *
 * The full command for the demo camera at 720p30 (paths shortened):
 *
 *   ffmpeg -hide_banner -y -loglevel warning -nostats -progress 'udp://127.0.0.1:41002?connect=1' -copyts -vsync 0
 *     -use_wallclock_as_timestamps 1 -itsoffset -1795431215.154 -f lavfi
 *     -i 'testsrc2=size=1280x720:rate=30,realtime'
 *     -filter_complex '[0:v]fps=30,format=yuv420p,split=2[main][mo];
 *         [mo]select=isnan(prev_selected_t)+gte(t-prev_selected_t\,1),scale=32:18:flags=area,format=gray[motion];
 *         [main]drawtext=fontfile=…/wqy-microhei.ttc:text=%{localtime}:…,
 *         drawtext=fontfile=…:textfile=…/overlay.txt:reload=1:expansion=none:…,
 *         drawtext@codes=fontfile=…:text=260311884512345678:expansion=none:…[rec]'
 *     -map [rec] -c:v libx264 -preset veryfast -tune zerolatency -crf 23 -maxrate 6M -bufsize 12M
 *       -pix_fmt yuv420p -bf 0 -g 30 -keyint_min 30 -sc_threshold 0
 *       -f segment -segment_time 2 -segment_format mpegts
 *       -segment_format_options mpegts_copyts=1:flush_packets=1
 *       -segment_list …/segments.csv -segment_list_type csv  …/runs/<run>/%06d.ts
 *     -map [motion] -c:v rawvideo -f rawvideo 'udp://127.0.0.1:41003?connect=1&pkt_size=576'
 *
 * (stderr goes to a file, see recording-run.ts; the two UDP ports are the station's, bound per run.
 * stdin stays a pipe: `q` stops ffmpeg cleanly, and each change of the codes line is typed there as a
 * command queued for a frame time, e.g. `Cdrawtext@codes 12.367 reinit text=SF1234567890123`; see overlay.ts.)
 *
 * Why each unusual flag:
 * - `-use_wallclock_as_timestamps 1 -itsoffset -T0 -copyts`: every frame's timestamp is its arrival
 *   time on the wall clock minus T0 (the run's start, stored in the database). Segment start/end in
 *   the segment list are then exact wall-clock times, not index x length.
 * - `-vsync 0` with an `fps` filter: the output is constant-rate from the first real frame; ffmpeg's
 *   own cfr mode would instead invent copies of the first frame back to timestamp 0.
 * - `-g fps -keyint_min fps -sc_threshold 0 -bf 0`: a keyframe every second and never elsewhere, so
 *   the segmenter can cut on time and a clip can start at any second without re-encoding.
 * - MPEG-TS segments, not MP4: a killed TS recording loses under a second; a killed MP4 loses all
 *   (no moov atom). `mpegts_copyts=1` keeps our timestamps in the file, so a segment that missed the
 *   list (crash) can still be dated from its own packets.
 * - Nothing the station reads can make ffmpeg wait: the footage must keep going when Node
 *   is stalled (a long synchronous call, a debugger, SIGSTOP). A pipe does not: once its buffer is
 *   full ffmpeg blocks on it, and with it every output, the segments included (measured: an MJPEG
 *   stdout pipe stopped the segments at once when Node stopped; a stderr socketpair took ~270 small
 *   writes, i.e. about 70 log lines, before blocking). So the motion pictures and the progress
 *   reports go to UDP ports on 127.0.0.1 that the station bound: on loopback a datagram the receiver
 *   has no room for is dropped, the sender never waits.
 *   The motion feed (motion.ts, the idle stop) is a 32x18 grey picture a second, 576 bytes, one
 *   datagram each (`pkt_size=576`: the rawvideo muxer's buffer fills with exactly one picture). It is
 *   split off before the overlay, whose clock would read as motion every second. Every camera sends
 *   it (the station reads the main camera's), because it is also how a dead station's ffmpeg ends:
 *   `connect=1` makes a send to a closed port fail (ICMP port unreachable), so once the station is
 *   gone the next picture but one fails ("Connection refused"), ffmpeg closes its outputs cleanly
 *   and exits (measured with ffmpeg 4.1: 1.6 s after the port closed). A failed `-progress` write
 *   does not end ffmpeg, so the heartbeat cannot do this.
 * - No live preview here: a preview output would scale and encode pictures all day whether or not
 *   anyone looks (measured: +1.2 CPU s/min at 720p30, most of the station's cost over bare ffmpeg).
 *   The preview is made on demand from the segment files instead (preview-tap.ts).
 *   `-progress` (key=value blocks, frame=N, every 0.5 s) is the watchdog's heartbeat; `-nostats`
 *   and `-loglevel warning` keep stderr to warnings and errors, which go to a file (recording-run.ts).
 *   Checked with this ffmpeg 4.1 and Debian's 5.1: the same options, the same behaviour.
 */
import { MOTION, MOTION_FRAME_BYTES, SEGMENT_SECONDS } from '../limits.js';
import type { CameraSource } from './camera-spec.js';
import { escapeFilterValue } from './camera-spec.js';
import { CODES_FILTER, NO_CODES, codesGraphValue } from './overlay.js';

export interface EncoderPreset {
  codec: string;
  options: readonly string[];
  /**
   * Output pixel format; default yuv420p. null: the encoder's upload filter sets it (VAAPI takes
   * hardware surfaces, and forcing yuv420p after hwupload fails). See hardware-encoders.ts.
   */
  pixFmt?: string | null;
  /** Filters after the overlay, on the recording branch (e.g. `format=nv12,hwupload`). */
  uploadFilter?: string;
  /** Global options that open the device (e.g. `-vaapi_device /dev/dri/renderD128`); before the input. */
  deviceOptions?: readonly string[];
}

/**
 * Named encoder settings. CRF keeps quality steady; maxrate caps a busy scene's bitrate (disk budget).
 * `-tune zerolatency` removes x264's look-ahead: with it, kill -9 of ffmpeg loses ~70 ms of footage;
 * without it 0.7 s (720p30) to 1.3 s (360p15) sit in the encoder and are lost (measured here, ffmpeg 4.1).
 */
export const ENCODER_PRESETS = {
  standard: { codec: 'libx264', options: ['-preset', 'veryfast', '-tune', 'zerolatency', '-crf', '23', '-maxrate', '6M', '-bufsize', '12M'] },
  economy: { codec: 'libx264', options: ['-preset', 'veryfast', '-tune', 'zerolatency', '-crf', '27', '-maxrate', '3M', '-bufsize', '6M'] },
} as const satisfies Record<string, EncoderPreset>;

export type EncoderPresetName = keyof typeof ENCODER_PRESETS;

export interface RecordingPlan {
  source: CameraSource;
  /** Wall-clock ms that timestamp 0 of this run stands for. */
  t0Ms: number;
  /** Folder for this run's segments and segment list (absolute). */
  runDir: string;
  /** The station line (station and operator name), re-read every frame. */
  overlayFile: string;
  /** The codes line at the run's start (overlay.ts's codesLine); later changes are commands. Default "—". */
  codesText?: string;
  fontFile: string;
  /** Font size of the clock line; the station/order lines are a little smaller. */
  fontSize: number;
  encoder: EncoderPreset;
  /**
   * The station's loopback UDP ports for the progress reports (the heartbeat) and the motion pictures.
   * null: neither; ffmpeg prints its stats on stderr instead (the benchmark's bare baseline, tests).
   */
  feeds: RecorderFeeds | null;
}

export interface RecorderFeeds {
  progressPort: number;
  /** The motion pictures' port: the idle stop reads it, and its refused sends end a dead station's ffmpeg. */
  motionPort: number;
}

/** The loopback address the feeds go to: the station binds its sockets there and nowhere else. */
export const FEED_HOST = '127.0.0.1';

export interface FfmpegInvocation {
  globalOptions: string[];
  inputOptions: string[];
  input: string;
  filterGraph: string;
  outputs: Array<{ target: string; options: string[] }>;
}

export const SEGMENT_LIST_NAME = 'segments.csv';
export const SEGMENT_PATTERN = '%06d.ts';

export function recordingInvocation(plan: RecordingPlan): FfmpegInvocation {
  const { source, fontSize } = plan;
  const font = escapeFilterValue(plan.fontFile);
  const box = 'fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=8';
  const small = Math.round(fontSize * 0.8);
  const motion = plan.feeds !== null;
  const input = `[0:v]fps=${source.fps},format=yuv420p`;
  // The motion pictures leave before the overlay: its clock changes every second. `select` keeps the
  // first frame of each second and lets go of every other at once; `fps=1` held a reference to the
  // newest frame until the next came, so the recording branch's frames came from more buffers (valgrind,
  // 1080p: 11 % more last-level cache misses than the same command without the motion feed; with
  // select the same as without it, and the same instructions within 0.3 %).
  const motionEvery = `isnan(prev_selected_t)+gte(t-prev_selected_t\\,${1 / MOTION.fps})`;
  const head = motion
    ? `${input},split=2[main][mo];[mo]select=${motionEvery},scale=${MOTION.width}:${MOTION.height}:flags=area,format=gray[motion];[main]`
    : `${input},`;
  const graph = head + [
    // %{localtime} prints "YYYY-MM-DD HH:MM:SS" in the station's time zone, evaluated per frame.
    `drawtext=fontfile=${font}:text='%{localtime}':x=16:y=16:fontsize=${fontSize}:${box}`,
    // expansion=none: a name or a scanned code containing % must be shown as typed, not interpreted.
    `drawtext=fontfile=${font}:textfile=${escapeFilterValue(plan.overlayFile)}:reload=1:expansion=none:x=16:y=${stationLineY(fontSize)}:fontsize=${small}:${box}`,
    `${CODES_FILTER}=fontfile=${font}:text=${codesGraphValue(plan.codesText ?? NO_CODES)}:expansion=none:x=16:y=${codesLineY(fontSize)}:fontsize=${small}:${box}`,
  ].join(',');
  const upload = plan.encoder.uploadFilter;
  const filterGraph = upload ? `${graph}[raw];[raw]${upload}[rec]` : `${graph}[rec]`;

  const g = String(source.fps);
  const outputs: FfmpegInvocation['outputs'] = [
    {
      target: `${plan.runDir}/${SEGMENT_PATTERN}`,
      options: [
        '-map', '[rec]',
        '-c:v', plan.encoder.codec, ...plan.encoder.options,
        ...pixFmtOptions(plan.encoder), '-bf', '0', '-g', g, '-keyint_min', g, '-sc_threshold', '0',
        '-f', 'segment', '-segment_time', String(SEGMENT_SECONDS), '-segment_format', 'mpegts',
        // flush_packets=1: each packet reaches the disk at once instead of waiting in a 32 KB buffer
        // (at low bitrates that buffer alone held over a second of footage a crash would lose).
        '-segment_format_options', 'mpegts_copyts=1:flush_packets=1',
        '-segment_list', `${plan.runDir}/${SEGMENT_LIST_NAME}`, '-segment_list_type', 'csv',
      ],
    },
  ];
  const feeds = plan.feeds;
  if (feeds) {
    const motionTarget = `udp://${FEED_HOST}:${feeds.motionPort}?connect=1&pkt_size=${MOTION_FRAME_BYTES}`;
    outputs.push({ target: motionTarget, options: ['-map', '[motion]', '-c:v', 'rawvideo', '-f', 'rawvideo'] });
  }
  const logging = feeds ? ['-loglevel', 'warning', '-nostats', '-progress', `udp://${FEED_HOST}:${feeds.progressPort}?connect=1`] : ['-loglevel', 'info'];
  return {
    // No -nostdin: stdin is how the recorder asks ffmpeg to stop cleanly (it types `q`).
    // -y: a run folder is new, but ffmpeg must never stop to ask on stdin (fluent-ffmpeg added it too).
    globalOptions: ['-hide_banner', '-y', ...logging, '-copyts', '-vsync', '0'],
    inputOptions: [
      ...(plan.encoder.deviceOptions ?? []),
      '-use_wallclock_as_timestamps', '1', '-itsoffset', `-${(plan.t0Ms / 1000).toFixed(3)}`, ...source.inputOptions,
    ],
    input: source.input,
    filterGraph,
    outputs,
  };
}

function pixFmtOptions(enc: EncoderPreset): string[] {
  if (enc.pixFmt === null) return [];
  return ['-pix_fmt', enc.pixFmt ?? 'yuv420p'];
}

/**
 * The encoder test (doctor, and `auto` before recording with a hardware encoder): one second of a
 * lavfi test picture through the exact preset recording would use, keyframe rules included, to
 * the null muxer. A hardware encoder that is compiled in but has no device fails here in ~10 ms.
 *
 *   ffmpeg -hide_banner -nostdin -loglevel error [device options] -f lavfi -i testsrc2=size=640x360:rate=30
 *     -t 1 -vf format=yuv420p[,upload filter] -c:v CODEC … -bf 0 -g 30 -keyint_min 30 -sc_threshold 0 -f null -
 */
export function testEncodeArgv(enc: EncoderPreset): string[] {
  const vf = ['format=yuv420p', ...(enc.uploadFilter ? [enc.uploadFilter] : [])].join(',');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(enc.deviceOptions ?? []),
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '1',
    '-vf', vf,
    '-c:v', enc.codec, ...enc.options, ...pixFmtOptions(enc),
    '-bf', '0', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0',
    '-f', 'null', '-',
  ];
}

/** The same invocation as one argv, for logs, the benchmark's bare baseline and the docs. */
export function toArgv(inv: FfmpegInvocation): string[] {
  return [
    ...inv.globalOptions,
    ...inv.inputOptions,
    '-i', inv.input,
    '-filter_complex', inv.filterGraph,
    ...inv.outputs.flatMap((o) => [...o.options, o.target]),
  ];
}

/** Top of the station line's text, below the clock line. */
export function stationLineY(fontSize: number): number {
  return 16 + Math.round(fontSize * 1.7);
}

/** Top of the codes line's text: one line (of the smaller size) and both boxes' borders below the station line. */
export function codesLineY(fontSize: number): number {
  return stationLineY(fontSize) + Math.round(fontSize * 0.8) + 18;
}

/** A clock line that stays readable from across the bench: about 1/22 of the picture height. */
export function overlayFontSize(height: number | undefined): number {
  return Math.max(18, Math.round((height ?? 720) / 22));
}
