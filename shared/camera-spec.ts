/**
 * Camera specs: the one-line strings a user or the CLI gives (`demo`, `file:PATH`, `v4l2:/dev/video0`,
 * `dshow:NAME`, `avfoundation:N`, `rtsp://…`, and a network stream `tcp://HOST:PORT` or `http(s)://…`
 * as IP encoders serve it, usually MPEG-TS), turned into the ffmpeg input they mean.
 *
 * The one rule set for specs: the station parses `--camera` and the saved camera with it, and the
 * settings schema (shared/api.ts CameraSpecField) asks it too, so a spec the station would take is
 * never refused by the settings screen, nor the reverse. Pure for that reason (no Node imports): the
 * renderer runs it as the operator types.
 *
 * Every source is stamped with the wall clock as its frames arrive (`-use_wallclock_as_timestamps`),
 * so a segment's timestamps *are* wall-clock time (less the run's start, see ffmpeg-command.ts). The
 * synthetic sources (demo, file) are generated inside a lavfi graph that ends in `realtime`, so they
 * arrive at the pace a real camera would and the wall-clock stamps are honest for them too.
 */
import { maskCredentials } from './credentials.js';
import { schemaTexts, type SchemaMessageKey } from './messages/index.js';
import { UNSAFE_TEXT } from './text-safety.js';

/**
 * The parser's refusals, one sentence each, in English: `schema.*` codes of the message catalogue,
 * so the settings screen shows them in the UI's language by key (`{{spec}}` and the like are params).
 */
const CAMERA_SPEC_KEYS = [
  'cameraSpecEmpty',
  'cameraUnknown',
  'cameraUnsafeText',
  'demoSpec',
  'demoEven',
  'filePath',
  'v4l2Spec',
  'dshowName',
  'avfoundationIndex',
  'rtspInvalid',
  'rtspNoHost',
  'rtspSpaces',
  'streamInvalid',
  'streamNoHost',
  'streamNoPort',
  'streamSpaces',
] as const satisfies readonly SchemaMessageKey[];
const schemaEn = schemaTexts('en');
export const CameraSpecMessage = Object.fromEntries(CAMERA_SPEC_KEYS.map((k) => [k, schemaEn[k]])) as Record<(typeof CAMERA_SPEC_KEYS)[number], string>;
export type CameraSpecMessageKey = keyof typeof CameraSpecMessage;

export class CameraSpecError extends Error {
  override name = 'CameraSpecError';
  /** The message's key in CameraSpecMessage and its params, so a UI can word it in its own language. */
  readonly key: CameraSpecMessageKey;
  readonly params: Record<string, string>;
  constructor(key: CameraSpecMessageKey, params: Record<string, string> = {}) {
    super(CameraSpecMessage[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? ''));
    this.key = key;
    this.params = params;
  }
}

export interface CameraSource {
  /** A short, file-system-safe name for the camera (folder names, database rows). */
  id: string;
  /** The spec as a user may see it: any password in a URL is masked (maskCredentials). */
  display: string;
  kind: 'demo' | 'file' | 'v4l2' | 'dshow' | 'avfoundation' | 'rtsp' | 'stream';
  /** ffmpeg options that go before `-i`, not counting the wall-clock stamping every source gets. */
  inputOptions: string[];
  /** The `-i` argument. */
  input: string;
  /** Frame rate the recording is normalised to. */
  fps: number;
  /** Picture height when the spec says it (demo); sizes the overlay text. */
  height?: number;
}

export interface SpecOptions {
  /** Output frame rate for cameras whose spec does not say (default 30). */
  fps?: number;
  /** ffmpeg major version: RTSP's socket time-out option was renamed in ffmpeg 5. */
  ffmpegMajor?: number;
  /**
   * The picture size to ask the camera for (the settings screen's resolution). USB cameras and the demo
   * take it; an RTSP camera's size is set in the camera's own web page, and a file plays as it is.
   */
  size?: { width: number; height: number };
  /** True when the frame rate came from the settings: it then overrides a demo spec's own rate too. */
  fpsFromSettings?: boolean;
}

