/**
 * A refusal's sentence in the UI's language: its catalogue code rendered with its parameters
 * (shared/messages, the server's own catalogue), else the station's both-language `message` (a
 * newer station's code this UI does not know yet), else the English `error`. Never the raw code.
 * The result is plain text: React escapes it where it is shown.
 */
import type { ErrorResponse, LocalizedText, MessageBody } from '../../../shared/api.js';
import { renderKnown, type MessageLanguage } from '../../../shared/messages/index.js';

export function refusalText(body: ErrorResponse, lng: MessageLanguage): string {
  const rendered = body.code ? renderKnown({ code: body.code, params: body.params }, lng) : null;
  return rendered ?? body.message?.[lng] ?? body.error;
}

/**
 * A sentence the server sent as a message (code + params) in the UI's language; for a code this UI
 * does not know (a newer station), the field's older form: both languages, else the English text.
 */
export function messageText(text: MessageBody | null | undefined, lng: MessageLanguage, fallback: LocalizedText | string | null | undefined): string {
  const rendered = text ? renderKnown(text, lng) : null;
  if (rendered !== null) return rendered;
  return typeof fallback === 'string' ? fallback : (fallback?.[lng] ?? '');
}
