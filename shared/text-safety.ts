/**
 * Characters a name typed into the settings must not hold: they are burned into the video's overlay,
 * written into logs and audit lines, and shown on other people's screens, where a line break forges a
 * new line and a bidi control reorders what is shown (`Station‮gpj.exe` reads as `Stationexe.jpg`).
 *
 * - C0 controls U+0000–U+001F (tab, CR and LF among them) and DEL U+007F
 * - C1 controls U+0080–U+009F (U+0085 is a line break)
 * - line and paragraph separators U+2028, U+2029
 * - bidi controls: embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069,
 *   the marks U+200E (LRM), U+200F (RLM) and U+061C (ALM)
 * - lone surrogates (half a character: shown as U+FFFD, which hides what was there)
 *
 * electron/station/printable.ts escapes this same set (it imports it) when printing text from outside.
 *
 * Pure: the settings schemas (shared/api.ts) and the camera-spec parser use it in Node and the browser.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it finds
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|\p{Cs}/u;

/** True when `text` holds none of the characters above. */
export function isSafeText(text: string): boolean {
  return !UNSAFE_TEXT.test(text);
}