const DEMO_DEFAULT = { width: 1280, height: 720, fps: 30 };

/** RTSP: give up on a silent socket after this long, so the watchdog can restart (microseconds). */
const RTSP_SOCKET_TIMEOUT_US = 5_000_000;

/**
 * Network streams (tcp://, http://): a read that waits longer than this fails, ffmpeg exits and the
 * watchdog restarts it (microseconds). A camera that vanishes without closing the connection (cable
 * pulled) is then noticed by ffmpeg itself, not only by the stall detector; 2 s is four times the
 * longest frame interval of a 2 fps camera.
 */
const STREAM_RW_TIMEOUT_US = 2_000_000;
const STREAM_ANALYZE_US = 1_000_000;

export function parseCameraSpec(spec: string, opts: SpecOptions = {}): CameraSource {
  const fps = opts.fps ?? 30;
  const trimmed = spec.trim();
  if (trimmed === '') throw new CameraSpecError('cameraSpecEmpty');
  // Before anything else: a device name or path with a line break or a bidi mark would reach the
  // logs, the overlay and the settings screen, and the URL parser silently drops tabs and newlines.
  if (UNSAFE_TEXT.test(trimmed)) throw new CameraSpecError('cameraUnsafeText');
  const shown = maskCredentials(trimmed);

  if (trimmed === 'demo' || trimmed.startsWith('demo:')) return demoSource(trimmed, opts);

  if (trimmed.startsWith('file:')) {
    const path = trimmed.slice('file:'.length);
    if (!path) throw new CameraSpecError('filePath');
    return {
      id: 'file',
      display: shown,
      kind: 'file',
      inputOptions: ['-f', 'lavfi'],
      // movie=…:loop=0 replays the file forever; realtime paces it like a live camera.
      input: `movie=${escapeFilterValue(path)}:loop=0,fps=${fps},realtime`,
      fps,
    };
  }

  if (trimmed.startsWith('v4l2:')) {
    const device = trimmed.slice('v4l2:'.length);
    if (!/^\/dev\/video\d+$/.test(device)) throw new CameraSpecError('v4l2Spec', { device });
    return { id: `v4l2-${device.slice('/dev/'.length)}`, display: shown, kind: 'v4l2', inputOptions: ['-f', 'v4l2', ...deviceFormat(opts)], input: device, fps, height: opts.size?.height };
  }

  if (trimmed.startsWith('dshow:')) {
    const name = trimmed.slice('dshow:'.length);
    if (!name) throw new CameraSpecError('dshowName');
    return { id: `dshow-${slug(name)}`, display: shown, kind: 'dshow', inputOptions: ['-f', 'dshow', '-rtbufsize', '256M', ...deviceFormat(opts)], input: `video=${name}`, fps, height: opts.size?.height };
  }

  if (trimmed.startsWith('avfoundation:')) {
    const index = trimmed.slice('avfoundation:'.length);
    if (!/^\d+$/.test(index)) throw new CameraSpecError('avfoundationIndex', { index });
    // AVFoundation refuses to open most webcams without an explicit frame rate.
    return { id: `avf-${index}`, display: shown, kind: 'avfoundation', inputOptions: ['-f', 'avfoundation', '-framerate', String(fps), ...(opts.size ? ['-video_size', `${opts.size.width}x${opts.size.height}`] : [])], input: `${index}:none`, fps, height: opts.size?.height };
  }

  if (/^rtsps?:\/\//i.test(trimmed)) {
    const url = networkUrl(trimmed, shown, 'rtsp');
    const timeoutOption = (opts.ffmpegMajor ?? 4) >= 5 ? '-timeout' : '-stimeout';
    return {
      id: `rtsp-${slug(url.hostname + (url.port ? `-${url.port}` : ''))}`,
      display: shown,
      kind: 'rtsp',
      // TCP: UDP over a busy warehouse Wi-Fi loses packets and smears the picture.
      inputOptions: ['-rtsp_transport', 'tcp', timeoutOption, String(RTSP_SOCKET_TIMEOUT_US)],
      input: trimmed,
      fps,
    };
  }

  if (/^(tcp|https?):\/\//i.test(trimmed)) {
    const url = networkUrl(trimmed, shown, 'stream');
    if (url.protocol === 'tcp:' && !url.port) throw new CameraSpecError('streamNoPort', { spec: shown });
    return {
      id: `${url.protocol.slice(0, -1)}-${slug(url.hostname + (url.port ? `-${url.port}` : ''))}`,
      display: shown,
      kind: 'stream',
      // The container is detected (MPEG-TS from most encoders); rw_timeout ends a silent connection.
      // analyzeduration: by default ffmpeg reads up to 5 s of a live stream to guess its frame rate
      // before recording starts (measured: the first segment came 3.5 s late); the fps filter
      // normalises the rate anyway, so 1 s of looking is plenty.
      inputOptions: ['-rw_timeout', String(STREAM_RW_TIMEOUT_US), '-analyzeduration', String(STREAM_ANALYZE_US)],
      input: trimmed,
      fps,
    };
  }

  throw new CameraSpecError('cameraUnknown', { spec: shown });
}

