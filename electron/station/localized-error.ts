/**
 * Errors a person reads. The sentence is a catalogue message (shared/messages): `message` is its
 * English (logs, the CLI, scripts reading `error`), and an HTTP refusal carries its code and
 * parameters so the UI renders it in the UI's language.
 */
import type { ErrorResponse, LocalizedText } from '../../shared/api.js';
import { bothLanguages, msg, render, type Message } from '../../shared/messages/index.js';

export { msg, type Message };

export class LocalizedError extends Error {
  /** null: an English-only sentence (e.g. a schema's joined issues, which the UI checks before sending). */
  readonly text: Message | null;
  constructor(text: Message | string) {
    super(typeof text === 'string' ? text : render(text, 'en'));
    this.text = typeof text === 'string' ? null : text;
  }
}

/**
 * The body of a refusal: English in `error`, the code and parameters for the UI, and `message` (both
 * languages rendered) for clients older than the codes.
 */
export function refusal(m: Message): ErrorResponse {
  return { error: render(m, 'en'), code: m.code, ...(m.params ? { params: m.params } : {}), message: bothLanguages(m) };
}

/** The body for an error: its code when it has one. */
export function errorBody(err: Error): ErrorResponse {
  return err instanceof LocalizedError && err.text ? refusal(err.text) : { error: err.message };
}

/** An error's sentence in both languages, or null when it has English only. */
export function localizedText(err: unknown): LocalizedText | null {
  return err instanceof LocalizedError && err.text ? bothLanguages(err.text) : null;
}

/** An error's message, or null when it has English only. */
export function errorMessage(err: unknown): Message | null {
  return err instanceof LocalizedError ? err.text : null;
}
