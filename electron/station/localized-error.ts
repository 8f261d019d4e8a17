/**
 * Errors a person reads: the UI speaks Simplified Chinese and English, so a sentence the station
 * words for people carries both. `message` stays English (logs, the CLI, scripts reading `error`);
 * the renderer shows the UI language's sentence from `ErrorResponse.message`.
 */
import type { ErrorResponse, LocalizedText } from '../../shared/api.js';

export function both(en: string, zh: string): LocalizedText {
  return { en, 'zh-CN': zh };
}

export class LocalizedError extends Error {
  /** null: an English-only sentence (e.g. a schema's joined issues, which the UI checks before sending). */
  readonly text: LocalizedText | null;
  constructor(text: LocalizedText | string) {
    super(typeof text === 'string' ? text : text.en);
    this.text = typeof text === 'string' ? null : text;
  }
}

/** The body of a refusal in both languages. */
export function refusal(text: LocalizedText): ErrorResponse {
  return { error: text.en, message: text };
}

/** The body for an error: both languages when it has them. */
export function errorBody(err: Error): ErrorResponse {
  return err instanceof LocalizedError && err.text ? refusal(err.text) : { error: err.message };
}

/** An error's sentence in both languages, or null when it has English only. */
export function localizedText(err: unknown): LocalizedText | null {
  return err instanceof LocalizedError ? err.text : null;
}