/** An RTSP or stream URL that ffmpeg can open: no spaces, parseable, with a host. */
function networkUrl(spec: string, shown: string, kind: 'rtsp' | 'stream'): URL {
  if (/\s/.test(spec)) throw new CameraSpecError(kind === 'rtsp' ? 'rtspSpaces' : 'streamSpaces');
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new CameraSpecError(kind === 'rtsp' ? 'rtspInvalid' : 'streamInvalid', { spec: shown });
  }
  if (!url.hostname) throw new CameraSpecError(kind === 'rtsp' ? 'rtspNoHost' : 'streamNoHost', { spec: shown });
  return url;
}

/** Size and rate asked of a USB camera; without them it picks its own (often its largest size at a low rate). */
function deviceFormat(opts: SpecOptions): string[] {
  return [...(opts.size ? ['-video_size', `${opts.size.width}x${opts.size.height}`] : []), ...(opts.fpsFromSettings && opts.fps ? ['-framerate', String(opts.fps)] : [])];
}

function demoSource(spec: string, opts: SpecOptions = {}): CameraSource {
  const params = spec.slice('demo'.length).replace(/^:/, '');
  let { width, height, fps } = DEMO_DEFAULT;
  if (params) {
    const m = /^(\d{2,4})x(\d{2,4})(?:@(\d{1,2}))?$/.exec(params);
    if (!m) throw new CameraSpecError('demoSpec', { spec });
    width = Number(m[1]);
    height = Number(m[2]);
    if (m[3]) fps = Number(m[3]);
    if (width % 2 || height % 2 || fps < 1) throw new CameraSpecError('demoEven', { spec });
  }
  // Settings win over the spec: the demo stands in for a camera the settings screen configures.
  if (opts.size) ({ width, height } = opts.size);
  if (opts.fpsFromSettings && opts.fps) fps = opts.fps;
  return {
    id: 'demo',
    display: spec,
    kind: 'demo',
    inputOptions: ['-f', 'lavfi'],
    // testsrc2 moves every frame (so frozen video is visible); the overlay adds the clock.
    input: `testsrc2=size=${width}x${height}:rate=${fps},realtime`,
    fps,
    height,
  };
}

/** Mask the password of a URL so it never reaches logs, the UI or the database (see credentials.ts). */
export const maskPassword = maskCredentials;

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'camera';
}

/**
 * Quote a value for an ffmpeg filter graph: it goes through two parsers (the graph, then the filter's
 * option list), so quote with '…' and escape the characters each level treats as special.
 */
export function escapeFilterValue(value: string): string {
  const level1 = value.replace(/\\/g, '/').replace(/'/g, "'\\''").replace(/:/g, '\\:');
  return `'${level1}'`;
}
