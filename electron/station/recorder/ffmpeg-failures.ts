/**
 * ffmpeg's words for the usual camera failures, as the sentence a person reads (the camera test in
 * the settings, the health page's problems): ffmpeg's own lines quote addresses, internal names and
 * codes nobody at a packing bench should have to read.
 */
import { maskCredentials } from '../../../shared/credentials.js';

const KNOWN_FAILURES: Array<[RegExp, (host: string) => string]> = [
  [/401 Unauthorized|authorization failed|403 Forbidden/i, () => 'The camera refused the user name or password in the URL.'],
  [/404 Not Found|Stream not found|method DESCRIBE failed: 4\d\d/i, () => 'The camera answered, but has no stream at that path: check the path in the URL (see the camera\'s manual).'],
  [/Connection refused/i, (h) => `Nothing answers at ${h}: the address is right but no RTSP service listens on that port (is the port right? is RTSP enabled on the camera?).`],
  [/No route to host|Network is unreachable|Host is unreachable/i, (h) => `${h} cannot be reached from this computer: check the address and the network cable.`],
  [/Name or service not known|nodename nor servname|getaddrinfo|Temporary failure in name resolution|Unknown host/i, (h) => `The camera's name ${h} is not known on this network: use its IP address.`],
  [/Connection timed out|Operation timed out|timed out/i, (h) => `${h} did not answer in time: check the address and that the camera is on.`],
  [/Invalid data found|could not find codec parameters/i, () => 'The camera answered with something that is not a video stream ffmpeg can read.'],
  [/Device or resource busy/i, () => 'The camera is busy: another program (or this station\'s recording) is using it.'],
  [/No such file or directory|Cannot open video device/i, () => 'This camera is not connected to the computer (the device does not exist).'],
];

/** The sentence for a known failure in ffmpeg's output, or null. */
export function knownFailure(ffmpegText: string, host: string): string | null {
  const known = KNOWN_FAILURES.find(([re]) => re.test(ffmpegText));
  return known ? known[1](host) : null;
}

/**
 * Why a recording run ended, for people: a known camera failure, else how ffmpeg ended in plain words
 * (its exit code or the signal), never its raw lines.
 */
export function runEndSentence(reason: string, stderrTail: readonly string[], spec: string): string {
  const known = knownFailure(`${reason}\n${stderrTail.join('\n')}`, hostOf(spec));
  if (known) return known;
  const signal = /killed with signal (\w+)/.exec(reason);
  if (signal) return `The recorder (ffmpeg) was stopped by the system (${signal[1]}).`;
  const code = /exited with code (-?\d+)/.exec(reason);
  if (code) return `The recorder (ffmpeg) ended with code ${code[1]}.`;
  return 'The recorder (ffmpeg) ended.';
}

/** The camera's address as a person would name it ("10.0.0.5:554"), without a password. */
export function hostOf(spec: string): string {
  try {
    const u = new URL(spec);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return maskCredentials(spec);
  }
}
