/**
 * Credentials masked in any text: the one function applied wherever the station writes text that may
 * quote a camera's address (the log, the status, the health report, the database, the crash log).
 * IP cameras carry their password in the URL (`rtsp://admin:pass@…`), and ffmpeg quotes that URL in
 * its error lines, so a failed connection would otherwise put the password in front of every LAN viewer.
 *
 * Pure (no Node, no DOM): the camera-spec parser uses it for its display form, in the renderer too.
 */

/**
 * `scheme://userinfo@` in any scheme (rtsp, rtsps, http, https, tcp, rtmp, srt, udp…). The userinfo
 * runs up to the LAST `@` before the authority ends (`/`, `?`, `#` or whitespace), so a password
 * typed with `@` or `:` in it (`admin:p@ss:w@host`) is masked whole, as ffmpeg would read it; a
 * percent-encoded one (`s3cr%40t`) is just more userinfo.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/** Query parameters cheap IP cameras take their login in (`/video.cgi?user=admin&pwd=…`). */
const SECRET_QUERY = /([?&;](?:pass|passwd|password|pwd|psw|token|access_token|auth|key|apikey|api_key|secret)=)[^&#\s]*/gi;

/** An HTTP authorisation header, should a debug line quote one. */
const AUTH_HEADER = /(authorization:\s*(?:basic|bearer|digest)\s+)[^\s,"']+/gi;

export const MASK = '***';

/**
 * The text with every password masked: `rtsp://admin:***@host/…` (the user name stays, it tells
 * which login a camera uses), `***@` for a lone user part (it may be a token), `pwd=***`.
 * Idempotent, and text without credentials comes back unchanged.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(URL_USERINFO, (_, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
    })
    .replace(SECRET_QUERY, `$1${MASK}`)
    .replace(AUTH_HEADER, `$1${MASK}`);
}

/** maskCredentials for a value that may be null (a status field, a database column). */
export function maskCredentialsOrNull(text: string | null): string | null {
  return text === null ? null : maskCredentials(text);
}
